/** Shared by the golden tests: the reference's report files, inputs, regrouping of rows, datasets on disk. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLE_NAMES } from '../../src/tables/tables.js';
import type { Column, TableChunk } from '../../src/core/columns.js';
import { readTableFile } from '../../src/dataset/read-table.js';
import { type NamedChunk } from '../../src/tables/named-chunk.js';
import { type ReportOptions } from '../../src/report/index.js';
import { TableOutput, type OutputFormat } from '../../src/dataset/table-output.js';

export const TRACES = new URL('../fixtures/traces/', import.meta.url).pathname;
export const SMALL = ['eth-npm', 'http-lo', 'udp-drop', 'mixed', 'callchain'] as const;

/** Report files of the reference and the options that made them. */
export const OPTIONS: readonly [string, ReportOptions][] = [
  ['report', {}],
  ['tx', { tx: true }],
  ['rx', { rx: true }],
  ['debug', { debug: true }],
  ['dev-eth0', { dev: 'eth0' }],
  ['dev-virtio2', { dev: 'virtio2' }],
];

/** The reference reports that exist for workload w. */
export function goldens(w: string): [string, ReportOptions, string][] {
  return OPTIONS.filter(([name]) => existsSync(`${TRACES}${w}.${name}.txt`)).map(([name, o]) => [
    name,
    o,
    readFileSync(`${TRACES}${w}.${name}.txt`, 'utf8'),
  ]);
}

/** W.ns.txt (nanoseconds) or W.txt (microseconds), plain or xz. */
export function input(w: string, unit: 'ns' | 'us'): string {
  const base = `${TRACES}${w}.${unit === 'ns' ? 'ns.' : ''}txt`;
  return existsSync(base) ? base : `${base}.xz`;
}

const MSEC = /(-?\d+\.\d{3})msec/g;

/**
 * From microsecond text the reference's nanosecond deltas cannot be known: every line must be equal once
 * each `x.xxxmsec` is masked, and each masked number within 0.001 of the reference's. Returns the
 * mismatching lines (empty when it matches) and how many lines differed only within the tolerance.
 */
export function compareWithinAMicrosecond(want: string, got: string): { bad: string[]; approximate: number } {
  const a = want.split('\n');
  const b = got.split('\n');
  const bad: string[] = [];
  let approximate = 0;
  if (a.length !== b.length) bad.push(`line count ${b.length}, want ${a.length}`);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    const x = [...a[i].matchAll(MSEC)].map((m) => Number(m[1]));
    const y = [...b[i].matchAll(MSEC)].map((m) => Number(m[1]));
    const close =
      a[i].replace(MSEC, 'msec') === b[i].replace(MSEC, 'msec') &&
      x.every((v, k) => Math.abs(v - y[k]) <= 0.001 + 1e-9);
    if (close) approximate++;
    else bad.push(`line ${i + 1}: want ${JSON.stringify(a[i])}, got ${JSON.stringify(b[i])}`);
  }
  return { bad, approximate };
}

/** A deterministic PRNG (mulberry32) for reproducible shuffles. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sliceColumn(c: Column, from: number, to: number): Column {
  switch (c.kind) {
    case 'int32':
      return { kind: 'int32', values: c.values.slice(from, to), valid: c.valid.slice(from, to) };
    case 'int64': {
      const values = c.values.slice(from, to);
      return { kind: 'int64', values, words: new Uint32Array(values.buffer), valid: c.valid.slice(from, to) };
    }
    case 'uint64': {
      const values = c.values.slice(from, to);
      return { kind: 'uint64', values, words: new Uint32Array(values.buffer), valid: c.valid.slice(from, to) };
    }
    case 'dict':
      return { kind: 'dict', ids: c.ids.slice(from, to), table: c.table };
    default:
      throw new Error(`cannot slice a ${c.kind} column`);
  }
}

export function sliceChunk(chunk: TableChunk, from: number, to: number): TableChunk {
  const columns: Record<string, Column> = {};
  for (const [name, c] of Object.entries(chunk.columns)) columns[name] = sliceColumn(c, from, to);
  return { length: to - from, columns };
}

/** The same rows cut into pieces of random sizes, tables interleaved, in a random order: as a dataset reader might. */
export function regroup(chunks: readonly NamedChunk[], seed: number): NamedChunk[] {
  const rnd = prng(seed);
  const pieces: NamedChunk[] = [];
  for (const { table, chunk } of chunks) {
    for (let from = 0; from < chunk.length;) {
      const to = Math.min(chunk.length, from + 1 + Math.floor(rnd() * 40));
      pieces.push({ table, chunk: sliceChunk(chunk, from, to) });
      from = to;
    }
  }
  for (let i = pieces.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [pieces[i], pieces[j]] = [pieces[j], pieces[i]];
  }
  return pieces;
}

/** Writes the correlate tables to `<dir>/<table>.<format>` with the emit stage's writers. */
export async function writeDataset(chunks: readonly NamedChunk[], formats: OutputFormat[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ndt-report-'));
  const outs = new Map<string, TableOutput>(TABLE_NAMES.map((t) => [t, new TableOutput(t).toFiles(dir, formats)]));
  for (const { table, chunk } of chunks) {
    const o = outs.get(table);
    if (!o) throw new Error(`unexpected table ${table}`);
    await o.write(chunk);
  }
  for (const o of outs.values()) await o.close();
  return dir;
}

/** Every correlate table of a dataset folder, read back as chunks. */
export function readDataset(dir: string, format: OutputFormat): NamedChunk[] {
  return TABLE_NAMES.flatMap((t) => readTableFile(`${dir}/${t}.${format}`));
}

/** Per hunk of a report's rx section, its number of netif_receive_skb lines. */
export function receiveLinesPerHunk(rxReport: string): number[] {
  const out: number[] = [];
  for (const line of rxReport.split('\n')) {
    if (/^\d+\.\d{6}sec cpu=\d+$/.test(line)) out.push(0);
    else if (line.startsWith('         |---netif_receive_skb(')) out[out.length - 1]++;
  }
  return out;
}

/** The debug block's six numbers. */
export function debugNumbers(debugReport: string): Record<string, number> {
  const m =
    /xmit Qdisc:remain:(\d+) overflow:(\d+)\nxmit netdevice:remain:(\d+) overflow:(\d+)\nreceive:remain:(\d+) overflow:(\d+)\n$/.exec(
      debugReport,
    );
  if (!m) throw new Error('no debug block');
  const [qr, qo, xr, xo, rr, ro] = m.slice(1).map(Number);
  return { txQueueRemain: qr, txQueueOverflow: qo, txXmitRemain: xr, txXmitOverflow: xo, rxRemain: rr, rxOverflow: ro };
}
