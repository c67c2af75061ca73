/**
 * Tables read back from a dataset (Arrow IPC or Parquet files) as TableChunks, so the report can be
 * rebuilt from files exactly as from the correlator's live output.
 */
import { readFileSync } from 'node:fs';
import { DataType, tableFromIPC, type Data, type RecordBatch, type Table, type Vector } from 'apache-arrow';
import { readParquet } from 'parquet-wasm/node';
import { StringTable } from '../core/strings.js';
import { NetdevTimesError } from '../core/errors.js';
import { dictColumn, i64Column, intColumn, u64Column, type Column, type TableChunk } from '../core/columns.js';
import { TABLE_KEY } from '../tables/schema.js';
import type { NamedChunk } from '../tables/named-chunk.js';

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

/** Reads one `.parquet` or `.arrow` file of a correlate table as chunks (one per batch). */
export function readTableFile(path: string, table?: string): NamedChunk[] {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new NetdevTimesError(`${path}: cannot read (${e instanceof Error ? e.message : String(e)})`, 2);
  }
  // Batches as large as the writer's row groups: fewer dictionaries to intern again.
  const t = path.endsWith('.parquet')
    ? tableFromIPC(readParquet(bytes, { batchSize: 65536 }).intoIPCStream())
    : tableFromIPC(bytes);
  const name = table ?? tableNameOf(t);
  if (name === undefined) throw new NetdevTimesError(`${path}: no table name in its metadata`);
  return t.batches.map((b) => ({ table: name, chunk: chunkFromArrow(b) }));
}
