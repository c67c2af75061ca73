import type { RawBatch } from '../decode/raw-batch.js';
import type { DictColumn, IntColumn, U64Column } from '../core/columns.js';
import { eventBatchOf, FieldTables, newEventBatch, type EventBatch } from './event-batch.js';
import { EventKind, kindOfName } from './kinds.js';
import { FastPaths } from './payload-fast.js';
import { parseGeneric } from './payload.js';
import { rawReaderFor, RawReader } from './payload-raw.js';
import type { EventFormat } from '../tracefs/event-format.js';

/** Rows per call of the row loop (see rows()). */
const SLICE = 1024;

/** Turns RawBatches of one input into EventBatches; keeps the dictionaries shared across its batches. */
export class Normaliser {
  readonly tables = new FieldTables();
  /** EventKind of each event-name id of the decoder's table (grown on demand). */
  private kindOfEventId = new Uint8Array(0);
  /** How many leading ids of kindOfEventId are classified (the rest is spare room, not yet seen). */
  private kindsKnown = 0;
  /** Netdev events whose payload did not parse, per event name id. */
  readonly unparsed = new Map<number, number>();

  /** A batch given back (recycle) whose columns serve the next one. */
  private spare: EventBatch | null = null;
  private readonly fast = new FastPaths();
  /** Readers of raw samples (perf.data) by format, made when the decoder asked (rawReader). */
  private readonly rawReaders = new Map<EventFormat, RawReader>();
  /** The batch being normalised: its raw readers by event-name id. */
  private rawByEvent: (RawReader | undefined)[] = [];

  constructor(private readonly keepAllPayloads = false) {}

  /**
   * Gives back a batch the caller is done with (nothing of it kept): its columns are cleared and reused for
   * the next batch. Optional; without it every batch has new columns.
   */
  recycle(b: EventBatch): void {
    if (b.dev.table === this.tables.dev) this.spare = b;
  }

  private columnsFor(raw: RawBatch): EventBatch {
    const b = this.spare;
    this.spare = null;
    if (!b || b.kind.length < raw.length) return newEventBatch(raw, this.tables);
    // What normalise() only ever sets: cleared, values too, so a reused batch is byte for byte a new one.
    b.parsed.fill(0);
    b.keepPayload.fill(0);
    clearInts(b.len, b.rc, b.irq, b.vec, b.work, b.budget, b.protocol);
    clearU64s(b.skbaddr, b.napi, b.rxSk);
    clearIds(b.dev, b.irqName, b.ret, b.vecName, b.location, b.reason);
    return eventBatchOf(raw, b);
  }

  /**
   * A reader of `format`'s raw samples for the perf.data decoder (which then hands them over unprinted), or
   * null: not a netdev tracepoint, a print format not read raw, or every payload to be kept as text.
   */
  rawReader(format: EventFormat): RawReader | null {
    if (this.keepAllPayloads) return null;
    const kind = kindOfName(format.fullName);
    if (kind === EventKind.Other) return null;
    let r = this.rawReaders.get(format);
    if (r === undefined) {
      const made = rawReaderFor(kind, format, this.tables);
      if (made === null) return null;
      r = made;
      this.rawReaders.set(format, r);
    }
    return r;
  }

  normalise(raw: RawBatch): EventBatch {
    const batch = this.columnsFor(raw);
    this.learnKinds(raw.events.values);
    const formats = raw.rawFormats;
    if (formats.length > 0) {
      const by = this.rawByEvent;
      for (let id = 0; id < formats.length; id++) {
        const f = formats[id];
        by[id] = f ? this.rawReaders.get(f) : undefined;
      }
    }
    this.fast.bind(batch);
    for (let from = 0; from < raw.length; from += SLICE) this.rows(batch, from, Math.min(raw.length, from + SLICE));
    return batch;
  }

  /** Classifies the event names the decoder added since the last batch. */
  private learnKinds(names: readonly string[]): void {
    if (this.kindsKnown >= names.length) return;
    if (this.kindOfEventId.length < names.length) {
      const grown = new Uint8Array(names.length + 16);
      grown.set(this.kindOfEventId.subarray(0, this.kindsKnown));
      this.kindOfEventId = grown;
    }
    for (let id = this.kindsKnown; id < names.length; id++) this.kindOfEventId[id] = kindOfName(names[id]);
    this.kindsKnown = names.length;
  }

  /**
   * Rows [from, to) of a batch bound to the fast paths. Called per slice of rows rather than once per batch:
   * V8 then optimises this loop as a function soon, instead of replacing a long-running loop on the stack.
   */
  private rows(batch: EventBatch, from: number, to: number): void {
    const kinds = this.kindOfEventId;
    const keepAll = this.keepAllPayloads;
    const fast = this.fast;
    // Arrays in locals: the loop then loads no batch property per row.
    const raw = batch.raw;
    const event = raw.event;
    const start = raw.payloadStart;
    const end = raw.payloadEnd;
    const kindOf = batch.kind;
    const parsed = batch.parsed;
    const keep = batch.keepPayload;
    const rawPayload = raw.rawPayload;
    for (let i = from; i < to; i++) {
      // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- kinds live in a Uint8Array, typed number
      const kind: EventKind = kinds[event[i]];
      kindOf[i] = kind;
      if (rawPayload[i] === 1) {
        this.parseRaw(batch, i);
        continue;
      }
      if (kind === EventKind.Other) {
        keep[i] = 1;
        continue;
      }
      if (fast.parse(kind, start[i], end[i], i)) {
        parsed[i] = 1;
      } else {
        parseGeneric(batch, i, kind);
        if (parsed[i] === 0) this.countUnparsed(event[i]);
      }
      if (keepAll) keep[i] = 1;
    }
  }

  private parseRaw(batch: EventBatch, i: number): void {
    const raw = batch.raw;
    const reader = this.rawByEvent[raw.event[i]];
    // Only a sample this normaliser's reader accepted is raw; another normaliser's batch is a wiring bug.
    if (reader === undefined) throw new Error('a raw sample without its reader');
    reader.parse(batch, i, raw.arena, raw.payloadStart[i], raw.payloadEnd[i]);
  }

  private countUnparsed(eventId: number): void {
    this.unparsed.set(eventId, (this.unparsed.get(eventId) ?? 0) + 1);
  }
}

function clearInts(...cs: IntColumn[]): void {
  for (const c of cs) {
    c.values.fill(0);
    c.valid.fill(0);
  }
}

function clearU64s(...cs: U64Column[]): void {
  for (const c of cs) {
    c.words.fill(0);
    c.valid.fill(0);
  }
}

function clearIds(...cs: DictColumn[]): void {
  for (const c of cs) c.ids.fill(-1);
}
