/**
 * EventBatches between threads: a segment decoded on another thread comes back as its typed arrays
 * (transferred, not copied) plus the dictionary entries that thread added since its previous batch. The
 * receiving side interns those entries in its own dictionaries and rewrites the batch's ids in place, so
 * the batch looks as if this thread had decoded it.
 */
import { rawBatchOf, type RawArrays } from '../decode/raw-batch.js';
import type { StringTable } from '../decode/strings.js';
import { dictColumnOf, intColumnOf, u64ColumnOf } from './columns.js';
import { eventBatchOf, type EventBatch, type FieldTables } from './event-batch.js';

const DICTS = ['dev', 'irqName', 'ret', 'vecName', 'location', 'reason'] as const satisfies readonly (keyof FieldTables)[];
type DictName = (typeof DICTS)[number];
const INTS = ['len', 'rc', 'irq', 'vec', 'work', 'budget', 'protocol'] as const;
const U64S = ['skbaddr', 'napi', 'rxSk'] as const;

interface Values<T> {
  values: T;
  valid: Uint8Array;
}

export interface WireBatch {
  raw: RawArrays;
  kind: Uint8Array;
  parsed: Uint8Array;
  keepPayload: Uint8Array;
  ints: Record<(typeof INTS)[number], Values<Int32Array>>;
  u64s: Record<(typeof U64S)[number], Values<BigUint64Array>>;
  ids: Record<DictName, Int32Array>;
  /** Entries each dictionary gained since the previous batch, in id order. */
  added: Record<DictName | 'comm' | 'event', string[]>;
}

/** Sending side: remembers how much of each dictionary the other thread has. */
export class BatchSender {
  private readonly sent = new Map<StringTable, number>();

  private added(t: StringTable): string[] {
    const from = this.sent.get(t) ?? 0;
    this.sent.set(t, t.size);
    return from < t.size ? t.values.slice(from) : [];
  }

  toWire(b: EventBatch): { wire: WireBatch; transfer: ArrayBuffer[] } {
    const { comms, events, timeWords: _words, ...raw } = b.raw;
    const v = <T>(c: { values: T; valid: Uint8Array }): Values<T> => ({ values: c.values, valid: c.valid });
    const wire: WireBatch = {
      raw,
      kind: b.kind,
      parsed: b.parsed,
      keepPayload: b.keepPayload,
      ints: { len: v(b.len), rc: v(b.rc), irq: v(b.irq), vec: v(b.vec), work: v(b.work), budget: v(b.budget), protocol: v(b.protocol) },
      u64s: { skbaddr: v(b.skbaddr), napi: v(b.napi), rxSk: v(b.rxSk) },
      ids: { dev: b.dev.ids, irqName: b.irqName.ids, ret: b.ret.ids, vecName: b.vecName.ids, location: b.location.ids, reason: b.reason.ids },
      added: {
        comm: this.added(comms), event: this.added(events), dev: this.added(b.dev.table), irqName: this.added(b.irqName.table),
        ret: this.added(b.ret.table), vecName: this.added(b.vecName.table), location: this.added(b.location.table), reason: this.added(b.reason.table),
      },
    };
    const buffers = new Set<ArrayBuffer>();
    const add = (a: { buffer: ArrayBufferLike }): void => {
      if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
    };
    for (const a of [raw.line, raw.timeNs, raw.cpu, raw.pid, raw.pidValid, raw.tid, raw.comm, raw.event, raw.payloadStart, raw.payloadEnd, raw.arena, raw.frameStart, raw.frameEnd, b.kind, b.parsed, b.keepPayload]) add(a);
    for (const c of Object.values(wire.ints)) {
      add(c.values);
      add(c.valid);
    }
    for (const c of Object.values(wire.u64s)) {
      add(c.values);
      add(c.valid);
    }
    for (const ids of Object.values(wire.ids)) add(ids);
    return { wire, transfer: [...buffers] };
  }
}

/** id in the other thread's dictionary -> id in ours, grown as entries arrive. */
class IdMap {
  map = new Int32Array(64);
  size = 0;

  constructor(readonly table: StringTable) {}

  add(values: string[]): void {
    if (this.size + values.length > this.map.length) {
      const grown = new Int32Array(Math.max(this.map.length * 2, this.size + values.length));
      grown.set(this.map);
      this.map = grown;
    }
    for (const v of values) this.map[this.size++] = this.table.idOf(v);
  }

  /** Rewrites ids[0, n) in place; negative ids (null) stay. */
  remap(ids: Int32Array, n: number): void {
    const m = this.map;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (id >= 0) ids[i] = m[id];
    }
  }
}

/** Receiving side: batches from one other thread, into this thread's dictionaries. */
export class BatchReceiver {
  private readonly comm: IdMap;
  private readonly event: IdMap;
  private readonly dicts: Record<DictName, IdMap>;

  constructor(private readonly comms: StringTable, private readonly events: StringTable, private readonly tables: FieldTables) {
    this.comm = new IdMap(comms);
    this.event = new IdMap(events);
    this.dicts = {
      dev: new IdMap(tables.dev), irqName: new IdMap(tables.irqName), ret: new IdMap(tables.ret),
      vecName: new IdMap(tables.vecName), location: new IdMap(tables.location), reason: new IdMap(tables.reason),
    };
  }

  /** An event id of the other thread in this thread's events dictionary. */
  eventId(theirs: number): number {
    return this.event.map[theirs];
  }

  /** The batch, its lines moved by `lineOffset`, with this thread's dictionaries. */
  fromWire(w: WireBatch, lineOffset: number): EventBatch {
    const n = w.raw.length;
    this.comm.add(w.added.comm);
    this.event.add(w.added.event);
    for (const d of DICTS) this.dicts[d].add(w.added[d]);
    this.comm.remap(w.raw.comm, n);
    this.event.remap(w.raw.event, n);
    for (const d of DICTS) this.dicts[d].remap(w.ids[d], n);
    if (lineOffset !== 0) for (let i = 0; i < n; i++) w.raw.line[i] += lineOffset;
    const t = this.tables;
    const int = (c: Values<Int32Array>): ReturnType<typeof intColumnOf> => intColumnOf(c.values, c.valid);
    const u64 = (c: Values<BigUint64Array>): ReturnType<typeof u64ColumnOf> => u64ColumnOf(c.values, c.valid);
    // Rebuilt through the same constructors as a batch decoded here: the same hidden classes downstream.
    return eventBatchOf(rawBatchOf(w.raw, this.comms, this.events), {
      kind: w.kind,
      parsed: w.parsed,
      keepPayload: w.keepPayload,
      dev: dictColumnOf(w.ids.dev, t.dev),
      skbaddr: u64(w.u64s.skbaddr),
      len: int(w.ints.len),
      rc: int(w.ints.rc),
      irq: int(w.ints.irq),
      irqName: dictColumnOf(w.ids.irqName, t.irqName),
      ret: dictColumnOf(w.ids.ret, t.ret),
      vec: int(w.ints.vec),
      vecName: dictColumnOf(w.ids.vecName, t.vecName),
      napi: u64(w.u64s.napi),
      work: int(w.ints.work),
      budget: int(w.ints.budget),
      protocol: int(w.ints.protocol),
      location: dictColumnOf(w.ids.location, t.location),
      reason: dictColumnOf(w.ids.reason, t.reason),
      rxSk: u64(w.u64s.rxSk),
    });
  }
}
