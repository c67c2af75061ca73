import { AddressIndex } from './address-index.js';
import { growI32, growU32, IdAllocator } from './growable.js';

/**
 * One of the reference's matching lists (rx_skb_list, tx_queue_list, tx_xmit_list) without its linear
 * scans. The reference inserts at the front, searches from the front (most recent first), deletes the
 * match, and pops the back (the oldest) when the list grows past its budget. Here every entry is on two
 * doubly linked chains: the whole list in insertion order (for eviction of the oldest) and the entries
 * of its address (newest first, for matching); an AddressIndex points at each address's newest entry.
 * Entries carry an int32 value: the id of the caller's record.
 */
export class AddressList {
  private readonly index = new AddressIndex();
  private readonly ids = new IdAllocator();
  private value = new Int32Array(0);
  private lo = new Uint32Array(0);
  private hi = new Uint32Array(0);
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

  /**
   * Inserts at the front. When that makes the list longer than the budget, the oldest entry is removed
   * and its value returned (it may be the one just inserted if the budget is 0); otherwise -1.
   */
  insert(lo: number, hi: number, value: number): number {
    const e = this.ids.alloc();
    this.reserve(e + 1);
    this.value[e] = value;
    this.lo[e] = lo;
    this.hi[e] = hi;
    this.older[e] = this.newest;
    this.newer[e] = -1;
    if (this.newest >= 0) this.newer[this.newest] = e;
    else this.oldest = e;
    this.newest = e;
    const prev = this.index.get(lo, hi);
    this.olderSame[e] = prev;
    this.newerSame[e] = -1;
    if (prev >= 0) this.newerSame[prev] = e;
    this.index.set(lo, hi, e);
    if (this.ids.live <= this.budget) return -1;
    const victim = this.oldest;
    const v = this.value[victim];
    this.remove(victim);
    this.overflow++;
    return v;
  }

  /** Removes the most recent entry with this address and returns its value, or -1 when there is none. */
  takeNewest(lo: number, hi: number): number {
    const e = this.index.get(lo, hi);
    if (e < 0) return -1;
    const v = this.value[e];
    this.remove(e);
    return v;
  }

  /** The value of the most recent entry with this address, or -1; the entry stays. */
  peekNewest(lo: number, hi: number): number {
    const e = this.index.get(lo, hi);
    return e < 0 ? -1 : this.value[e];
  }

  /** Empties the list, oldest first, handing each value to `f`. */
  drain(f: (value: number) => void): void {
    while (this.oldest >= 0) {
      const e = this.oldest;
      const v = this.value[e];
      this.remove(e);
      f(v);
    }
  }

  private remove(e: number): void {
    const n = this.newer[e];
    const o = this.older[e];
    if (n >= 0) this.older[n] = o;
    else this.newest = o;
    if (o >= 0) this.newer[o] = n;
    else this.oldest = n;
    const ns = this.newerSame[e];
    const os = this.olderSame[e];
    if (ns >= 0) {
      this.olderSame[ns] = os;
    } else if (os >= 0) {
      this.index.set(this.lo[e], this.hi[e], os);
    } else {
      this.index.delete(this.lo[e], this.hi[e]);
    }
    if (os >= 0) this.newerSame[os] = ns;
    this.ids.release(e);
  }

  private reserve(n: number): void {
    if (this.value.length >= n) return;
    this.value = growI32(this.value, n);
    this.lo = growU32(this.lo, n);
    this.hi = growU32(this.hi, n);
    this.newer = growI32(this.newer, n);
    this.older = growI32(this.older, n);
    this.newerSame = growI32(this.newerSame, n);
    this.olderSame = growI32(this.olderSame, n);
  }
}
