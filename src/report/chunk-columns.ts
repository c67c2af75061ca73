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
 * back from a dataset: a missing or mistyped column is an error naming the table, never a silent null.
 */
function column(table: string, chunk: TableChunk, name: string): Column {
  const c = chunkColumn(chunk, name);
  if (c === undefined) throw new Error(`${table}: no column '${name}'`);
  return c;
}

function wrongKind(table: string, name: string, want: string, got: string): Error {
  return new Error(`${table}.${name}: expected a ${want} column, got ${got}`);
}

export function intCol(table: string, chunk: TableChunk, name: string): IntColumn {
  const c = column(table, chunk, name);
  if (c.kind !== 'int32') throw wrongKind(table, name, 'int32', c.kind);
  return c;
}

export function i64Col(table: string, chunk: TableChunk, name: string): I64Column {
  const c = column(table, chunk, name);
  if (c.kind !== 'int64') throw wrongKind(table, name, 'int64', c.kind);
  return c;
}

export function u64Col(table: string, chunk: TableChunk, name: string): U64Column {
  const c = column(table, chunk, name);
  if (c.kind !== 'uint64') throw wrongKind(table, name, 'uint64', c.kind);
  return c;
}

export function dictCol(table: string, chunk: TableChunk, name: string): DictColumn {
  const c = column(table, chunk, name);
  if (c.kind !== 'dict') throw wrongKind(table, name, 'dictionary utf8', c.kind);
  return c;
}

/** The string of row r of a dictionary column, or null. */
export function dictAt(c: DictColumn, r: number): string | null {
  const id = c.ids[r];
  return id < 0 ? null : c.table.values[id];
}
