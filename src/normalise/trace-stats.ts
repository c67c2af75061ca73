import { asNanoseconds, type Nanoseconds } from '../core/units.js';
import type { RawBatch } from '../decode/raw-batch.js';

/**
 * Running per-input facts over raw batches: events per name id, time range, out-of-order times. Times are
 * compared as their two 32-bit words (unsigned order is time order, times being non-negative): a BigInt is
 * made only for the four values the manifest reports.
 */
export class TraceStats {
  outOfOrder = 0;
  private any = false;
  private readonly first = new Uint32Array(2);
  private readonly last = new Uint32Array(2);
  private readonly min = new Uint32Array(2);
  private readonly max = new Uint32Array(2);
  private counts = new Float64Array(64);

  add(b: RawBatch): void {
    const w = b.timeWords;
    const n = b.length;
    if (n === 0) return;
    let counts = this.counts;
    let prevLo = this.any ? this.last[0] : w[0];
    let prevHi = this.any ? this.last[1] : w[1];
    let minLo = this.any ? this.min[0] : w[0];
    let minHi = this.any ? this.min[1] : w[1];
    let maxLo = this.any ? this.max[0] : w[0];
    let maxHi = this.any ? this.max[1] : w[1];
    if (!this.any) {
      this.first[0] = w[0];
      this.first[1] = w[1];
      this.any = true;
    }
    for (let i = 0; i < n; i++) {
      const id = b.event[i];
      if (id >= counts.length) {
        const grown = new Float64Array(Math.max(id + 1, counts.length * 2));
        grown.set(counts);
        counts = this.counts = grown;
      }
      counts[id]++;
      const lo = w[2 * i];
      const hi = w[2 * i + 1];
      if (hi < prevHi || (hi === prevHi && lo < prevLo)) this.outOfOrder++;
      prevLo = lo;
      prevHi = hi;
      if (hi < minHi || (hi === minHi && lo < minLo)) {
        minLo = lo;
        minHi = hi;
      }
      if (hi > maxHi || (hi === maxHi && lo > maxLo)) {
        maxLo = lo;
        maxHi = hi;
      }
    }
    this.last[0] = prevLo;
    this.last[1] = prevHi;
    this.min[0] = minLo;
    this.min[1] = minHi;
    this.max[0] = maxLo;
    this.max[1] = maxHi;
  }

  /** Events per event-name id (0 for ids never seen). */
  get perEvent(): number[] {
    return Array.from(this.counts);
  }

  range(): { first: Nanoseconds | null; last: Nanoseconds | null; min: Nanoseconds | null; max: Nanoseconds | null } {
    const big = (w: Uint32Array): Nanoseconds | null =>
      this.any ? asNanoseconds((BigInt(w[1]) << 32n) | BigInt(w[0])) : null;
    return { first: big(this.first), last: big(this.last), min: big(this.min), max: big(this.max) };
  }
}
