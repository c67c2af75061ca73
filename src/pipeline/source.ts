/**
 * A trace as normalised batches in input order, whatever it is read from (plain text, .gz, .xz, perf.data,
 * stdin), decoded here as it streams. Decoding segments of a large file on a second thread was tried and
 * removed: it was slower on every trace measured (both threads compile the decoder) and took 130 MB more.
 */
import { TraceDecoder, type LineCounts, type RejectedLine } from '../decode/text/decoder.js';
import { detachEarly } from '../core/detach.js';
import { inputLabel, openTextInput, type InputKind } from '../input/open.js';
import { NetdevTimesError } from '../core/errors.js';
import type { RawBatch } from '../decode/raw-batch.js';
import { LostEvents } from '../core/lost.js';
import {
  openPerfDataFile,
  openPerfDataStream,
  PerfDataDecoder,
  type PerfDataFile,
  type PerfDataMetadata,
} from '../decode/perf-data/index.js';
import * as tracing from '../tracefs/index.js';
import { KernelSymbols } from '../tracefs/index.js';
import { procKallsyms, readKallsyms, runningKernel } from '../input/kernel.js';
import { StringTable } from '../core/strings.js';
import type { EventBatch } from '../normalise/event-batch.js';
import { EventSelector, type FilterSpec, type RecordingFacts } from '../filter/index.js';
import { Normaliser } from '../normalise/normaliser.js';
import type { ReadMeter } from '../input/meter.js';

export interface SourceOptions {
  batchSize?: number;
  keepAllPayloads?: boolean;
  /** Every rejected line, in line order. */
  onReject?: (r: RejectedLine) => void;
  maxLineBytes?: number;
  perf?: string;
  /** perf.data through `perf script` (the text path) instead of the native reader. */
  viaPerf?: boolean;
  /** A kallsyms file of the recording's kernel: kernel addresses of perf.data print as `sym+0xoff`. */
  kallsyms?: string;
  /**
   * The consumer keeps nothing of a batch once it asks for the next one (not even views of its arrays):
   * its arrays are then reused, so a long input allocates no more than a short one.
   */
  recycle?: boolean;
  /** Where the kernel's lost-event records go (the caller's), else the source's own. */
  lost?: LostEvents;
  /** perf script's --time/--cpu/--comm/--pid/--tid: only the events they select are normalised. */
  filter?: FilterSpec | null;
  /** Counts the input's bytes as stored (compressed, or from a stream): for progress. */
  meter?: ReadMeter;
  /** perf.data: print every payload and parse the text, as perf script's would be (the raw reader's oracle). */
  printPayloads?: boolean;
}

export interface TraceSource {
  readonly kind: InputKind;
  readonly comms: StringTable;
  readonly events: StringTable;
  readonly normaliser: Normaliser;
  readonly counts: LineCounts;
  /** The kernel's lost-event records met so far. */
  readonly lost: LostEvents;
  /** Netdev events whose payload did not parse, per event-name id. */
  readonly unparsed: Map<number, number>;
  readonly unterminatedLastLine: boolean;
  /** Input bytes read so far (decoded text for .gz/.xz/perf.data). */
  readonly bytes: number;
  /** The first bytes of the input (for saying what a file with no event looks like). */
  readonly head: Uint8Array;
  /** What a perf.data recording says of itself (header features); null for text. */
  readonly metadata: PerfDataMetadata | null;
  /** What the reader had to work around (a recording cut short, unknown records): said, never silent. */
  readonly warnings: readonly string[];
  /** Where kernel symbols came from: perf (text), a kallsyms file, this machine's, or none (hex addresses). */
  readonly symbols: string;
  /** Events the filter dropped so far (0 without one); `counts` still counts every event read. */
  readonly filteredOut: number;
  batches(): AsyncGenerator<EventBatch>;
}

export async function openTraceSource(path: string, options: SourceOptions = {}): Promise<TraceSource> {
  detachEarly();
  const input = await openTextInput(path, {
    perf: options.perf,
    viaPerf: options.viaPerf,
    reuseChunks: true,
    meter: options.meter,
  });
  if (input.format === 'perf-data') {
    // Opened now: a file's header and features are read before its data, so its metadata is known up front.
    const file = await (input.path === null ? openPerfDataStream(input.chunks) : openPerfDataFile(input.path)).catch(
      (e: unknown) => {
        throw named(inputLabel(path), e);
      },
    );
    if (options.meter) options.meter.spooled = file.spooled;
    return new PerfDataSource(
      inputLabel(path),
      file,
      options,
      symbolsFor(file.setup?.metadata ?? null, options.kallsyms),
    );
  }
  return new StreamSource(input.kind, input.chunks, options);
}

/** What a decoder of either format offers a source: batches handed to its callback, and arrays to reuse. */
interface BatchDecoder {
  push(chunk: Uint8Array): void;
  end(): void;
  recycle(b: RawBatch): void;
}

/**
 * What both sources share: the dictionaries and lost records of the input, the normaliser, and turning the
 * decoder's batches into normalised ones as the chunks arrive.
 */
abstract class DecodingSource {
  readonly comms = new StringTable();
  readonly events = new StringTable();
  readonly lost: LostEvents;
  readonly normaliser: Normaliser;
  bytes = 0;
  head = new Uint8Array(0);
  protected readonly pending: RawBatch[] = [];
  protected abstract readonly decoder: BatchDecoder;
  private readonly recycle: boolean;

  private readonly selector: EventSelector | null;

  constructor(options: SourceOptions, facts: RecordingFacts) {
    this.selector = options.filter ? new EventSelector(options.filter, facts) : null;
    this.recycle = options.recycle ?? false;
    this.lost = options.lost ?? new LostEvents();
    this.normaliser = new Normaliser(options.keepAllPayloads ?? false);
  }

  get unparsed(): Map<number, number> {
    return this.normaliser.unparsed;
  }

  /** The decoder's batches of these chunks, normalised; then the rest at the end. */
  protected async *decode(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<EventBatch> {
    for await (const chunk of chunks) {
      // A copy: the chunk is a buffer the next reads reuse (and a Buffer's slice() is a view).
      if (this.bytes === 0) this.head = new Uint8Array(chunk.subarray(0, 4096));
      this.bytes += chunk.length;
      this.decoder.push(chunk);
      for (const raw of this.pending.splice(0)) yield* this.one(raw);
    }
    this.decoder.end();
    for (const raw of this.pending.splice(0)) yield* this.one(raw);
  }

  /** Told of every raw batch before it is normalised (the text decoder counts its own lines). */
  protected seen?(raw: RawBatch): void;

  get filteredOut(): number {
    return this.selector?.dropped ?? 0;
  }

  private *one(raw: RawBatch): Generator<EventBatch> {
    this.seen?.(raw);
    // As perf script filters before its script sees a sample: a dropped event is never normalised nor matched.
    if (this.selector !== null && this.selector.select(raw) > 0 && raw.length === 0) {
      if (this.recycle) this.decoder.recycle(raw);
      return;
    }
    const b = this.normaliser.normalise(raw);
    yield b;
    // The consumer has asked for the next batch: this one is done with.
    if (this.recycle) {
      this.decoder.recycle(raw);
      this.normaliser.recycle(b);
    }
  }
}

/** perf script text (plain or decompressed), decoded as the chunks arrive. */
class StreamSource extends DecodingSource implements TraceSource {
  readonly metadata = null;
  readonly symbols = 'as perf script printed them';
  readonly warnings: readonly string[] = [];
  protected readonly decoder: TraceDecoder;

  constructor(
    readonly kind: InputKind,
    private readonly chunks: AsyncIterable<Uint8Array>,
    options: SourceOptions,
  ) {
    // Text says nothing of the recording: percent times and the CPU count are unknown.
    super(options, { sampleTime: null, cpus: null });
    this.decoder = new TraceDecoder((b) => this.pending.push(b), {
      batchSize: options.batchSize,
      maxLineBytes: options.maxLineBytes,
      onReject: options.onReject,
      comms: this.comms,
      events: this.events,
      lost: this.lost,
    });
  }

  get counts(): LineCounts {
    return this.decoder.counts;
  }

  get unterminatedLastLine(): boolean {
    return this.decoder.unterminatedLastLine;
  }

  batches(): AsyncGenerator<EventBatch> {
    return this.decode(this.chunks);
  }
}

/**
 * perf.data read natively: a file with positioned reads (header and formats first, then the data section
 * streamed), or a stream from its first byte. Its batches are the text decoder's for the same recording.
 */
class PerfDataSource extends DecodingSource implements TraceSource {
  readonly kind = 'perf-data';
  readonly unterminatedLastLine = false;
  protected readonly decoder: PerfDataDecoder;
  /** Line accounting as `perf script` would print the recording (events, frames, the blank line after frames). */
  readonly counts: LineCounts = { lines: 0, events: 0, header: 0, callchainFrames: 0, blank: 0, lost: 0, rejected: 0 };

  constructor(
    private readonly label: string,
    private readonly file: PerfDataFile,
    options: SourceOptions,
    private readonly kernel: KernelSymbolChoice,
  ) {
    super(options, recordingFacts(file.setup?.metadata ?? null));
    this.decoder = new PerfDataDecoder((b) => this.pending.push(b), {
      batchSize: options.batchSize,
      comms: this.comms,
      events: this.events,
      lost: this.lost,
      tracing,
      kernelSymbols: kernel.symbols,
      rawPayloads: options.printPayloads === true ? undefined : (format) => this.normaliser.rawReader(format),
    });
    if (file.setup) this.decoder.configureFile(file.setup);
  }

  get metadata(): PerfDataMetadata {
    return this.decoder.metadata;
  }

  get warnings(): readonly string[] {
    return this.decoder.warnings;
  }

  get symbols(): string {
    return this.kernel.source;
  }

  async *batches(): AsyncGenerator<EventBatch> {
    try {
      yield* this.decode(this.file.chunks());
    } catch (e) {
      throw named(this.label, e);
    } finally {
      await this.file.close();
    }
  }

  /** The lines perf script would print: each event, its frames, and a blank line after frames. */
  protected override seen(raw: RawBatch): void {
    const c = this.counts;
    const start = raw.frameStart;
    const end = raw.frameEnd;
    let frames = 0;
    let blank = 0;
    for (let i = 0; i < raw.length; i++) {
      const n = end[i] - start[i];
      frames += n;
      if (n > 0) blank++;
    }
    c.events += raw.length;
    c.callchainFrames += frames;
    c.blank += blank;
    c.lines = c.events + c.callchainFrames + c.blank + c.lost;
  }
}

/** What a perf.data file's header says that the filters need (a pipe-mode stream says it too late: nothing). */
function recordingFacts(meta: PerfDataMetadata | null): RecordingFacts {
  const t = meta?.sample_time;
  return {
    sampleTime: t ? { first: BigInt(t.first_ns), last: BigInt(t.last_ns) } : null,
    cpus: meta?.nr_cpus_available ?? null,
  };
}

interface KernelSymbolChoice {
  symbols: KernelSymbols | null;
  source: string;
}

/**
 * Kernel symbols for a perf.data recording: a kallsyms file the user gave; else this machine's /proc/kallsyms
 * when the recording says it is this kernel (its kernel build id, or its os release where it has no build id);
 * else none, and kernel addresses stay hex. A pipe-mode recording's features come later than its first
 * samples: only a given file applies to it.
 */
function symbolsFor(meta: PerfDataMetadata | null, kallsyms: string | undefined): KernelSymbolChoice {
  if (kallsyms !== undefined) {
    return { symbols: KernelSymbols.fromKallsyms(readKallsyms(kallsyms)), source: `kallsyms file ${kallsyms}` };
  }
  if (meta !== null) {
    const running = runningKernel();
    const recorded = meta.build_ids.find((b) => b.kernel && b.filename.startsWith('[kernel.kallsyms]'))?.build_id;
    const same =
      recorded !== undefined && running.buildId !== null
        ? recorded.replace(/(00)+$/, '') === running.buildId.replace(/(00)+$/, '')
        : meta.os_release === running.release;
    const text = same ? procKallsyms() : null;
    if (text !== null)
      return { symbols: KernelSymbols.fromKallsyms(text), source: '/proc/kallsyms (the recording kernel)' };
  }
  return { symbols: null, source: 'none: kernel addresses in hex' };
}

/** The perf.data reader's errors say where in the file it went wrong; this says which file. */
function named(label: string, e: unknown): unknown {
  return e instanceof NetdevTimesError ? new NetdevTimesError(`${label}: ${e.message}`, e.exitCode) : e;
}
