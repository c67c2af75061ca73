/**
 * Test-only perf.data walker: just enough to get the tracing data blob and every sample's raw bytes out of
 * the recordings, so the tracing part is tested without the container reader (written separately).
 * File mode and pipe mode, PERF_RECORD_COMPRESSED (zstd, one frame per record as perf writes them).
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Decompress } from 'fzstd';

const S_IP = 1n << 0n;
const S_TID = 1n << 1n;
const S_TIME = 1n << 2n;
const S_ADDR = 1n << 3n;
const S_READ = 1n << 4n;
const S_CALLCHAIN = 1n << 5n;
const S_ID = 1n << 6n;
const S_CPU = 1n << 7n;
const S_PERIOD = 1n << 8n;
const S_STREAM_ID = 1n << 9n;
const S_RAW = 1n << 10n;
const S_IDENTIFIER = 1n << 16n;
const SUPPORTED =
  S_IP | S_TID | S_TIME | S_CALLCHAIN | S_CPU | S_PERIOD | S_RAW | S_IDENTIFIER | S_ID | S_ADDR | S_STREAM_ID;

export function readMaybeXz(path: string): Uint8Array {
  const b = path.endsWith('.xz') ? execFileSync('xz', ['-dc', path], { maxBuffer: 1 << 30 }) : readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export interface SampleSink {
  (bytes: Uint8Array, start: number, end: number, time: bigint, cpu: number): void;
}

interface Walk {
  tracing: Uint8Array | null;
  sampleType: bigint;
  /** perf record -z writes one zstd stream over all COMPRESSED records; records inside may span two. */
  compressed: Uint8Array[];
}

function walkCompressed(w: Walk, sampleType: bigint, sink: SampleSink): void {
  if (w.compressed.length === 0) return;
  const parts: Uint8Array[] = [];
  const z = new Decompress((d) => parts.push(d));
  for (const c of w.compressed) z.push(c);
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  w.compressed = [];
  walkRecords(out, new DataView(out.buffer, out.byteOffset, out.byteLength), 0, out.length, sampleType, sink, w);
}

function walkRecords(
  b: Uint8Array,
  dv: DataView,
  from: number,
  to: number,
  sampleType: bigint,
  sink: SampleSink,
  pipe: Walk,
): void {
  let p = from;
  while (p + 8 <= to) {
    const type = dv.getUint32(p, true);
    const size = dv.getUint16(p + 6, true);
    if (size < 8) throw new Error(`bad record size at ${p}`);
    if (type === 9) {
      const st = pipe.sampleType || sampleType;
      if ((st & ~SUPPORTED) !== 0n || (st & S_READ) !== 0n)
        throw new Error('sample_type not supported by the test walker');
      let q = p + 8;
      if (st & S_IDENTIFIER) q += 8;
      if (st & S_IP) q += 8;
      if (st & S_TID) q += 8;
      let time = 0n;
      let cpu = 0;
      if (st & S_TIME) {
        time = dv.getBigUint64(q, true);
        q += 8;
      }
      if (st & S_ADDR) q += 8;
      if (st & S_ID) q += 8;
      if (st & S_STREAM_ID) q += 8;
      if (st & S_CPU) {
        cpu = dv.getUint32(q, true);
        q += 8;
      }
      if (st & S_PERIOD) q += 8;
      if (st & S_CALLCHAIN) q += 8 + 8 * Number(dv.getBigUint64(q, true));
      if (st & S_RAW) {
        const n = dv.getUint32(q, true);
        sink(b, q + 4, q + 4 + n, time, cpu);
      }
      p += size;
    } else if (type === 64) {
      // HEADER_ATTR (pipe mode): perf_event_attr then ids; sample_type is at attr offset 24.
      // Every tracepoint attr of these recordings has the same sample_type; a later dummy attr differs.
      if (pipe.sampleType === 0n) pipe.sampleType = dv.getBigUint64(p + 8 + 24, true);
      p += size;
    } else if (type === 66) {
      // HEADER_TRACING_DATA: the blob follows the 12-byte record, padded to 8.
      const n = dv.getUint32(p + 8, true);
      pipe.tracing = b.slice(p + size, p + size + n);
      p += size + n;
    } else if (type === 81) {
      pipe.compressed.push(b.subarray(p + 8, p + size));
      p += size;
    } else {
      p += size;
    }
  }
}

/** Calls sink for every PERF_RECORD_SAMPLE's raw data, in file order; returns the tracing data blob. */
export function walkPerfData(b: Uint8Array, sink: SampleSink): Uint8Array {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (new TextDecoder().decode(b.subarray(0, 8)) !== 'PERFILE2') throw new Error('not a perf.data file');
  const hdrSize = Number(dv.getBigUint64(8, true));
  const pipe: Walk = { tracing: null, sampleType: 0n, compressed: [] };
  if (hdrSize === 16) {
    walkRecords(b, dv, 16, b.length, 0n, sink, pipe);
    walkCompressed(pipe, 0n, sink);
    if (!pipe.tracing) throw new Error('no tracing data record');
    return pipe.tracing;
  }
  const attrOff = Number(dv.getBigUint64(24, true));
  const sampleType = dv.getBigUint64(attrOff + 24, true);
  const dataOff = Number(dv.getBigUint64(40, true));
  const dataSize = Number(dv.getBigUint64(48, true));
  const feat0 = dv.getBigUint64(72, true);
  if ((feat0 & 2n) === 0n) throw new Error('no HEADER_TRACING_DATA feature');
  // Feature 1 (tracing data) is the first section after the data when set.
  const secOff = dataOff + dataSize;
  const tOff = Number(dv.getBigUint64(secOff, true));
  const tSize = Number(dv.getBigUint64(secOff + 8, true));
  walkRecords(b, dv, dataOff, dataOff + dataSize, sampleType, sink, pipe);
  walkCompressed(pipe, sampleType, sink);
  return b.slice(tOff, tOff + tSize);
}
