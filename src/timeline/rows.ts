/**
 * Reads the rows of the correlate tables the timeline needs out of TableChunks (live from the correlator or
 * read back from a dataset). A missing or mistyped column is an error naming it, never a silent null.
 */
import type { TableChunk } from '../core/columns.js';
import { NetdevTimesError } from '../core/errors.js';
import { dictAt, dictCol, i64Col, intAt, intCol, kindWord, u64Col, type ColumnFault } from '../tables/chunk-columns.js';

/** Row accessors of one chunk: each returns null for a null cell. */
export interface ChunkReader {
  readonly length: number;
  int(name: string): (r: number) => number | null;
  i64(name: string): (r: number) => bigint | null;
  u64(name: string): (r: number) => bigint | null;
  str(name: string): (r: number) => string | null;
}

/** A dataset of another version: convert the trace again, exit 1. */
const otherVersion: ColumnFault = (table, name, want, got) =>
  new NetdevTimesError(
    got === null
      ? `${table}: no column '${name}'; convert the trace again`
      : `${table}.${name}: a ${got} column, not ${kindWord(want)}; convert the trace again`,
    1,
  );

export function chunkReader(table: string, chunk: TableChunk): ChunkReader {
  return {
    length: chunk.length,
    int(name) {
      const c = intCol(table, chunk, name, otherVersion);
      return (r) => intAt(c, r);
    },
    i64(name) {
      const c = i64Col(table, chunk, name, otherVersion);
      return (r) => (c.valid[r] ? c.values[r] : null);
    },
    u64(name) {
      const c = u64Col(table, chunk, name, otherVersion);
      return (r) => (c.valid[r] ? c.values[r] : null);
    },
    str(name) {
      const c = dictCol(table, chunk, name, otherVersion);
      return (r) => dictAt(c, r);
    },
  };
}

/** A value the schema declares non-null; null here means the table is not what the schema says. */
export function required<T>(v: T | null, table: string, name: string): T {
  if (v === null) throw new NetdevTimesError(`${table}.${name}: null in a non-null column; convert the trace again`, 1);
  return v;
}
