import type { EventBatch } from '../normalise/event-batch.js';

const NONE_I32 = new Int32Array(0);
const NONE_U8 = new Uint8Array(0);

/** An Int32Array over the same bytes as a word array: the same bits, read as small integers. */
function int32View(words: Uint32Array): Int32Array {
  return new Int32Array(words.buffer, words.byteOffset, words.length);
}

/**
 * The columns of the batch being correlated, taken out of the batch once per batch so that a handler
 * reads `v.skb[2 * i]` rather than `b.skbaddr.words[2 * i]`. One instance per Correlator, rebound to each
 * batch: every handler sees one hidden class.
 *
 * 64-bit values (times, skb and napi addresses) are word pairs read through Int32Array views. The bits are
 * those of the uint32 words; as int32 they stay small integers in V8 at every tier, where a uint32 word
 * >= 2^31 would be a heap number in the interpreter and fail the Smi checks of optimized code. Output word
 * columns are written through Int32Array views too (RowChunks), so the bits arrive unchanged.
 */
export class BatchView {
  /** Time in nanoseconds, words 2i (low) and 2i + 1 (high). */
  t: Int32Array = NONE_I32;
  cpu: Int32Array = NONE_I32;
  tid: Int32Array = NONE_I32;
  comm: Int32Array = NONE_I32;
  /** skbaddr words, as `t`. */
  skb: Int32Array = NONE_I32;
  len: Int32Array = NONE_I32;
  /** Device dictionary ids (-1: none). */
  dev: Int32Array = NONE_I32;
  rc: Int32Array = NONE_I32;
  irq: Int32Array = NONE_I32;
  irqName: Int32Array = NONE_I32;
  /** napi address words, as `t`. */
  napi: Int32Array = NONE_I32;
  work: Int32Array = NONE_I32;
  workValid: Uint8Array = NONE_U8;
  budget: Int32Array = NONE_I32;
  budgetValid: Uint8Array = NONE_U8;
  location: Int32Array = NONE_I32;
  reason: Int32Array = NONE_I32;
  /** softirq vector: its name's dictionary id (-1: no name printed), else the number, if valid. */
  vecName: Int32Array = NONE_I32;
  vec: Int32Array = NONE_I32;
  vecValid: Uint8Array = NONE_U8;
  /** netRx[vecName id] is 1 for the name NET_RX (set by the correlator, which keeps it per input). */
  netRx: Uint8Array = NONE_U8;

  bind(b: EventBatch): void {
    const raw = b.raw;
    this.t = int32View(raw.timeWords);
    this.cpu = raw.cpu;
    this.tid = raw.tid;
    this.comm = raw.comm;
    this.skb = int32View(b.skbaddr.words);
    this.len = b.len.values;
    this.dev = b.dev.ids;
    this.rc = b.rc.values;
    this.irq = b.irq.values;
    this.irqName = b.irqName.ids;
    this.napi = int32View(b.napi.words);
    this.work = b.work.values;
    this.workValid = b.work.valid;
    this.budget = b.budget.values;
    this.budgetValid = b.budget.valid;
    this.location = b.location.ids;
    this.reason = b.reason.ids;
    this.vecName = b.vecName.ids;
    this.vec = b.vec.values;
    this.vecValid = b.vec.valid;
  }
}
