import type { RawBatch } from '../decode/raw-batch.js';
import { StringTable } from '../core/strings.js';
import { dictColumn, intColumn, u64Column, type DictColumn, type IntColumn, type U64Column } from '../core/columns.js';

/** Dictionaries of the typed string fields, shared by every batch of one input. */
export class FieldTables {
  readonly dev = new StringTable();
  readonly irqName = new StringTable();
  readonly ret = new StringTable();
  readonly vecName = new StringTable();
  readonly location = new StringTable();
  readonly reason = new StringTable();
}

/** A RawBatch with each tracepoint's fields parsed into typed, nullable columns. */
export interface EventBatch {
  raw: RawBatch;
  length: number;
  /** EventKind of each row. */
  kind: Uint8Array;
  /** 1 when every field its tracepoint requires was parsed; 0 for unparsable netdev payloads and other events. */
  parsed: Uint8Array;
  /** 1 when the raw payload must be kept: other events, unparsed payloads, unknown extra fields. */
  keepPayload: Uint8Array;
  dev: DictColumn;
  skbaddr: U64Column;
  len: IntColumn;
  rc: IntColumn;
  irq: IntColumn;
  irqName: DictColumn;
  ret: DictColumn;
  vec: IntColumn;
  vecName: DictColumn;
  napi: U64Column;
  work: IntColumn;
  budget: IntColumn;
  protocol: IntColumn;
  location: DictColumn;
  reason: DictColumn;
  rxSk: U64Column;
}

export function newEventBatch(raw: RawBatch, t: FieldTables): EventBatch {
  const n = raw.length;
  return eventBatchOf(raw, {
    kind: new Uint8Array(n),
    parsed: new Uint8Array(n),
    keepPayload: new Uint8Array(n),
    dev: dictColumn(n, t.dev),
    skbaddr: u64Column(n),
    len: intColumn(n),
    rc: intColumn(n),
    irq: intColumn(n),
    irqName: dictColumn(n, t.irqName),
    ret: dictColumn(n, t.ret),
    vec: intColumn(n),
    vecName: dictColumn(n, t.vecName),
    napi: u64Column(n),
    work: intColumn(n),
    budget: intColumn(n),
    protocol: intColumn(n),
    location: dictColumn(n, t.location),
    reason: dictColumn(n, t.reason),
    rxSk: u64Column(n),
  });
}

export type EventColumns = Omit<EventBatch, 'raw' | 'length'>;

/** The only place an EventBatch is made (one hidden class, also for the recycled batches the normaliser reuses). */
export function eventBatchOf(raw: RawBatch, c: EventColumns): EventBatch {
  return {
    raw,
    length: raw.length,
    kind: c.kind,
    parsed: c.parsed,
    keepPayload: c.keepPayload,
    dev: c.dev,
    skbaddr: c.skbaddr,
    len: c.len,
    rc: c.rc,
    irq: c.irq,
    irqName: c.irqName,
    ret: c.ret,
    vec: c.vec,
    vecName: c.vecName,
    napi: c.napi,
    work: c.work,
    budget: c.budget,
    protocol: c.protocol,
    location: c.location,
    reason: c.reason,
    rxSk: c.rxSk,
  };
}
