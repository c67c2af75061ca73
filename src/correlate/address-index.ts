/**
 * A hash map from a 64-bit address, given as its two 32-bit words, to an int32 value. Open addressing
 * with linear probing and backward-shift deletion: no BigInt, no string keys, no allocation per lookup.
 *
 * Words are kept as int32 (`| 0`): the same bits as the uint32 words of the input, but small integers
 * for V8 at every tier (a uint32 word >= 2^31 is a heap number in the interpreter and fails Smi checks).
 * Callers that do one probe and then act on its outcome use the slot API: `slot` finds where a key is
 * or would go, and the `...At` methods act there without probing again.
 */
const EMPTY = -1;

export class AddressIndex {
  private lo = new Int32Array(0);
  private hi = new Int32Array(0);
  private val = new Int32Array(0);
  private mask = 0;
  private count = 0;

  constructor(initialCapacity = 1024) {
    this.allocate(pow2AtLeast(initialCapacity));
  }

  get size(): number {
    return this.count;
  }

  /** The slot holding (lo, hi), or the empty slot where it would be put. Valid until the next change. */
  slot(lo: number, hi: number): number {
    const mask = this.mask;
    const keysLo = this.lo;
    const keysHi = this.hi;
    const val = this.val;
    // Starts one before the home slot so that the step runs on every lookup: a step that first ran on the
    // first collision, after V8 had optimized its callers, would deoptimize every one of them.
    let s = (hash(lo, hi) & mask) - 1;
    do s = (s + 1) & mask;
    while (val[s] !== EMPTY && (keysLo[s] !== lo || keysHi[s] !== hi));
    return s;
  }

  /** The value in slot `s`, or -1 when it is empty. */
  valueAt(s: number): number {
    return this.val[s];
  }

  /** Replaces the value of the occupied slot `s`. */
  replaceAt(s: number, value: number): void {
    this.val[s] = value;
  }

  /** Puts (lo, hi) -> value (>= 0) into the empty slot `s` that `slot(lo, hi)` returned. */
  putAt(s: number, lo: number, hi: number, value: number): void {
    this.lo[s] = lo;
    this.hi[s] = hi;
    this.val[s] = value;
    // Keep the load under one half so probe runs stay short.
    if (++this.count * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
  }

  /** Empties the occupied slot `s`. */
  removeAt(s: number): void {
    this.count--;
    const mask = this.mask;
    const keysLo = this.lo;
    const keysHi = this.hi;
    const val = this.val;
    // Backward shift: pull later members of the probe run into the hole so lookups need no tombstones.
    let hole = s;
    let j = s;
    for (;;) {
      j = (j + 1) & mask;
      if (val[j] === EMPTY) break;
      const home = hash(keysLo[j], keysHi[j]) & mask;
      // j may move to the hole only if its home is not cyclically within (hole, j].
      const movable = hole <= j ? home <= hole || home > j : home <= hole && home > j;
      if (movable) {
        keysLo[hole] = keysLo[j];
        keysHi[hole] = keysHi[j];
        val[hole] = val[j];
        hole = j;
      }
    }
    val[hole] = EMPTY;
  }

  /** The value stored for (lo, hi), or -1. */
  get(lo: number, hi: number): number {
    return this.val[this.slot(lo | 0, hi | 0)];
  }

  /** Stores value (>= 0) for (lo, hi), replacing any previous one. */
  set(lo: number, hi: number, value: number): void {
    const s = this.slot(lo | 0, hi | 0);
    if (this.val[s] === EMPTY) this.putAt(s, lo | 0, hi | 0, value);
    else this.val[s] = value;
  }

  delete(lo: number, hi: number): void {
    const s = this.slot(lo | 0, hi | 0);
    if (this.val[s] !== EMPTY) this.removeAt(s);
  }

  private allocate(cap: number): void {
    this.lo = new Int32Array(cap);
    this.hi = new Int32Array(cap);
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

/**
 * skb addresses are slab-aligned: the low bits carry little, so both words are mixed through. The result
 * is only ever masked, so it may stay a signed int32.
 */
function hash(lo: number, hi: number): number {
  let h = Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi ^ (lo >>> 16), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}
