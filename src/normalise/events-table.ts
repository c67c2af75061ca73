import type { EventBatch } from './event-batch.js';
import { escapedSpans } from '../core/strings.js';
import { dictColumnOf, intColumnOf, type I64Column, type IntColumn, type TableChunk } from '../core/columns.js';

/** Views an EventBatch as rows of the `events` table (schemas/events.json); shares its arrays, copies nothing big. */
export function eventsChunk(batch: EventBatch): TableChunk {
  const raw = batch.raw;
  const n = batch.length;
  const allValid = new Uint8Array(n).fill(1);
  const int = (values: Int32Array, valid: Uint8Array = allValid): IntColumn => intColumnOf(values, valid);
  const time: I64Column = { kind: 'int64', values: raw.timeNs, words: raw.timeWords, valid: allValid };
  const hasFrames = new Uint8Array(n);
  // Row i's frames are frames[frameStart[i], frameEnd[i]): a batch without frames (no callchains) has none to mark.
  if (raw.frames.length > 0) markFrames(hasFrames, raw.frameStart, raw.frameEnd, n);
  const escaped = escapedSpans(raw.arena, raw.payloadStart, raw.payloadEnd, batch.keepPayload, n);
  return {
    length: n,
    columns: {
      time_ns: time,
      cpu: int(raw.cpu),
      pid: int(raw.pid, raw.pidValid),
      tid: int(raw.tid),
      comm: dictColumnOf(raw.comm, raw.comms),
      event: dictColumnOf(raw.event, raw.events),
      dev: batch.dev,
      skbaddr: batch.skbaddr,
      len: batch.len,
      rc: batch.rc,
      irq: batch.irq,
      irq_name: batch.irqName,
      ret: batch.ret,
      vec: batch.vec,
      vec_name: batch.vecName,
      napi: batch.napi,
      work: batch.work,
      budget: batch.budget,
      protocol: batch.protocol,
      location: batch.location,
      reason: batch.reason,
      rx_sk: batch.rxSk,
      // Kept payloads are written as their bytes, unless a byte is not UTF-8 (core/strings.ts: escaped then).
      payload: escaped
        ? { kind: 'utf8', values: escaped }
        : {
            kind: 'utf8_spans',
            arena: raw.arena,
            start: raw.payloadStart,
            end: raw.payloadEnd,
            valid: batch.keepPayload,
          },
      callchain: { kind: 'list_utf8', start: raw.frameStart, end: raw.frameEnd, items: raw.frames, valid: hasFrames },
      line: int(raw.line),
    },
  };
}

function markFrames(hasFrames: Uint8Array, start: Int32Array, end: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) hasFrames[i] = end[i] > start[i] ? 1 : 0;
}
