/** Test helpers: decode and normalise event lines, and read each row's typed fields back as plain values. */
import type { DictColumn, IntColumn, U64Column } from '../../src/core/columns.js';
import type { EventBatch } from '../../src/normalise/event-batch.js';
import type { EventKind } from '../../src/normalise/kinds.js';
import { Normaliser } from '../../src/normalise/normaliser.js';
import { TraceDecoder, type RejectedLine } from '../../src/decode/text/decoder.js';

/** The row's kind/parsed/keepPayload and only its non-null typed fields, so that toEqual also checks the nulls. */
export interface Fields {
  event: string;
  kind: EventKind;
  parsed: number;
  keepPayload: number;
  dev?: string;
  skbaddr?: bigint;
  len?: number;
  rc?: number;
  irq?: number;
  irqName?: string;
  ret?: string;
  vec?: number;
  vecName?: string;
  napi?: bigint;
  work?: number;
  budget?: number;
  protocol?: number;
  location?: string;
  reason?: string;
  rxSk?: bigint;
}

const int = (c: IntColumn, i: number): number | undefined => (c.valid[i] ? c.values[i] : undefined);
const u64 = (c: U64Column, i: number): bigint | undefined => (c.valid[i] ? c.values[i] : undefined);
const str = (c: DictColumn, i: number): string | undefined => (c.ids[i] >= 0 ? c.table.values[c.ids[i]] : undefined);

/** The kind of row i. */
export function kindOf(b: EventBatch, i: number): EventKind {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the batch keeps kinds in a Uint8Array, typed number
  return b.kind[i];
}

export function fieldsOf(b: EventBatch, i: number): Fields {
  const all: Fields = {
    event: b.raw.events.values[b.raw.event[i]],
    kind: kindOf(b, i),
    parsed: b.parsed[i],
    keepPayload: b.keepPayload[i],
    dev: str(b.dev, i),
    skbaddr: u64(b.skbaddr, i),
    len: int(b.len, i),
    rc: int(b.rc, i),
    irq: int(b.irq, i),
    irqName: str(b.irqName, i),
    ret: str(b.ret, i),
    vec: int(b.vec, i),
    vecName: str(b.vecName, i),
    napi: u64(b.napi, i),
    work: int(b.work, i),
    budget: int(b.budget, i),
    protocol: int(b.protocol, i),
    location: str(b.location, i),
    reason: str(b.reason, i),
    rxSk: u64(b.rxSk, i),
  };
  const out: Fields = { event: all.event, kind: all.kind, parsed: all.parsed, keepPayload: all.keepPayload };
  const entries: [string, unknown][] = Object.entries(all);
  for (const [k, v] of entries) if (v !== undefined) Object.assign(out, { [k]: v });
  return out;
}

/**
 * Decodes and normalises `text` as the pipeline does: each batch is normalised as soon as the decoder hands it
 * over, so event names first seen in later batches are not yet in the dictionary.
 */
export function normaliseText(text: string, opts: { keepAllPayloads?: boolean; batchSize?: number } = {}): Fields[] {
  const n = new Normaliser(opts.keepAllPayloads ?? false);
  const out: Fields[] = [];
  const rejects: RejectedLine[] = [];
  const dec = new TraceDecoder(
    (raw) => {
      const b = n.normalise(raw);
      for (let i = 0; i < b.length; i++) out.push(fieldsOf(b, i));
    },
    { batchSize: opts.batchSize, onReject: (r) => rejects.push(r) },
  );
  dec.push(new TextEncoder().encode(text));
  dec.end();
  if (rejects.length > 0) throw new Error(`rejected lines: ${JSON.stringify(rejects)}`);
  return out;
}

/** Normalises one full `perf script` line. */
export function normaliseLine(line: string): Fields {
  return normaliseText(line + '\n')[0];
}

/** Normalises the payload `payload` as event `event`, wrapped in a real line layout. */
export function normalisePayload(event: string, payload: string): Fields {
  return normaliseLine(`         swapper     0 [001]  9146.302114: ${event.padStart(27)}: ${payload}`);
}
