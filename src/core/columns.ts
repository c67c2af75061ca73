import type { StringTable } from './strings.js';

/**
 * Column containers that every stage passes on: typed arrays plus validity, never an object per row.
 * `valid[i]` is 0 for a null row. The emit stage turns them into Arrow vectors as `schemas/*.json` says.
 */
export interface IntColumn {
  kind: 'int32';
  values: Int32Array;
  valid: Uint8Array;
}

/** uint64; `words` aliases `values` as little-endian 32-bit halves for allocation-free compare and copy. */
export interface U64Column {
  kind: 'uint64';
  values: BigUint64Array;
  words: Uint32Array;
  valid: Uint8Array;
}

/** int64 (times, durations); `words` aliases `values` like U64Column's. */
export interface I64Column {
  kind: 'int64';
  values: BigInt64Array;
  words: Uint32Array;
  valid: Uint8Array;
}

/** Dictionary-encoded strings: ids into `table`, -1 for null. */
export interface DictColumn {
  kind: 'dict';
  ids: Int32Array;
  table: StringTable;
}

/** Plain strings (rare or unique values), null for null. */
export interface StrColumn {
  kind: 'utf8';
  values: (string | null)[];
}

/** A list of strings per row (callchains): row i holds items[start[i] .. end[i]); null when !valid[i]. */
export interface StrListColumn {
  kind: 'list_utf8';
  start: Int32Array;
  end: Int32Array;
  items: string[];
  valid: Uint8Array;
}

export type Column = IntColumn | U64Column | I64Column | DictColumn | StrColumn | StrListColumn | SpanColumn;

/** Rows of one table, column by column; the names are those of `schemas/<table>.json`. */
export interface TableChunk {
  length: number;
  columns: Record<string, Column>;
}

/** The column named `name`, or undefined when the chunk has none (which the Record type does not say). */
export const chunkColumn = (chunk: TableChunk, name: string): Column | undefined => chunk.columns[name];

/**
 * Columns are made by these functions only, so that every column of a kind has one hidden class and the
 * loops over them stay monomorphic.
 */
export const intColumnOf = (values: Int32Array, valid: Uint8Array): IntColumn => ({ kind: 'int32', values, valid });

export const intColumn = (n: number): IntColumn => intColumnOf(new Int32Array(n), new Uint8Array(n));

const u64ColumnOf = (values: BigUint64Array, valid: Uint8Array): U64Column => ({
  kind: 'uint64',
  values,
  words: new Uint32Array(values.buffer, values.byteOffset, values.length * 2),
  valid,
});

export function u64Column(n: number): U64Column {
  return u64ColumnOf(new BigUint64Array(n), new Uint8Array(n));
}

export function i64Column(n: number): I64Column {
  const values = new BigInt64Array(n);
  return { kind: 'int64', values, words: new Uint32Array(values.buffer), valid: new Uint8Array(n) };
}

export const dictColumnOf = (ids: Int32Array, table: StringTable): DictColumn => ({ kind: 'dict', ids, table });

export const dictColumn = (n: number, table: StringTable): DictColumn =>
  dictColumnOf(new Int32Array(n).fill(-1), table);

/** UTF-8 text kept as byte spans of an arena (raw payloads): emitted without building a string per row. */
export interface SpanColumn {
  kind: 'utf8_spans';
  arena: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  valid: Uint8Array;
}
