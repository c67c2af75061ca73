/**
 * Tables read back from a dataset (Arrow IPC or Parquet files) as TableChunks, so the report can be
 * rebuilt from files exactly as from the correlator's live output.
 */
import { readFileSync } from 'node:fs';
import { DataType, tableFromIPC, type Data, type RecordBatch, type Table, type Vector } from 'apache-arrow';
import { readParquet } from 'parquet-wasm/node';
import { StringTable } from '../../decode/strings.js';
import { NetdevTimesError } from '../../decode/types.js';
import { dictColumn, i64Column, intColumn, u64Column, type Column, type TableChunk } from '../../normalise/columns.js';
import { TABLE_KEY } from '../schema.js';
import type { NamedChunk } from './named-chunk.js';

/** One RecordBatch as a TableChunk: int32/int64/uint64 columns and (dictionary or plain) utf8 as dictionary ids. */
export function chunkFromArrow(batch: RecordBatch): TableChunk {
  const n = batch.numRows;
  const columns: Record<string, Column> = {};
  batch.schema.fields.forEach((field, k) => {
    const v = batch.getChildAt(k);
    if (v === null) return;
    const col = columnOf(v, n);
    if (col) columns[field.name] = col;
  });
  return { length: n, columns };
}

function columnOf(v: Vector, n: number): Column | null {
  const type = v.type;
  if (DataType.isInt(type) && type.bitWidth === 32 && type.isSigned) {
    const c = intColumn(n);
    eachRow(v, (d, i, r) => {
      if (!d.getValid(i)) return;
      c.values[r] = Number(d.values[i]);
      c.valid[r] = 1;
    });
    return c;
  }
  if (DataType.isInt(type) && type.bitWidth === 64) {
    const c = type.isSigned ? i64Column(n) : u64Column(n);
    eachRow(v, (d, i, r) => {
      if (!d.getValid(i)) return;
      const x: unknown = d.values[i];
      if (typeof x !== 'bigint') throw new NetdevTimesError('64-bit column without BigInt values');
      c.values[r] = x;
      c.valid[r] = 1;
    });
    return c;
  }
  if (DataType.isDictionary(type) || DataType.isUtf8(type)) {
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

/** Calls f(data, index in data, row) for every row of a column made of one or more Data pieces. */
function eachRow(v: Vector, f: (d: Data, i: number, r: number) => void): void {
  let r = 0;
  for (const d of v.data) {
    for (let i = 0; i < d.length; i++) f(d, i, r++);
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
  const t = path.endsWith('.parquet') ? tableFromIPC(readParquet(bytes).intoIPCStream()) : tableFromIPC(bytes);
  const name = table ?? tableNameOf(t);
  if (name === undefined) throw new NetdevTimesError(`${path}: no table name in its metadata`);
  return t.batches.map((b) => ({ table: name, chunk: chunkFromArrow(b) }));
}
