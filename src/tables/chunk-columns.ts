import {
  chunkColumn,
  type Column,
  type DictColumn,
  type I64Column,
  type IntColumn,
  type TableChunk,
  type U64Column,
} from '../core/columns.js';

/**
 * Typed access to the columns of a TableChunk by name, whether it came from the correlator or was read
 * back from a dataset (report, summary, timeline): a missing or mistyped column is an error, never a silent
 * null. What the error says is the reader's: `fault` makes it (got: the column's kind, null when missing).
 */
export type ColumnFault = (table: string, name: string, want: Column['kind'], got: Column['kind'] | null) => Error;

/** The report's: its tables come from this version's correlator or converter, so a fault is a bug. */
const internalFault: ColumnFault = (table, name, want, got) =>
  got === null
    ? new Error(`${table}: no column '${name}'`)
    : new Error(`${table}.${name}: expected a ${kindWord(want)} column, got ${got}`);

/** A column kind as messages say it. */
export const kindWord = (k: Column['kind']): string => (k === 'dict' ? 'dictionary utf8' : k);

function column(table: string, chunk: TableChunk, name: string, want: Column['kind'], fault: ColumnFault): Column {
  const c = chunkColumn(chunk, name);
  if (c === undefined) throw fault(table, name, want, null);
  return c;
}

export function intCol(table: string, chunk: TableChunk, name: string, fault = internalFault): IntColumn {
  const c = column(table, chunk, name, 'int32', fault);
  if (c.kind !== 'int32') throw fault(table, name, 'int32', c.kind);
  return c;
}

export function i64Col(table: string, chunk: TableChunk, name: string, fault = internalFault): I64Column {
  const c = column(table, chunk, name, 'int64', fault);
  if (c.kind !== 'int64') throw fault(table, name, 'int64', c.kind);
  return c;
}

export function u64Col(table: string, chunk: TableChunk, name: string, fault = internalFault): U64Column {
  const c = column(table, chunk, name, 'uint64', fault);
  if (c.kind !== 'uint64') throw fault(table, name, 'uint64', c.kind);
  return c;
}

export function dictCol(table: string, chunk: TableChunk, name: string, fault = internalFault): DictColumn {
  const c = column(table, chunk, name, 'dict', fault);
  if (c.kind !== 'dict') throw fault(table, name, 'dict', c.kind);
  return c;
}

/** The string of row r of a dictionary column, or null. */
export function dictAt(c: DictColumn, r: number): string | null {
  const id = c.ids[r];
  return id < 0 ? null : c.table.values[id];
}

/** Row r of a nullable int32 column, or null. */
export const intAt = (c: IntColumn, r: number): number | null => (c.valid[r] ? c.values[r] : null);
