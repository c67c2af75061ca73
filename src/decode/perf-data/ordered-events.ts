/**
 * perf's ordered_events (tools/perf/util/ordered-events.c) as perf script runs it: records with a time are
 * queued; each FINISHED_ROUND delivers, in (time, arrival) order, those at or before the largest time seen up
 * to the previous round, and the end delivers the rest. An event older than what was delivered already is
 * still queued (perf warns, then delivers it at the next flush), so the output order is perf's, not a global
 * sort. Record bytes are copied into one arena and the queue is columns of it: no object per event.
 */
import { copyBytes } from '../../core/bytes.js';

/** Called per delivered record: its bytes are arena[off, off + its header size). */
export type Deliver = (arena: Uint8Array, view: DataView, off: number, attr: number) => void;

/** Past this many queued bytes the older half is delivered, as perf does when its queue's memory is full. */
const DEFAULT_MAX_BYTES = 512 << 20;

export class OrderedEvents {
  private arena: Uint8Array = new Uint8Array(1 << 20);
  private view: DataView = new DataView(this.arena.buffer);
  private arenaLen = 0;
  private spare: Uint8Array | null = null;
  private off: Int32Array = new Int32Array(4096);
  private len: Int32Array = new Int32Array(4096);
  private hi: Uint32Array = new Uint32Array(4096);
  private lo: Uint32Array = new Uint32Array(4096);
  private attr: Int32Array = new Int32Array(4096);
  /** The sort's slot order, its other buffer, and its run starts (one more than the slots). */
  private order: Int32Array = new Int32Array(4096);
  private scratch: Int32Array = new Int32Array(4096);
  private runs: Int32Array = new Int32Array(4097);
  private n = 0;
  private maxHi = 0;
  private maxLo = 0;
  private nextHi = 0;
  private nextLo = 0;
  /** Deliveries forced by the memory bound (perf's OE_FLUSH__HALF). */
  halfFlushes = 0;

  constructor(
    private readonly deliver: Deliver,
    private readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {}

  get length(): number {
    return this.n;
  }

  /** Queues the record src[s, s + len) (sv views src) with time hi:lo (not 0, not ~0: those are delivered at once). */
  queue(src: Uint8Array, sv: DataView, s: number, len: number, hi: number, lo: number, attr: number): void {
    if (this.arenaLen + len > this.maxBytes && this.n > 0) this.flushHalf();
    if (this.arenaLen + len > this.arena.length) this.growArena(len);
    if (this.n === this.off.length) this.growColumns();
    const i = this.n++;
    this.off[i] = this.arenaLen;
    this.len[i] = len;
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.attr[i] = attr;
    copyBytes(this.arena, this.view, this.arenaLen, src, sv, s, s + len);
    this.arenaLen += len;
    if (hi > this.maxHi || (hi === this.maxHi && lo > this.maxLo)) {
      this.maxHi = hi;
      this.maxLo = lo;
    }
  }

  /** FINISHED_ROUND: deliver up to the previous round's largest time, then remember this round's. */
  flushRound(): void {
    this.flushUpTo(this.nextHi, this.nextLo);
    this.nextHi = this.maxHi;
    this.nextLo = this.maxLo;
  }

  /** The end: everything. */
  flushAll(): void {
    this.flushUpTo(0xffffffff, 0xffffffff);
  }

  private flushHalf(): void {
    // perf's OE_FLUSH__HALF: up to the time halfway between the first and the last queued.
    const order = this.sorted();
    const mid = order[(this.n - 1) >> 1];
    this.halfFlushes++;
    this.deliverSorted(order, this.hi[mid], this.lo[mid]);
  }

  private flushUpTo(limHi: number, limLo: number): void {
    if (this.n === 0) return;
    this.deliverSorted(this.sorted(), limHi, limLo);
  }

  /**
   * Queue slots in (time, arrival) order, in the first n entries of the array returned. A stable natural merge
   * sort: perf record writes a round as one time-ordered run per CPU buffer, so a round is a few long runs
   * merged in a few passes, with no comparator calls and no array allocated per round.
   */
  private sorted(): Int32Array {
    const n = this.n;
    const { hi, lo } = this;
    let from = this.order;
    let to = this.scratch;
    const runs = this.runs;
    let nRuns = 0;
    for (let i = 0; i < n; i++) {
      from[i] = i;
      // A new run where the time falls; equal times stay in arrival order within the run.
      if (i === 0 || hi[i - 1] > hi[i] || (hi[i - 1] === hi[i] && lo[i - 1] > lo[i])) runs[nRuns++] = i;
    }
    runs[nRuns] = n;
    while (nRuns > 1) {
      let merged = 0;
      for (let r = 0; r < nRuns; r += 2) {
        const a0 = runs[r];
        const a1 = runs[r + 1];
        const b1 = r + 2 <= nRuns ? runs[r + 2] : a1;
        let a = a0;
        let b = a1;
        let k = a0;
        // Ties take the left run's slot: every slot of it arrived before every slot of the right one.
        while (a < a1 && b < b1) {
          const x = from[a];
          const y = from[b];
          if (hi[x] > hi[y] || (hi[x] === hi[y] && lo[x] > lo[y])) {
            to[k++] = y;
            b++;
          } else {
            to[k++] = x;
            a++;
          }
        }
        while (a < a1) to[k++] = from[a++];
        while (b < b1) to[k++] = from[b++];
        runs[merged++] = a0;
      }
      runs[merged] = n;
      nRuns = merged;
      const t = from;
      from = to;
      to = t;
    }
    this.order = from;
    this.scratch = to;
    return from;
  }

  /** Delivers the sorted slots up to the limit, then keeps the rest (in arrival order) in the other arena. */
  private deliverSorted(order: Int32Array, limHi: number, limLo: number): void {
    const { hi, lo, off, attr } = this;
    const lens = this.len;
    const arena = this.arena;
    const view = this.view;
    const n = this.n;
    let k = 0;
    for (; k < n; k++) {
      const i = order[k];
      if (hi[i] > limHi || (hi[i] === limHi && lo[i] > limLo)) break;
      this.deliver(arena, view, off[i], attr[i]);
    }
    if (k === 0) return;
    if (k === n) {
      this.n = 0;
      this.arenaLen = 0;
      return;
    }
    // The delivered are exactly the slots at or before the limit: the others are kept, in slot order, packed
    // at the start of the other arena (two arenas take turns: no fresh allocation per round). Slots are in
    // arrival order in the arena, so kept slots next to each other are copied as one span.
    const next = this.spare && this.spare.length >= arena.length ? this.spare : new Uint8Array(arena.length);
    this.spare = arena;
    let len = 0;
    let j = 0;
    let spanFrom = 0;
    let spanTo = 0;
    for (let i = 0; i < n; i++) {
      if (!(hi[i] > limHi || (hi[i] === limHi && lo[i] > limLo))) continue;
      const size = lens[i];
      const at = off[i];
      if (at !== spanTo) {
        if (spanTo > spanFrom) next.set(arena.subarray(spanFrom, spanTo), len - (spanTo - spanFrom));
        spanFrom = at;
      }
      spanTo = at + size;
      off[j] = len;
      lens[j] = size;
      hi[j] = hi[i];
      lo[j] = lo[i];
      attr[j] = attr[i];
      len += size;
      j++;
    }
    next.set(arena.subarray(spanFrom, spanTo), len - (spanTo - spanFrom));
    this.n = j;
    this.arena = next;
    this.view = new DataView(next.buffer);
    this.arenaLen = len;
  }

  private growArena(len: number): void {
    const grown = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLen + len));
    grown.set(this.arena.subarray(0, this.arenaLen));
    this.arena = grown;
    this.view = new DataView(grown.buffer);
  }

  private growColumns(): void {
    const n = this.off.length * 2;
    const g32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    const gu = (a: Uint32Array): Uint32Array => {
      const b = new Uint32Array(n);
      b.set(a);
      return b;
    };
    this.off = g32(this.off);
    this.len = g32(this.len);
    this.attr = g32(this.attr);
    this.hi = gu(this.hi);
    this.lo = gu(this.lo);
    this.order = new Int32Array(n);
    this.scratch = new Int32Array(n);
    this.runs = new Int32Array(n + 1);
  }
}
