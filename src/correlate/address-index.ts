/**
 * A hash map from a 64-bit address, given as its two 32-bit words, to an int32 value. Open addressing
 * with linear probing and backward-shift deletion: no BigInt, no string keys, no allocation per lookup.
 */
const EMPTY = -1;

export class AddressIndex {
  private lo = new Uint32Array(0);
  private hi = new Uint32Array(0);
  private val = new Int32Array(0);
  private mask = 0;
  private count = 0;

  constructor(initialCapacity = 1024) {
    this.allocate(pow2AtLeast(initialCapacity));
  }

  get size(): number {
    return this.count;
  }

  /** The value stored for (lo, hi), or -1. */
  get(lo: number, hi: number): number {
    const mask = this.mask;
    let s = hash(lo, hi) & mask;
    for (;;) {
      const v = this.val[s];
      if (v === EMPTY) return EMPTY;
      if (this.lo[s] === lo && this.hi[s] === hi) return v;
      s = (s + 1) & mask;
    }
  }

  /** Stores value (>= 0) for (lo, hi), replacing any previous one. */
  set(lo: number, hi: number, value: number): void {
    const mask = this.mask;
    let s = hash(lo, hi) & mask;
    for (;;) {
      const v = this.val[s];
      if (v === EMPTY) break;
      if (this.lo[s] === lo && this.hi[s] === hi) {
        this.val[s] = value;
        return;
      }
      s = (s + 1) & mask;
    }
    this.lo[s] = lo;
    this.hi[s] = hi;
    this.val[s] = value;
    // Keep the load under one half so probe runs stay short.
    if (++this.count * 2 > mask + 1) this.rehash((mask + 1) * 2);
  }

  delete(lo: number, hi: number): void {
    const mask = this.mask;
    let s = hash(lo, hi) & mask;
    for (;;) {
      if (this.val[s] === EMPTY) return;
      if (this.lo[s] === lo && this.hi[s] === hi) break;
      s = (s + 1) & mask;
    }
    this.count--;
    // Backward shift: pull later members of the probe run into the hole so lookups need no tombstones.
    let hole = s;
    let j = s;
    for (;;) {
      j = (j + 1) & mask;
      if (this.val[j] === EMPTY) break;
      const home = hash(this.lo[j], this.hi[j]) & mask;
      // j may move to the hole only if its home is not cyclically within (hole, j].
      const movable = hole <= j ? home <= hole || home > j : home <= hole && home > j;
      if (movable) {
        this.lo[hole] = this.lo[j];
        this.hi[hole] = this.hi[j];
        this.val[hole] = this.val[j];
        hole = j;
      }
    }
    this.val[hole] = EMPTY;
  }

  private allocate(cap: number): void {
    this.lo = new Uint32Array(cap);
    this.hi = new Uint32Array(cap);
    this.val = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
  }

  private rehash(cap: number): void {
    const { lo, hi, val } = this;
    this.allocate(cap);
    const mask = this.mask;
    for (let i = 0; i < val.length; i++) {
      if (val[i] === EMPTY) continue;
      let s = hash(lo[i], hi[i]) & mask;
      while (this.val[s] !== EMPTY) s = (s + 1) & mask;
      this.lo[s] = lo[i];
      this.hi[s] = hi[i];
      this.val[s] = val[i];
    }
  }
}

function pow2AtLeast(n: number): number {
  let c = 16;
  while (c < n) c *= 2;
  return c;
}

/** skb addresses are slab-aligned: the low bits carry little, so both words are mixed through. */
function hash(lo: number, hi: number): number {
  let h = Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi ^ (lo >>> 16), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 13;
  return h >>> 0;
}
