/**
 * A trace as normalised batches in input order, whatever it is read from (plain text, .gz, .xz, perf.data,
 * stdin), decoded here as it streams. Decoding segments of a large file on a second thread was tried and
 * removed: it was slower on every trace measured (both threads compile the decoder) and took 130 MB more.
 */
import { TraceDecoder, type LineCounts, type RejectedLine } from '../decode/text/decoder.js';
import { detachEarly } from '../core/detach.js';
import { openTextInput, type InputKind } from '../input/open.js';
import type { RawBatch } from '../decode/raw-batch.js';
import { StringTable } from '../core/strings.js';
import type { EventBatch } from '../normalise/event-batch.js';
import { Normaliser } from '../normalise/normaliser.js';

export interface SourceOptions {
  batchSize?: number;
  keepAllPayloads?: boolean;
  /** Every rejected line, in line order. */
  onReject?: (r: RejectedLine) => void;
  maxLineBytes?: number;
  perf?: string;
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

export async function openTraceSource(path: string, options: SourceOptions = {}): Promise<TraceSource> {
  detachEarly();
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

  constructor(
    readonly kind: InputKind,
    private readonly chunks: AsyncIterable<Uint8Array>,
    options: SourceOptions,
  ) {
    this.recycle = options.recycle ?? false;
    this.normaliser = new Normaliser(options.keepAllPayloads ?? false);
    this.decoder = new TraceDecoder((b) => this.pending.push(b), {
      batchSize: options.batchSize,
      maxLineBytes: options.maxLineBytes,
      onReject: options.onReject,
      comms: this.comms,
      events: this.events,
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
