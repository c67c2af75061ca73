/** Shared test helpers: decode `perf script` text held in memory and read rows back as plain values. */
import { TraceDecoder, type LineCounts, type RejectedLine } from '../../src/decode/text/decoder.js';
import type { RawBatch } from '../../src/decode/raw-batch.js';

export interface Row {
  line: number;
  timeNs: bigint;
  cpu: number;
  pid: number | null;
  tid: number;
  comm: string;
  event: string;
  payload: string;
  frames: string[];
}

export interface Decoded {
  rows: Row[];
  batches: RawBatch[];
  counts: LineCounts;
  rejects: RejectedLine[];
}

const utf8 = new TextDecoder();

export function rowOf(b: RawBatch, i: number): Row {
  return {
    line: b.line[i],
    timeNs: b.timeNs[i],
    cpu: b.cpu[i],
    pid: b.pidValid[i] ? b.pid[i] : null,
    tid: b.tid[i],
    comm: b.comms.values[b.comm[i]],
    event: b.events.values[b.event[i]],
    payload: utf8.decode(b.arena.subarray(b.payloadStart[i], b.payloadEnd[i])),
    frames: b.frames.slice(b.frameStart[i], b.frameEnd[i]),
  };
}

export function rowsOf(batches: RawBatch[]): Row[] {
  const rows: Row[] = [];
  for (const b of batches) for (let i = 0; i < b.length; i++) rows.push(rowOf(b, i));
  return rows;
}

export interface DecodeOptions {
  /** Feed the bytes in chunks of this many bytes (default: all at once). */
  chunkSize?: number;
  /** Or feed them split at these byte offsets (ascending). */
  cuts?: number[];
  batchSize?: number;
}

/** Decodes `text` (a string or its bytes) with a fresh TraceDecoder. */
export function decode(text: string | Uint8Array, opts: DecodeOptions = {}): Decoded {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const batches: RawBatch[] = [];
  const rejects: RejectedLine[] = [];
  const dec = new TraceDecoder((b) => batches.push(b), {
    batchSize: opts.batchSize,
    onReject: (r) => rejects.push(r),
  });
  // Copies, so that a decoder which kept a view of an old chunk would be caught.
  if (opts.cuts) {
    let p = 0;
    for (const c of opts.cuts.concat(bytes.length)) {
      dec.push(bytes.slice(p, c));
      p = c;
    }
  } else {
    const step = opts.chunkSize ?? Math.max(bytes.length, 1);
    for (let p = 0; p < bytes.length; p += step) dec.push(bytes.slice(p, Math.min(bytes.length, p + step)));
  }
  dec.end();
  return { rows: rowsOf(batches), batches, counts: { ...dec.counts }, rejects };
}

/** Decodes a single line and returns its row (fails loudly when it was not an event). */
export function decodeOne(line: string): Row {
  const d = decode(line + '\n');
  if (d.rows.length !== 1) {
    throw new Error(
      `expected one event from ${JSON.stringify(line)}, got ${d.rows.length}: ${JSON.stringify(d.rejects)}`,
    );
  }
  return d.rows[0];
}

/** `secs.frac` as exact BigInt nanoseconds, computed independently of the code under test. */
export function nsOf(time: string): bigint {
  const [s, f] = time.split('.');
  return BigInt(s) * 1_000_000_000n + BigInt(f.padEnd(9, '0'));
}
