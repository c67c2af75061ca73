/**
 * The N slowest packets of a slice, kept in a bounded heap as the rows stream by: a trace of millions of
 * packets keeps N objects, not one per packet.
 *
 * "Slowest" is by total latency (summary.ts, TOTAL); ties go to the earlier packet (its time), then the lower
 * skb address, then the earlier row of its table, so the ranking is the same on every run and from a trace or
 * its dataset (same rows, same order).
 */
import type { Fate } from './summary.js';

/** One ranked packet, as the summary shows it. */
export interface TopPacket {
  /** tx: queue_ns; rx: time_ns (netif_receive_skb). */
  time_ns: bigint;
  cpu: number | null;
  pid: number | null;
  comm: string | null;
  skbaddr: bigint | null;
  len: number | null;
  /** The ranking key: tx qdisc + device (queue -> free); rx irq_to_receive (0 without a hunk) + receive_to_handled. */
  total_ns: bigint;
  /** Each latency of the direction (LATENCIES), null when the row has none. */
  latency: Record<string, bigint | null>;
  fate: Fate;
  fate_why: string | null;
  lost_near: boolean;
  /** The row's position in its table (0-based, input order): the last tie-break. */
  row: number;
}

/** What orders two packets: the fields of TopPacket the ranking reads. */
export type RankKey = Pick<TopPacket, 'total_ns' | 'time_ns' | 'skbaddr' | 'row'>;

const cmpBig = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/** < 0 when `a` ranks before (is slower than) `b`. A null skbaddr sorts after every address. */
export function slowerFirst(a: RankKey, b: RankKey): number {
  return (
    cmpBig(b.total_ns, a.total_ns) ||
    cmpBig(a.time_ns, b.time_ns) ||
    (a.skbaddr === b.skbaddr ? 0 : a.skbaddr === null ? 1 : b.skbaddr === null ? -1 : cmpBig(a.skbaddr, b.skbaddr)) ||
    a.row - b.row
  );
}

/** The `n` first packets by slowerFirst among those offered. */
export class TopN {
  /** A heap whose root is the last of the kept (the one a slower packet pushes out). */
  private readonly heap: TopPacket[] = [];

  constructor(private readonly n: number) {}

  /** Whether a packet with this key would be kept: build the packet only then. */
  wants(key: RankKey): boolean {
    return this.n > 0 && (this.heap.length < this.n || slowerFirst(key, this.heap[0]) < 0);
  }

  offer(p: TopPacket): void {
    if (!this.wants(p)) return;
    const h = this.heap;
    if (h.length < this.n) {
      h.push(p);
      this.up(h.length - 1);
    } else {
      h[0] = p;
      this.down(0);
    }
  }

  /** The kept packets, slowest first. */
  sorted(): TopPacket[] {
    return [...this.heap].sort(slowerFirst);
  }

  // The heap orders by "ranks later first": a parent ranks after its children.
  private later(i: number, j: number): boolean {
    return slowerFirst(this.heap[i], this.heap[j]) > 0;
  }

  private swap(i: number, j: number): void {
    const t = this.heap[i];
    this.heap[i] = this.heap[j];
    this.heap[j] = t;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.later(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const len = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < len && this.later(l, m)) m = l;
      if (r < len && this.later(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
