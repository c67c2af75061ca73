/**
 * A trace as normalised batches in input order, whatever it is read from. A large plain file is cut into
 * segments at event lines and every other segment is decoded and normalised by a second thread while this
 * one decodes its own; its batches come back with their arrays transferred and are put into this thread's
 * dictionaries and line numbering, so consumers see one input decoded in order. At most one segment of
 * the other thread waits here at a time, so memory stays flat. Anything else (stdin, .gz, .xz, perf.data,
 * small files, inside a worker thread) is decoded here, as it streams.
 */
import { stat } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread, Worker } from 'node:worker_threads';
import { TraceDecoder, type LineCounts, type RejectedLine } from '../decode/decoder.js';
import { detachEarly } from '../decode/detach.js';
import { openTextInput, type InputKind } from '../decode/input.js';
import type { RawBatch } from '../decode/raw-batch.js';
import { eventLineAtOrAfter } from '../decode/segments.js';
import { StringTable } from '../decode/strings.js';
import { NetdevTimesError, asLineNo } from '../decode/types.js';
import type { EventBatch } from './event-batch.js';
import { Normaliser } from './normaliser.js';
import type { SegmentReply, SegmentRequest } from './segment-worker.js';
import { BatchReceiver } from './wire.js';

export interface SourceOptions {
  batchSize?: number;
  keepAllPayloads?: boolean;
  /** Every rejected line, in line order. */
  onReject?: (r: RejectedLine) => void;
  maxLineBytes?: number;
  perf?: string;
  /** Decode a large plain file on two threads (on the main thread only; off by default: see SegmentedSource). */
  parallel?: boolean;
  /** Segment size for parallel decoding (tests use small ones). */
  segmentBytes?: number;
  /**
   * The consumer keeps nothing of a batch once it asks for the next one (not even views of its arrays):
   * its arrays are then reused, so a long input allocates no more than a short one.
   */
  recycle?: boolean;
}

export interface TraceSource {
  readonly kind: InputKind;
  readonly comms: StringTable;
  readonly events: StringTable;
  readonly normaliser: Normaliser;
  readonly counts: LineCounts;
  /** Netdev events whose payload did not parse, per event-name id. */
  readonly unparsed: Map<number, number>;
  readonly unterminatedLastLine: boolean;
  /** Input bytes read so far (decoded text for .gz/.xz/perf.data). */
  readonly bytes: number;
  /** The first bytes of the input (for saying what a file with no event looks like). */
  readonly head: Uint8Array;
  batches(): AsyncGenerator<EventBatch>;
}

/** Segments decoded by either thread; this thread takes the even ones. */
const SEGMENT = 4 << 20;
/**
 * The other thread's segments: two of every three from the third on. This thread also correlates (and
 * re-interns) every batch, so it decodes less; its first two segments overlap the other thread's start-up
 * (a fresh V8 isolate, cold code).
 */
const theirs = (k: number): boolean => k >= 2 && k % 3 !== 1;
/** Segments of the other thread asked for but not yet taken here: what it may run ahead by. */
const AHEAD = 3;

const emptyCounts = (): LineCounts => ({ lines: 0, events: 0, header: 0, callchainFrames: 0, blank: 0, rejected: 0 });

function addCounts(into: LineCounts, c: LineCounts): void {
  into.lines += c.lines;
  into.events += c.events;
  into.header += c.header;
  into.callchainFrames += c.callchainFrames;
  into.blank += c.blank;
  into.rejected += c.rejected;
}

/**
 * NETDEV_TIMES_THREADS as set: 1 keeps everything on this thread, 2 (or more) puts a second thread to work;
 * undefined when unset or not a positive integer (each command then decides).
 */
export function threadsSetting(): number | undefined {
  const v = Number(process.env.NETDEV_TIMES_THREADS);
  return process.env.NETDEV_TIMES_THREADS !== undefined && Number.isInteger(v) && v >= 1 ? v : undefined;
}

/**
 * Segment decoding of a large plain file on a second thread (the report), only when NETDEV_TIMES_THREADS=2
 * or more asks for it: measured, it made the report slower (tcp-bulk 0.92 s -> 1.37 s) with 90 MB more
 * memory, both threads having to compile the decoder. Never inside a worker thread (convertMany's workers
 * each convert an input of their own).
 */
export function secondThread(): boolean {
  return isMainThread && (threadsSetting() ?? 1) >= 2;
}

export async function openTraceSource(path: string, options: SourceOptions = {}): Promise<TraceSource> {
  detachEarly();
  const parallel = (options.parallel ?? false) && isMainThread;
  if (parallel && path !== '-') {
    const workerUrl = new URL('./segment-worker.js', import.meta.url);
    const size = await stat(path).then((s) => (s.isFile() ? s.size : 0), () => 0);
    if (size >= 3 * (options.segmentBytes ?? SEGMENT) && existsSync(fileURLToPath(workerUrl))) {
      const input = await openTextInput(path, { perf: options.perf, reuseChunks: true });
      if (input.kind === 'text') return new SegmentedSource(path, size, workerUrl, options);
      return new StreamSource(input.kind, input.chunks, options);
    }
  }
  const input = await openTextInput(path, { perf: options.perf, reuseChunks: true });
  return new StreamSource(input.kind, input.chunks, options);
}

/** Decoded here as the chunks arrive. */
class StreamSource implements TraceSource {
  readonly comms = new StringTable();
  readonly events = new StringTable();
  readonly normaliser: Normaliser;
  private readonly decoder: TraceDecoder;
  private readonly pending: RawBatch[] = [];
  bytes = 0;
  head = new Uint8Array(0);

  private readonly recycle: boolean;

  constructor(readonly kind: InputKind, private readonly chunks: AsyncIterable<Uint8Array>, options: SourceOptions) {
    this.recycle = options.recycle ?? false;
    this.normaliser = new Normaliser(options.keepAllPayloads ?? false);
    this.decoder = new TraceDecoder((b) => this.pending.push(b), {
      batchSize: options.batchSize, maxLineBytes: options.maxLineBytes, onReject: options.onReject, comms: this.comms, events: this.events,
    });
  }

  get counts(): LineCounts {
    return this.decoder.counts;
  }

  get unparsed(): Map<number, number> {
    return this.normaliser.unparsed;
  }

  get unterminatedLastLine(): boolean {
    return this.decoder.unterminatedLastLine;
  }

  async *batches(): AsyncGenerator<EventBatch> {
    for await (const chunk of this.chunks) {
      // A copy: the chunk is a buffer the next reads reuse (and a Buffer's slice() is a view).
      if (this.bytes === 0) this.head = new Uint8Array(chunk.subarray(0, 4096));
      this.bytes += chunk.length;
      this.decoder.push(chunk);
      for (const raw of this.pending.splice(0)) yield* this.one(raw);
    }
    this.decoder.end();
    for (const raw of this.pending.splice(0)) yield* this.one(raw);
  }

  private *one(raw: RawBatch): Generator<EventBatch> {
    const b = this.normaliser.normalise(raw);
    yield b;
    // The consumer has asked for the next batch: this one is done with.
    if (this.recycle) {
      this.decoder.recycle(raw);
      this.normaliser.recycle(b);
    }
  }
}

type Done = Extract<SegmentReply, { done: unknown }>['done'];

/** A plain file decoded in segments by this thread and a second one. */
class SegmentedSource implements TraceSource {
  readonly kind: InputKind = 'text';
  readonly comms = new StringTable();
  readonly events = new StringTable();
  readonly normaliser: Normaliser;
  readonly counts = emptyCounts();
  unterminatedLastLine = false;
  bytes = 0;
  head = new Uint8Array(0);
  private readonly receiver: BatchReceiver;
  private readonly segment: number;

  constructor(private readonly path: string, private readonly size: number, private readonly workerUrl: URL, private readonly options: SourceOptions) {
    this.normaliser = new Normaliser(options.keepAllPayloads ?? false);
    this.receiver = new BatchReceiver(this.comms, this.events, this.normaliser.tables);
    this.segment = options.segmentBytes ?? SEGMENT;
  }

  /** Both threads' counts, by this thread's event ids (the other thread's are added as its segments end). */
  get unparsed(): Map<number, number> {
    return this.normaliser.unparsed;
  }

  async *batches(): AsyncGenerator<EventBatch> {
    // Started first: its start-up (a fresh V8 isolate) overlaps this thread's first segments.
    const worker = new Worker(this.workerUrl);
    const fh = await open(this.path, 'r');
    /** Replies per segment, and who is waiting for the next one. */
    const inbox = new Map<number, SegmentReply[]>();
    let wake: (() => void) | null = null;
    let failure: Error | null = null;
    worker.on('message', (r: SegmentReply) => {
      const q = inbox.get(r.k);
      if (q) q.push(r);
      else inbox.set(r.k, [r]);
      wake?.();
    });
    let stopping = false;
    worker.on('error', (e: Error) => {
      failure = e;
      wake?.();
    });
    worker.on('exit', (code) => {
      if (!stopping) failure ??= new Error(`the decoding thread exited (code ${code})`);
      wake?.();
    });
    const post = (m: SegmentRequest): void => worker.postMessage(m);
    try {
      post({ op: 'open', path: this.path, batchSize: this.options.batchSize, keepAllPayloads: this.options.keepAllPayloads ?? false, maxLineBytes: this.options.maxLineBytes });
      const head = Buffer.alloc(4096);
      this.head = head.subarray(0, (await fh.read(head, 0, 4096, 0)).bytesRead);
      // Boundaries, found as needed: bounds[k] is where segment k starts; the last one is the file size.
      const bounds = [0];
      const boundary = async (k: number): Promise<number> => {
        while (bounds.length <= k) {
          const prev = bounds[bounds.length - 1];
          bounds.push(prev >= this.size ? this.size : await eventLineAtOrAfter(fh, Math.max(bounds.length * this.segment, prev + 1), this.size));
        }
        return bounds[k];
      };
      /** Asks the other thread for its next segments, up to AHEAD beyond segment `from`. */
      let asked = 1;
      const askAhead = async (from: number): Promise<void> => {
        let outstanding = 0;
        for (let j = from + 1; j <= asked; j++) if (theirs(j)) outstanding++;
        while (outstanding < AHEAD) {
          const k = ++asked;
          if (!theirs(k)) continue;
          const start = await boundary(k);
          if (start >= this.size) return;
          post({ op: 'segment', k, start, end: await boundary(k + 1) });
          outstanding++;
        }
      };
      await askAhead(0);
      for (let k = 0; ; k++) {
        const start = await boundary(k);
        if (start >= this.size) break;
        const end = await boundary(k + 1);
        if (!theirs(k)) {
          yield* this.decodeHere(fh, start, end, end >= this.size);
        } else {
          // While this thread takes segment k, the other one goes on with the next ones.
          await askAhead(k);
          for (;;) {
            const q = inbox.get(k);
            const r = q?.shift();
            if (!r) {
              if (failure) throw failure;
              await new Promise<void>((resolve) => (wake = resolve));
              wake = null;
              continue;
            }
            if ('error' in r) throw new NetdevTimesError(`${this.path}: cannot read (${r.code ?? r.error})`, 2);
            if ('batch' in r) {
              yield this.receiver.fromWire(r.batch, this.counts.lines);
              continue;
            }
            inbox.delete(k);
            this.finishSegment(r.done, end >= this.size);
            this.bytes = end;
            break;
          }
        }
      }
    } finally {
      stopping = true;
      await worker.terminate();
      await fh.close();
    }
  }

  /** This thread's segment, decoded as it is read. */
  private async *decodeHere(fh: Awaited<ReturnType<typeof open>>, start: number, end: number, last: boolean): AsyncGenerator<EventBatch> {
    const pending: RawBatch[] = [];
    const decoder = new TraceDecoder((b) => pending.push(b), {
      batchSize: this.options.batchSize, maxLineBytes: this.options.maxLineBytes, onReject: this.options.onReject,
      comms: this.comms, events: this.events, lineOffset: this.counts.lines,
    });
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let pos = start; pos < end;) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - pos), pos);
      if (bytesRead === 0) break;
      decoder.push(buf.subarray(0, bytesRead));
      pos += bytesRead;
      this.bytes = pos;
      for (const raw of pending.splice(0)) yield this.normaliser.normalise(raw);
    }
    decoder.end();
    for (const raw of pending.splice(0)) yield this.normaliser.normalise(raw);
    addCounts(this.counts, decoder.counts);
    if (last) this.unterminatedLastLine = decoder.unterminatedLastLine;
  }

  private finishSegment(d: Done, last: boolean): void {
    const offset = this.counts.lines;
    for (const r of d.rejects) this.options.onReject?.({ ...r, line: asLineNo(r.line + offset) });
    for (const [id, n] of d.unparsed) {
      const ours = this.receiver.eventId(id);
      this.unparsed.set(ours, (this.unparsed.get(ours) ?? 0) + n);
    }
    addCounts(this.counts, d.counts);
    if (last) this.unterminatedLastLine = d.unterminatedLastLine;
  }
}
