import type { LostEvents } from '../core/lost.js';
import { MAX_CPUS } from './irq-lists.js';

/**
 * The kernel's lost-event records as time windows, for flagging the rows whose life they overlap. A record at
 * time T on CPU c (PERF_RECORD_LOST: the ring buffer of c was full) means events of c after its previous
 * recorded event and before T may be missing: the window (start, T], start being the last event of c before T.
 *
 * Records are added while the decoder reads, before or after the correlator sees the batches around them. Each
 * batch is scanned (scan) before its events are correlated: a record whose T the scan passes gets its exact start
 * (the last event of c scanned before T); a record still ahead of the scan gets, for now, the last event of c
 * scanned so far, a lower bound of its start (a wider window, never a narrower one), made exact when the scan
 * passes T. A record that arrives after the scan passed T (a reader that delivers it late) takes the last event of
 * c if it is before T, else the previous record of c (or the start of the trace): wider again. Rows written
 * before a record arrived are not flagged by it.
 *
 * Times are doubles: exact below 2^53 ns (104 days of uptime), and a window only needs to be ordered right.
 * A handful of records per trace, a few thousand at most: each query is a binary search over the windows sorted
 * by T, with the smallest start of every suffix, so "does a window overlap [from, to]" is one lookup.
 */
export class LostWindows {
  private taken = 0;
  /** Last event time scanned per CPU (-Infinity: none yet), and the last scanned at all. */
  private lastT = new Float64Array(0);
  private scanned = -Infinity;
  /** Every record: CPU, T, start, and whether start is final. */
  private readonly cpus: number[] = [];
  private readonly ends: number[] = [];
  private readonly starts: number[] = [];
  private readonly final: boolean[] = [];
  /** Smallest T of the records whose start is not final (Infinity: none). */
  private nextT = Infinity;
  private dirty = false;
  private all = new WindowSet([], []);
  private perCpu = new Map<number, WindowSet>();
  /** Previous record's T per CPU, for the fallback start. */
  private readonly prevLost = new Map<number, number>();

  constructor(private readonly lost: LostEvents | undefined) {}

  /** True when no record has been seen: callers skip their checks. */
  get empty(): boolean {
    return this.taken === 0;
  }

  /**
   * Before a batch is correlated: takes the records added since the last call and scans the batch's times
   * (cpu[i], word pairs t) to fix the start of every record it passes.
   */
  scan(cpu: Int32Array, t: Int32Array, n: number): void {
    if (this.lost === undefined) return;
    this.take();
    for (let i = 0; i < n; i++) {
      const time = pairToNumber(t, i);
      // One comparison per event while no record waits (nextT is Infinity).
      if (time >= this.nextT) this.settle(time);
      const c = cpu[i];
      if (c < 0 || c >= MAX_CPUS) continue;
      if (c >= this.lastT.length) this.growCpus(c + 1);
      this.lastT[c] = time;
      if (time > this.scanned) this.scanned = time;
    }
    if (this.dirty) this.index();
  }

  /** At the end of the input: the records added last, every start made final. */
  finish(): void {
    if (this.lost === undefined) return;
    this.take();
    this.settle(Infinity);
    if (this.dirty) this.index();
  }

  /** Whether any CPU's window overlaps [from, to]. */
  overlapsAny(from: number, to: number): boolean {
    return this.all.overlaps(from, to);
  }

  /** Whether a window of CPU `cpu` overlaps [from, to]. */
  overlapsCpu(cpu: number, from: number, to: number): boolean {
    const set = this.perCpu.get(cpu);
    return set !== undefined && set.overlaps(from, to);
  }

  private take(): void {
    const lost = this.lost;
    if (lost === undefined || lost.records === this.taken) return;
    for (let k = this.taken; k < lost.records; k++) {
      const c = lost.cpu[k];
      const end = Number(lost.timeNs[k]);
      const late = this.scanned >= end;
      this.cpus.push(c);
      this.ends.push(end);
      this.starts.push(this.startOf(c, end));
      this.final.push(late);
      if (!late && end < this.nextT) this.nextT = end;
      this.prevLost.set(c, end);
    }
    this.taken = lost.records;
    this.dirty = true;
  }

  /** The last event of c scanned, if before `end`; else the previous record of c, or the start of the trace. */
  private startOf(c: number, end: number): number {
    const seen = c >= 0 && c < this.lastT.length ? this.lastT[c] : -Infinity;
    return seen < end ? seen : (this.prevLost.get(c) ?? -Infinity);
  }

  /** The scan reached `time`: records with T <= time get their final start; the others a new lower bound. */
  private settle(time: number): void {
    let next = Infinity;
    for (let k = 0; k < this.ends.length; k++) {
      if (this.final[k]) continue;
      this.starts[k] = this.startOf(this.cpus[k], this.ends[k]);
      if (this.ends[k] <= time) this.final[k] = true;
      else if (this.ends[k] < next) next = this.ends[k];
    }
    this.nextT = next;
    this.dirty = true;
  }

  private index(): void {
    // Records not final yet take the last event of their CPU scanned so far: a lower bound of their start.
    for (let k = 0; k < this.ends.length; k++)
      if (!this.final[k]) this.starts[k] = this.startOf(this.cpus[k], this.ends[k]);
    this.all = new WindowSet(this.starts, this.ends);
    this.perCpu = new Map();
    const byCpu = new Map<number, { s: number[]; e: number[] }>();
    for (let k = 0; k < this.ends.length; k++) {
      let g = byCpu.get(this.cpus[k]);
      if (g === undefined) {
        g = { s: [], e: [] };
        byCpu.set(this.cpus[k], g);
      }
      g.s.push(this.starts[k]);
      g.e.push(this.ends[k]);
    }
    for (const [c, g] of byCpu) this.perCpu.set(c, new WindowSet(g.s, g.e));
    this.dirty = false;
  }

  private growCpus(n: number): void {
    const a = new Float64Array(Math.max(n, 2 * this.lastT.length, 16)).fill(-Infinity);
    a.set(this.lastT);
    this.lastT = a;
  }
}

/** Windows (start, end] sorted by end, with the smallest start of each suffix. */
class WindowSet {
  private readonly sortedEnds: Float64Array;
  private readonly suffixMinStart: Float64Array;

  constructor(starts: readonly number[], ends: readonly number[]) {
    const n = ends.length;
    const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => ends[a] - ends[b]);
    this.sortedEnds = new Float64Array(n);
    this.suffixMinStart = new Float64Array(n);
    let min = Infinity;
    for (let k = n - 1; k >= 0; k--) {
      this.sortedEnds[k] = ends[order[k]];
      min = Math.min(min, starts[order[k]]);
      this.suffixMinStart[k] = min;
    }
  }

  /** A window (s, e] overlaps [from, to] when e >= from and s < to. */
  overlaps(from: number, to: number): boolean {
    const ends = this.sortedEnds;
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    return lo < ends.length && this.suffixMinStart[lo] < to;
  }
}

/** The int64 at pair index i of word pairs `w`, as a double. */
export function pairToNumber(w: Int32Array, i: number): number {
  return w[2 * i + 1] * 4294967296 + (w[2 * i] >>> 0);
}

/** Whether the int64 at pair index ib of `b` is below the one at ia of `a` (exact, on the words). */
export function pairBelow(b: Int32Array, ib: number, a: Int32Array, ia: number): boolean {
  const bh = b[2 * ib + 1];
  const ah = a[2 * ia + 1];
  return bh < ah || (bh === ah && b[2 * ib] >>> 0 < a[2 * ia] >>> 0);
}
