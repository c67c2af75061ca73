/**
 * A decoding thread: decodes and normalises the segments of a plain trace file it is given (byte ranges
 * that start at event lines), and sends each batch back as soon as it is full, then the segment's line
 * counts, rejected lines and unparsed payload counts. Line numbers are relative to the segment; the main
 * thread, which takes segments in file order, moves them.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { TraceDecoder, type LineCounts, type RejectedLine } from '../decode/decoder.js';
import type { RawBatch } from '../decode/raw-batch.js';
import { StringTable } from '../decode/strings.js';
import { Normaliser } from './normaliser.js';
import { BatchSender, type WireBatch } from './wire.js';

export type SegmentRequest =
  | { op: 'open'; path: string; batchSize?: number; keepAllPayloads: boolean; maxLineBytes?: number }
  | { op: 'segment'; k: number; start: number; end: number };

export type SegmentReply =
  | { k: number; batch: WireBatch }
  | { k: number; done: { counts: LineCounts; unterminatedLastLine: boolean; rejects: RejectedLine[]; unparsed: [number, number][] } }
  | { k: number; error: string; code?: string };

const port = parentPort;
const CHUNK = 1 << 20;

let fh: FileHandle | null = null;
let options: Extract<SegmentRequest, { op: 'open' }> | null = null;
const comms = new StringTable();
const events = new StringTable();
let normaliser: Normaliser | null = null;
const sender = new BatchSender();
let queue: Promise<void> = Promise.resolve();

function post(r: SegmentReply, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(r, transfer);
}

async function decodeSegment(k: number, start: number, end: number): Promise<void> {
  if (!fh || !options || !normaliser) throw new Error('segment before open');
  const n = normaliser;
  const rejects: RejectedLine[] = [];
  const before = new Map(n.unparsed);
  // Batches leave after push() returns: until then the decoder may still read the text of the last one.
  const full: RawBatch[] = [];
  const decoder = new TraceDecoder((raw) => full.push(raw), {
    batchSize: options.batchSize, maxLineBytes: options.maxLineBytes, comms, events, onReject: (r) => rejects.push(r),
  });
  const send = (): void => {
    for (const raw of full.splice(0)) {
      const { wire, transfer } = sender.toWire(n.normalise(raw));
      post({ k, batch: wire }, transfer);
    }
  };
  const buf = Buffer.allocUnsafe(CHUNK);
  for (let pos = start; pos < end;) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, end - pos), pos);
    if (bytesRead === 0) break;
    decoder.push(buf.subarray(0, bytesRead));
    pos += bytesRead;
    send();
  }
  decoder.end();
  send();
  const unparsed: [number, number][] = [];
  for (const [id, count] of n.unparsed) {
    const d = count - (before.get(id) ?? 0);
    if (d > 0) unparsed.push([id, d]);
  }
  post({ k, done: { counts: { ...decoder.counts }, unterminatedLastLine: decoder.unterminatedLastLine, rejects, unparsed } });
}

port?.on('message', (m: SegmentRequest) => {
  if (m.op === 'open') {
    options = m;
    normaliser = new Normaliser(m.keepAllPayloads);
    queue = queue.then(async () => {
      fh = await open(m.path, 'r');
    });
    return;
  }
  // Segments are decoded one after another, in the order they were asked for.
  queue = queue.then(() => decodeSegment(m.k, m.start, m.end)).catch((e: unknown) => {
    const err: NodeJS.ErrnoException = e instanceof Error ? e : new Error(String(e));
    post({ k: m.k, error: err.message, code: err.code });
  });
});
