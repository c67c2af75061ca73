/**
 * Reads the rows of the correlate tables the timeline needs out of TableChunks (live from the correlator or
 * read back from a dataset). A missing or mistyped column is an error naming it, never a silent null.
 */
import { chunkColumn, type Column, type TableChunk } from '../core/columns.js';
import { NetdevTimesError } from '../core/errors.js';

/** Row accessors of one chunk: each returns null for a null cell. */
export interface ChunkReader {
  readonly length: number;
  int(name: string): (r: number) => number | null;
  i64(name: string): (r: number) => bigint | null;
  u64(name: string): (r: number) => bigint | null;
  str(name: string): (r: number) => string | null;
}

export function chunkReader(table: string, chunk: TableChunk): ChunkReader {
  const column = (name: string): Column => {
    const c = chunkColumn(chunk, name);
    if (c === undefined) throw new NetdevTimesError(`${table}: no column '${name}'; convert the trace again`, 1);
    return c;
  };
  const wrong = (name: string, want: string, got: string): NetdevTimesError =>
    new NetdevTimesError(`${table}.${name}: a ${got} column, not ${want}; convert the trace again`, 1);
  return {
    length: chunk.length,
    int(name) {
      const c = column(name);
      if (c.kind !== 'int32') throw wrong(name, 'int32', c.kind);
      return (r) => (c.valid[r] ? c.values[r] : null);
    },
    i64(name) {
      const c = column(name);
      if (c.kind !== 'int64') throw wrong(name, 'int64', c.kind);
      return (r) => (c.valid[r] ? c.values[r] : null);
    },
    u64(name) {
      const c = column(name);
      if (c.kind !== 'uint64') throw wrong(name, 'uint64', c.kind);
      return (r) => (c.valid[r] ? c.values[r] : null);
    },
    str(name) {
      const c = column(name);
      if (c.kind !== 'dict') throw wrong(name, 'dictionary utf8', c.kind);
      return (r) => (c.ids[r] < 0 ? null : c.table.values[c.ids[r]]);
    },
  };
}

/** A value the schema declares non-null; null here means the table is not what the schema says. */
export function required<T>(v: T | null, table: string, name: string): T {
  if (v === null) throw new NetdevTimesError(`${table}.${name}: null in a non-null column; convert the trace again`, 1);
  return v;
}
