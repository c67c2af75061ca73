import type { StringTable } from '../core/strings.js';
import type { EventFormat } from '../tracefs/event-format.js';

/**
 * A batch of decoded event lines as columns. The payload text stays as bytes in one arena per batch (the
 * input text the batch was decoded from); the normaliser parses it from there. Columns are full-capacity
 * typed arrays: use `length`.
 */
export interface RawBatch {
  length: number;
  /** 1-based input line of each event. */
  line: Int32Array;
  /** int64 nanoseconds; `timeWords` aliases it as little-endian 32-bit words for allocation-free math. */
  timeNs: BigInt64Array;
  timeWords: Uint32Array;
  cpu: Int32Array;
  /** Process id (tgid); only layouts that print `pid/tid` have it. */
  pid: Int32Array;
  pidValid: Uint8Array;
  /** Thread id: the number every layout prints (perf's `tid` field, the tracepoint's common_pid). */
  tid: Int32Array;
  comm: Int32Array;
  event: Int32Array;
  payloadStart: Int32Array;
  payloadEnd: Int32Array;
  arena: Uint8Array;
  /**
   * 1 where the payload span holds the tracepoint's raw sample (perf.data) rather than text; its format is
   * rawFormats[event[i]]. Only events a RawPayloadReader accepted are raw: every other payload is text.
   */
  rawPayload: Uint8Array;
  /** The format of each event-name id whose samples may be raw; shared by every batch of one input. */
  rawFormats: (EventFormat | null)[];
  /** Frames of event i are frames[frameStart[i] .. frameEnd[i]). */
  frameStart: Int32Array;
  frameEnd: Int32Array;
  frames: string[];
  /** Dictionaries shared by every batch of one input. */
  comms: StringTable;
  events: StringTable;
}

/**
 * What reads a tracepoint's raw samples straight into columns (the normaliser, for the formats it knows): a
 * binary decoder then copies the sample's bytes instead of printing its text, where `accepts` says yes.
 */
export interface RawPayloadReader {
  /** Whether this sample's values read from its bytes exactly as from its printed text. */
  accepts(raw: Uint8Array, start: number, end: number): boolean;
}

/** Text decoders' batches: no raw payloads. */
const NO_RAW_FORMATS: (EventFormat | null)[] = [];

/** An empty batch; `arena` is the text its payload spans will point into (the decoder's current text). */
export function newRawBatch(
  capacity: number,
  comms: StringTable,
  events: StringTable,
  arena: Uint8Array,
  rawFormats: (EventFormat | null)[] = NO_RAW_FORMATS,
): RawBatch {
  return rawBatchOf(
    {
      length: 0,
      line: new Int32Array(capacity),
      timeNs: new BigInt64Array(capacity),
      cpu: new Int32Array(capacity),
      pid: new Int32Array(capacity),
      pidValid: new Uint8Array(capacity),
      tid: new Int32Array(capacity),
      comm: new Int32Array(capacity),
      event: new Int32Array(capacity),
      payloadStart: new Int32Array(capacity),
      payloadEnd: new Int32Array(capacity),
      arena,
      rawPayload: new Uint8Array(capacity),
      rawFormats,
      frameStart: new Int32Array(capacity),
      frameEnd: new Int32Array(capacity),
      frames: [],
    },
    comms,
    events,
  );
}

/** The arrays of a batch (no dictionaries, no word view). */
type RawArrays = Omit<RawBatch, 'comms' | 'events' | 'timeWords'>;

/**
 * A RawBatch of these arrays. The only place one is made, so that all share one hidden class and the loops
 * that read them stay monomorphic.
 */
function rawBatchOf(a: RawArrays, comms: StringTable, events: StringTable): RawBatch {
  const b: RawBatch = {
    length: a.length,
    line: a.line,
    timeNs: a.timeNs,
    timeWords: new Uint32Array(a.timeNs.buffer, a.timeNs.byteOffset, a.timeNs.length * 2),
    cpu: a.cpu,
    pid: a.pid,
    pidValid: a.pidValid,
    tid: a.tid,
    comm: a.comm,
    event: a.event,
    payloadStart: a.payloadStart,
    payloadEnd: a.payloadEnd,
    arena: a.arena,
    rawPayload: a.rawPayload,
    rawFormats: a.rawFormats,
    frameStart: a.frameStart,
    frameEnd: a.frameEnd,
    frames: a.frames,
    comms,
    events,
  };
  // A recycled batch (TraceDecoder) gets a new arena and frames. Written twice here, the two fields are
  // mutable from the first batch on, and of any Uint8Array: V8 takes a field written once for a constant (of
  // its first value's class), and the first recycling then threw away the decoder's and normaliser's
  // optimised code.
  b.arena = NO_ARENA;
  b.arena = a.arena;
  b.frames = NO_FRAMES;
  b.frames = a.frames;
  return b;
}

const NO_ARENA = new Uint8Array(0);
/** Only ever stored over at once (above): never read, never grown. */
const NO_FRAMES: string[] = [];
