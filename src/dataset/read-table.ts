/**
 * Tables read back from a dataset (Arrow IPC or Parquet files) as TableChunks, so the report can be
 * rebuilt from files exactly as from the correlator's live output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataType, tableFromIPC, type Data, type RecordBatch, type Table, type Vector } from 'apache-arrow';
import { readParquet } from 'parquet-wasm/node';
import { StringTable } from '../core/strings.js';
import { NetdevTimesError } from '../core/errors.js';
import { dictColumn, i64Column, intColumn, u64Column, type Column, type TableChunk } from '../core/columns.js';
import { TABLE_KEY } from '../tables/schema.js';
import type { NamedChunk } from '../tables/named-chunk.js';
import { tableFile } from './dataset.js';

/** One RecordBatch as a TableChunk: int32/int64/uint64 columns and (dictionary or plain) utf8 as dictionary ids. */
export function chunkFromArrow(batch: RecordBatch): TableChunk {
  const n = batch.numRows;
  const columns: Record<string, Column> = {};
  batch.schema.fields.forEach((field, k) => {
    const v = batch.getChildAt<DataType>(k);
    if (v === null) return;
    const col = columnOf(v, n);
    if (col) columns[field.name] = col;
  });
  return { length: n, columns };
}

function columnOf(v: Vector<DataType>, n: number): Column | null {
  const type = v.type;
  if (DataType.isInt(type) && type.bitWidth === 32 && type.isSigned) {
    const c = intColumn(n);
    let r = 0;
    for (const d of v.data) {
      const values: unknown = d.values;
      if (!(values instanceof Int32Array)) throw new NetdevTimesError('int32 column without Int32Array values');
      c.values.set(values.subarray(0, d.length), r);
      validity(d, c.valid, r);
      r += d.length;
    }
    return c;
  }
  if (DataType.isInt(type) && type.bitWidth === 64) {
    const c = type.isSigned ? i64Column(n) : u64Column(n);
    let r = 0;
    for (const d of v.data) {
      const values: unknown = d.values;
      if (!(values instanceof BigInt64Array || values instanceof BigUint64Array))
        throw new NetdevTimesError('64-bit column without BigInt values');
      // Same bytes either way: copy the words, not the BigInts.
      c.words.set(new Uint32Array(values.buffer, values.byteOffset, 2 * d.length), 2 * r);
      validity(d, c.valid, r);
      r += d.length;
    }
    return c;
  }
  if (DataType.isDictionary(type)) {
    const table = new StringTable();
    const c = dictColumn(n, table);
    let r = 0;
    for (const d of v.data) {
      const dict = d.dictionary;
      const values: unknown = d.values;
      if (dict === undefined || !(values instanceof Int32Array))
        throw new NetdevTimesError('dictionary column without int32 indices and a dictionary');
      // Intern each dictionary word once, then map indices to ids.
      const idOf = new Int32Array(dict.length);
      for (let k = 0; k < dict.length; k++) {
        const w: unknown = dict.get(k);
        idOf[k] = typeof w === 'string' ? table.idOf(w) : -1;
      }
      const valid = new Uint8Array(d.length);
      validity(d, valid, 0);
      for (let i = 0; i < d.length; i++) c.ids[r + i] = valid[i] ? idOf[values[i]] : -1;
      r += d.length;
    }
    return c;
  }
  if (DataType.isUtf8(type)) {
    const table = new StringTable();
    const c = dictColumn(n, table);
    for (let r = 0; r < n; r++) {
      const s: unknown = v.get(r);
      if (typeof s === 'string') c.ids[r] = table.idOf(s);
    }
    return c;
  }
  return null;
}

/** Writes the 0/1 validity of the rows of `d` into out[at ...]. */
function validity(d: Data, out: Uint8Array, at: number): void {
  const bitmap: unknown = d.nullBitmap;
  if (d.nullCount === 0 || !(bitmap instanceof Uint8Array) || bitmap.length === 0) {
    out.fill(1, at, at + d.length);
    return;
  }
  // The bitmap is not sliced with the data: bit (offset + i) belongs to row i.
  for (let i = 0; i < d.length; i++) {
    const b = d.offset + i;
    out[at + i] = (bitmap[b >> 3] >> (b & 7)) & 1;
  }
}

/** The table name recorded in a file's schema metadata (emit writes it), if any. */
function tableNameOf(t: Table): string | undefined {
  return t.schema.metadata.get(TABLE_KEY);
}

/** The magic bytes a table file starts and ends with, by its extension. */
const MAGIC: Record<string, string> = { parquet: 'PAR1', arrow: 'ARROW1' };

const hasMagic = (bytes: Uint8Array, magic: string): boolean => {
  const m = new TextEncoder().encode(magic);
  if (bytes.length < 2 * m.length) return false;
  const tail = bytes.length - m.length;
  return m.every((b, i) => bytes[i] === b && bytes[tail + i] === b);
};

/**
 * Reads one `.parquet` or `.arrow` file of a correlate table as chunks (one per batch). A file that is missing,
 * cut short, of another format or of another table is one NetdevTimesError (exit 1) naming the file.
 */
export function readTableFile(path: string, table?: string): NamedChunk[] {
  const bad = (why: string): NetdevTimesError => new NetdevTimesError(`${path}: ${why}; convert the trace again`, 1);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? String(e.code) : '';
    if (code === 'ENOENT') throw bad('the table file is missing');
    throw new NetdevTimesError(`${path}: cannot read (${e instanceof Error ? e.message : String(e)})`, 2);
  }
  const ext = path.endsWith('.parquet') ? 'parquet' : 'arrow';
  // Checked first: Arrow's reader takes many byte strings for an empty table, and neither reader says why.
  if (!hasMagic(bytes, MAGIC[ext]))
    throw bad(
      `not a complete ${ext === 'parquet' ? 'Parquet' : 'Arrow IPC'} file (cut short, or another kind of file)`,
    );
  let t: Table;
  try {
    // Batches as large as the writer's row groups: fewer dictionaries to intern again.
    t =
      ext === 'parquet' ? tableFromIPC(readParquet(bytes, { batchSize: 65536 }).intoIPCStream()) : tableFromIPC(bytes);
  } catch (e) {
    throw bad(
      `unreadable ${ext === 'parquet' ? 'Parquet' : 'Arrow IPC'} file (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const recorded = tableNameOf(t);
  if (recorded === undefined) throw bad('not a netdev-times table (no table name in its metadata)');
  if (table !== undefined && recorded !== table) throw bad(`holds the ${recorded} table, not ${table}`);
  try {
    return t.batches.map((b) => ({ table: recorded, chunk: chunkFromArrow(b) }));
  } catch (e) {
    throw bad(`unreadable ${recorded} table (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * The chunks of these tables of a dataset (of its input `source`), one table after another, each read when
 * reached. A table missing is one NetdevTimesError (exit 1) naming the file it would be.
 */
export function* datasetChunks(dir: string, tables: readonly string[], source?: string): Generator<NamedChunk> {
  for (const table of tables) {
    const file = tableFile(dir, table, source);
    if (file === null)
      throw new NetdevTimesError(
        `${missingTableFile(dir, table, source)}: the ${table} table is missing; convert the trace again`,
        1,
      );
    yield* readTableFile(file, table);
  }
}

/** The file a table that is missing from a dataset would be (`.parquet`, or `.arrow`), for the message. */
export function missingTableFile(dir: string, table: string, source?: string): string {
  return `${join(dir, source === undefined ? table : join(table, `source=${source}`, 'part-0'))}.parquet (or .arrow)`;
}
