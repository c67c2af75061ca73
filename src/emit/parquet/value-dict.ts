/**
 * Dictionary of 32- or 64-bit integer values for one column chunk: value -> small id by open addressing,
 * with a size limit past which the column falls back to its plain encoding.
 */
export class ValueDict {
  /** id -> value words (lo, hi). */
  lo: Int32Array;
  hi: Int32Array;
  size = 0;
  private slots: Int32Array;
  private mask: number;

  constructor(readonly limit: number) {
    let cap = 64;
    while (cap < limit * 2) cap *= 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    this.lo = new Int32Array(limit);
    this.hi = new Int32Array(limit);
  }

  /** Id of the value hi:lo, added if new; -1 when the dictionary is full. */
  idOf(lo: number, hi: number): number {
    let slot = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    slot = (slot ^ (slot >>> 15)) & this.mask;
    const slots = this.slots;
    for (;;) {
      const s = slots[slot];
      if (s === 0) break;
      const id = s - 1;
      if (this.lo[id] === lo && this.hi[id] === hi) return id;
      slot = (slot + 1) & this.mask;
    }
    if (this.size === this.limit) return -1;
    const id = this.size++;
    this.lo[id] = lo;
    this.hi[id] = hi;
    slots[slot] = id + 1;
    return id;
  }

  reset(): void {
    if (this.size > 0) this.slots.fill(0);
    this.size = 0;
  }
}
