/**
 * Datasets converted from the fixtures for the consumer tests, and three independent readers of them:
 * apache-arrow (Arrow IPC files), DuckDB (Parquet, native C++ reader) and hyparquet (Parquet, pure JS).
 * Each reader's values are normalised to JS: int32 -> number, int64/uint64 -> bigint, utf8 -> string,
 * list<utf8> -> string[], null -> null.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { tableFromIPC, type Table } from 'apache-arrow';
import { parquetMetadata, parquetReadObjects, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { convert } from '../../src/pipeline/convert.js';
import { convertMany } from '../../src/pipeline/convert-many.js';
import { duck } from '../helpers/duck.js';
import { TRACES } from '../helpers/fixtures.js';

export const tmp = (): string => mkdtempSync(join(tmpdir(), 'ndt-consumers-'));

export type Value = number | bigint | string | string[] | null;
export type Columns = Record<string, Value[]>;

/**
 * eth-npm (every correlate table has rows) plus two lines that are not events (the rejects table has rows) and
 * two lost-event records as perf script --show-lost-events prints them (the lost table has rows).
 */
export function ethNpmWithRejects(dir: string): string {
  const path = join(dir, 'eth-npm-rejects.ns.txt');
  const text = readFileSync(`${TRACES}eth-npm.ns.txt`, 'utf8');
  const lines = text.split('\n');
  lines.splice(100, 0, 'this line is not a perf event');
  lines.splice(2000, 0, 'neither: is this one [cpu]');
  lines.splice(3000, 0, '         python3 30878/30878 [001] 21567.321887091: PERF_RECORD_LOST lost 3');
  lines.splice(3001, 0, '            node 15046/15046 [000] 21567.400000000: PERF_RECORD_LOST lost 12');
  writeFileSync(path, lines.join('\n'));
  return path;
}

/** Flat datasets (parquet and arrow): eth-npm with rejects, and the callchain trace (list<utf8> column). */
export async function flatDatasets(): Promise<{ eth: string; callchain: string }> {
  const root = tmp();
  const eth = join(root, 'eth');
  const callchain = join(root, 'callchain');
  await convert({ input: ethNpmWithRejects(root), outDir: eth, formats: ['parquet', 'arrow'] });
  await convert({ input: `${TRACES}callchain.ns.txt.xz`, outDir: callchain, formats: ['parquet', 'arrow'] });
  return { eth, callchain };
}

/** A batch (hive-partitioned) dataset of two inputs, parquet and arrow. */
export async function batchDataset(): Promise<string> {
  const out = join(tmp(), 'batch');
  const { outcomes } = await convertMany({
    inputs: [`${TRACES}eth-npm.ns.txt`, `${TRACES}udp-drop.ns.txt`],
    outDir: out,
    formats: ['parquet', 'arrow'],
    jobs: 2,
  });
  if (!outcomes.every((o) => o.ok)) throw new Error(`batch conversion failed: ${JSON.stringify(outcomes)}`);
  return out;
}

export function arrowTable(path: string): Table {
  return tableFromIPC(readFileSync(path));
}

/** Every column of an Arrow IPC file, as JS values. */
export function arrowColumns(path: string): Columns {
  const t = arrowTable(path);
  const out: Columns = {};
  t.schema.fields.forEach((f, k) => {
    const v = t.getChildAt(k);
    const values: Value[] = [];
    for (let i = 0; i < t.numRows; i++) values.push(jsValue(v?.get(i)));
    out[f.name] = values;
  });
  return out;
}

function jsValue(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'object' && Symbol.iterator in v) return [...(v as Iterable<unknown>)].map(String);
  if (typeof v === 'object' && 'items' in v && Array.isArray(v.items)) return v.items.map(String); // DuckDB LIST
  throw new Error(`unexpected value ${inspect(v)} (${typeof v})`);
}

/** Every column of a Parquet file read by DuckDB, in file order. */
export async function duckColumns(path: string): Promise<Columns> {
  const r = await (await duck()).runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
  const names = r.columnNames();
  const out: Columns = {};
  names.forEach((n) => (out[n] = []));
  for (const row of r.getRows()) row.forEach((v, k) => out[names[k]].push(jsValue(v)));
  return out;
}

export function fileBuffer(path: string): ArrayBuffer {
  const b = readFileSync(path);
  const ab = new ArrayBuffer(b.byteLength);
  new Uint8Array(ab).set(b);
  return ab;
}

export function hyparquetMetadata(path: string): FileMetaData {
  return parquetMetadata(fileBuffer(path));
}

/** Every column of a Parquet file read by hyparquet (pure JS, ZSTD through hyparquet-compressors). */
export async function hyparquetColumns(path: string): Promise<Columns> {
  const file = fileBuffer(path);
  const rows = await parquetReadObjects({ file, compressors });
  const out: Columns = {};
  for (const n of topLevelNames(parquetMetadata(file))) out[n] = rows.map((r) => jsValue(r[n]));
  return out;
}

/** Names of the top-level columns of a Parquet schema (the flattened schema lists nested elements too). */
export function topLevelNames(md: FileMetaData): string[] {
  const names: string[] = [];
  let i = 1;
  const skip = (): void => {
    const e = md.schema[i++];
    for (let c = 0; c < (e.num_children ?? 0); c++) skip();
  };
  while (i < md.schema.length) {
    names.push(md.schema[i].name);
    skip();
  }
  return names;
}

/** First row where two columns differ, or -1. */
export function firstDifference(a: Value[], b: Value[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length || x.some((s, k) => s !== y[k])) return i;
    } else if (x !== y) return i;
  }
  return -1;
}
