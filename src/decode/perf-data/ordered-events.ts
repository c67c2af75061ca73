/**
 * perf's ordered_events (tools/perf/util/ordered-events.c) as perf script runs it: records with a time are
 * queued; each FINISHED_ROUND delivers, in (time, arrival) order, those at or before the largest time seen up
 * to the previous round, and the end delivers the rest. An event older than what was delivered already is
 * still queued (perf warns, then delivers it at the next flush), so the output order is perf's, not a global
 * sort. Record bytes are copied into one arena and the queue is columns of it: no object per event.
 */

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

  /** Queues the record src[s, s + len) with time hi:lo (not 0, not ~0: those are delivered at once). */
  queue(src: Uint8Array, s: number, len: number, hi: number, lo: number, attr: number): void {
    if (this.arenaLen + len > this.maxBytes && this.n > 0) this.flushHalf();
    if (this.arenaLen + len > this.arena.length) this.growArena(len);
    if (this.n === this.off.length) this.growColumns();
    const i = this.n++;
    this.off[i] = this.arenaLen;
    this.len[i] = len;
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.attr[i] = attr;
    this.arena.set(src.subarray(s, s + len), this.arenaLen);
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
    const mid = order[(order.length - 1) >> 1];
    this.halfFlushes++;
    this.deliverSorted(order, this.hi[mid], this.lo[mid]);
  }

  private flushUpTo(limHi: number, limLo: number): void {
    if (this.n === 0) return;
    this.deliverSorted(this.sorted(), limHi, limLo);
  }

  /** Queue slots in (time, arrival) order; slots are in arrival order, so the slot breaks ties. */
  private sorted(): number[] {
    const n = this.n;
    const order = new Array<number>(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const hi = this.hi;
    const lo = this.lo;
    // Array#sort is a stable TimSort: the per-cpu runs perf record writes in a round come out merged.
    order.sort((a, b) => hi[a] - hi[b] || lo[a] - lo[b]);
    return order;
  }

  /** Delivers the sorted slots up to the limit, then keeps the rest (in arrival order) in a fresh arena. */
  private deliverSorted(order: number[], limHi: number, limLo: number): void {
    const { hi, lo, off, attr } = this;
    const lens = this.len;
    const arena = this.arena;
    const view = this.view;
    let k = 0;
    for (; k < order.length; k++) {
      const i = order[k];
      if (hi[i] > limHi || (hi[i] === limHi && lo[i] > limLo)) break;
      this.deliver(arena, view, off[i], attr[i]);
    }
    if (k === 0) return;
    if (k === order.length) {
      this.n = 0;
      this.arenaLen = 0;
      return;
    }
    // Keep the undelivered in arrival order (their slot order), packed at the arena's start.
    const keep = order.slice(k).sort((a, b) => a - b);
    // Two arenas take turns: a round's leftovers move to the other one, never to a fresh allocation.
    const next = this.spare && this.spare.length >= this.arena.length ? this.spare : new Uint8Array(this.arena.length);
    this.spare = arena;
    let len = 0;
    for (let j = 0; j < keep.length; j++) {
      const i = keep[j];
      const size = lens[i];
      next.set(arena.subarray(off[i], off[i] + size), len);
      off[j] = len;
      lens[j] = size;
      hi[j] = hi[i];
      lo[j] = lo[i];
      attr[j] = attr[i];
      len += size;
    }
    this.n = keep.length;
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
  }
}
