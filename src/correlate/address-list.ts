import { AddressIndex } from './address-index.js';
import { growI32, IdAllocator } from './growable.js';

/**
 * One of the reference's matching lists (rx_skb_list, tx_queue_list, tx_xmit_list) without its linear
 * scans. The reference inserts at the front, searches from the front (most recent first), deletes the
 * match, and pops the back (the oldest) when the list grows past its budget. Here every entry is on two
 * doubly linked chains: the whole list in insertion order (for eviction of the oldest) and the entries
 * of its address (newest first, for matching); an AddressIndex points at each address's newest entry.
 * Entries carry an int32 value: the id of the caller's record. Address words may be given as uint32 or
 * int32 (the same bits); they are kept as int32.
 */
export class AddressList {
  private readonly index = new AddressIndex();
  private readonly ids = new IdAllocator();
  private value = new Int32Array(0);
  private lo = new Int32Array(0);
  private hi = new Int32Array(0);
  /** Whole-list chain: newer/older neighbours, -1 at the ends. */
  private newer = new Int32Array(0);
  private older = new Int32Array(0);
  /** Same-address chain. */
  private newerSame = new Int32Array(0);
  private olderSame = new Int32Array(0);
  private newest = -1;
  private oldest = -1;
  /** Entries the budget pushed out. */
  overflow = 0;

  constructor(readonly budget: number) {}

  get size(): number {
    return this.ids.live;
  }

  /** Entries the arrays have room for. */
  get slots(): number {
    return this.value.length;
  }

  /**
   * Inserts at the front. When that makes the list longer than the budget, the oldest entry is removed
   * and its value returned (it may be the one just inserted if the budget is 0); otherwise -1.
   */
  insert(lo: number, hi: number, value: number): number {
    lo |= 0;
    hi |= 0;
    const e = this.ids.alloc();
    if (e >= this.value.length) this.reserve(e + 1);
    this.value[e] = value;
    this.lo[e] = lo;
    this.hi[e] = hi;
    const newest = this.newest;
    this.older[e] = newest;
    this.newer[e] = -1;
    if (newest >= 0) this.newer[newest] = e;
    else this.oldest = e;
    this.newest = e;
    const index = this.index;
    const s = index.slot(lo, hi);
    const prev = index.valueAt(s);
    this.olderSame[e] = prev;
    this.newerSame[e] = -1;
    if (prev >= 0) {
      this.newerSame[prev] = e;
      index.replaceAt(s, e);
    } else {
      index.putAt(s, lo, hi, e);
    }
    if (this.ids.live <= this.budget) return -1;
    this.overflow++;
    return this.takeOldest();
  }

  /** Removes the most recent entry with this address and returns its value, or -1 when there is none. */
  takeNewest(lo: number, hi: number): number {
    const index = this.index;
    const s = index.slot(lo | 0, hi | 0);
    const e = index.valueAt(s);
    if (e < 0) return -1;
    this.unchain(e);
    // e is its address's newest entry: the index moves on to the next older one, if any.
    const os = this.olderSame[e];
    if (os >= 0) {
      this.newerSame[os] = -1;
      index.replaceAt(s, os);
    } else {
      index.removeAt(s);
    }
    this.ids.release(e);
    return this.value[e];
  }

  /** The value of the most recent entry with this address, or -1; the entry stays. */
  peekNewest(lo: number, hi: number): number {
    const e = this.index.get(lo, hi);
    return e < 0 ? -1 : this.value[e];
  }

  /** Removes the oldest entry and returns its value, or -1 when the list is empty. */
  takeOldest(): number {
    const e = this.oldest;
    if (e < 0) return -1;
    this.unchain(e);
    const ns = this.newerSame[e];
    // The oldest entry is last on its address chain: only the newer neighbour, or the index, points at it.
    if (ns >= 0) this.olderSame[ns] = -1;
    else this.index.delete(this.lo[e], this.hi[e]);
    this.ids.release(e);
    return this.value[e];
  }

  /** Empties the list, oldest first, handing each value to `f`. */
  drain(f: (value: number) => void): void {
    while (this.oldest >= 0) f(this.takeOldest());
  }

  /** Takes entry e off the whole-list chain. */
  private unchain(e: number): void {
    const n = this.newer[e];
    const o = this.older[e];
    if (n >= 0) this.older[n] = o;
    else this.newest = o;
    if (o >= 0) this.newer[o] = n;
    else this.oldest = n;
  }

  /** The list holds at most budget + 1 entries (an insert comes before its eviction): no slot past that. */
  private reserve(n: number): void {
    const max = this.budget + 1;
    this.value = growI32(this.value, n, 0, max);
    this.lo = growI32(this.lo, n, 0, max);
    this.hi = growI32(this.hi, n, 0, max);
    this.newer = growI32(this.newer, n, 0, max);
    this.older = growI32(this.older, n, 0, max);
    this.newerSame = growI32(this.newerSame, n, 0, max);
    this.olderSame = growI32(this.olderSame, n, 0, max);
  }
}
