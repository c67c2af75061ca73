import type { RawBatch } from './raw-batch.js';

/** Running per-input facts over raw batches: events per name id, time range, out-of-order times. */
export class TraceStats {
  readonly perEvent: number[] = [];
  outOfOrder = 0;
  private first: bigint | null = null;
  private last: bigint | null = null;
  private min: bigint | null = null;
  private max: bigint | null = null;
  private prevHi = -1;
  private prevLo = 0;

  add(b: RawBatch): void {
    const w = b.timeWords;
    for (let i = 0; i < b.length; i++) {
      const id = b.event[i];
      this.perEvent[id] = (this.perEvent[id] ?? 0) + 1;
      const hi = w[2 * i + 1];
      const lo = w[2 * i];
      if (hi < this.prevHi || (hi === this.prevHi && lo < this.prevLo)) this.outOfOrder++;
      this.prevHi = hi;
      this.prevLo = lo;
    }
    if (b.length === 0) return;
    if (this.first === null) this.first = b.timeNs[0];
    this.last = b.timeNs[b.length - 1];
    let mn = b.timeNs[0];
    let mx = mn;
    for (let i = 1; i < b.length; i++) {
      const t = b.timeNs[i];
      if (t < mn) mn = t;
      if (t > mx) mx = t;
    }
    if (this.min === null || mn < this.min) this.min = mn;
    if (this.max === null || mx > this.max) this.max = mx;
  }

  range(): { first: bigint | null; last: bigint | null; min: bigint | null; max: bigint | null } {
    return { first: this.first, last: this.last, min: this.min, max: this.max };
  }
}
