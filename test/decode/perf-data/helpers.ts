/** Flattens RawBatches (text or perf.data decoded) to comparable rows, and runs both decoders. */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { TraceDecoder } from '../../../src/decode/text/decoder.js';
import { decodePerfDataFile, type PerfDataDecoder, type PerfDataOptions } from '../../../src/decode/perf-data/index.js';
import type { RawBatch } from '../../../src/decode/raw-batch.js';

export interface Rows {
  line: number[];
  time: bigint[];
  cpu: number[];
  pid: number[];
  pidValid: number[];
  tid: number[];
  comm: string[];
  event: string[];
  payload: string[];
  frames: string[][];
}

const newRows = (): Rows => ({
  line: [],
  time: [],
  cpu: [],
  pid: [],
  pidValid: [],
  tid: [],
  comm: [],
  event: [],
  payload: [],
  frames: [],
});

export function addBatch(r: Rows, b: RawBatch): void {
  const td = new TextDecoder('utf-8');
  for (let i = 0; i < b.length; i++) {
    r.line.push(b.line[i]);
    r.time.push(b.timeNs[i]);
    r.cpu.push(b.cpu[i]);
    r.pid.push(b.pid[i]);
    r.pidValid.push(b.pidValid[i]);
    r.tid.push(b.tid[i]);
    r.comm.push(b.comms.values[b.comm[i]]);
    r.event.push(b.events.values[b.event[i]]);
    r.payload.push(td.decode(b.arena.subarray(b.payloadStart[i], b.payloadEnd[i])));
    r.frames.push(b.frames.slice(b.frameStart[i], b.frameEnd[i]));
  }
}

/** Text rows of a committed perf script text (plain or .xz). */
export function textRows(path: string): Rows {
  const bytes = path.endsWith('.xz') ? execFileSync('xz', ['-dc', path], { maxBuffer: 1 << 30 }) : readFileSync(path);
  const r = newRows();
  const dec = new TraceDecoder((b) => addBatch(r, b));
  dec.push(bytes);
  dec.end();
  return r;
}

export async function dataRows(
  path: string,
  options: PerfDataOptions = {},
): Promise<{ rows: Rows; dec: PerfDataDecoder }> {
  const r = newRows();
  const dec = await decodePerfDataFile(path, (b) => addBatch(r, b), options);
  return { rows: r, dec };
}

/** The first index where the two differ in a field, with both values; null when equal. */
export function firstDifference(a: Rows, b: Rows, fields: (keyof Rows)[]): string | null {
  if (a.line.length !== b.line.length) {
    // Still show where they start to differ.
  }
  const n = Math.min(a.line.length, b.line.length);
  for (let i = 0; i < n; i++) {
    for (const f of fields) {
      const x = JSON.stringify(a[f][i], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
      const y = JSON.stringify(b[f][i], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
      if (x !== y) return `event ${i} (text line ${a.line[i]}): ${f} ${x} != ${y}`;
    }
  }
  if (a.line.length !== b.line.length) return `${a.line.length} events != ${b.line.length}`;
  return null;
}
