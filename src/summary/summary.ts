/**
 * `netdev-times summary`: per device and direction, packets, drops by reason and exact latency percentiles,
 * computed from the tx_packets and rx_packets tables (live chunks from the correlator or chunks read back
 * from a dataset).
 *
 * Percentiles are nearest-rank: for the n values of a latency sorted ascending, pP is the value at 1-based
 * rank ceil(P * n / 100) (at least 1), so it is always one of the measured values; max is p100. This is
 * DuckDB's `quantile_disc(x, P / 100)`. Nulls (a packet without that latency) are not counted in n.
 */
import type { Column, DictColumn, I64Column, TableChunk } from '../core/columns.js';

export const PERCENTILE_DEFINITION =
  'nearest-rank: pP is the value at 1-based rank ceil(P*n/100) of the n non-null values sorted ascending ' +
  "(DuckDB's quantile_disc); max is p100";

export type Direction = 'tx' | 'rx';

/** The latencies of each direction: the name shown, and the table column it comes from. */
export const LATENCIES: Record<Direction, readonly { name: string; column: string }[]> = {
  tx: [
    { name: 'qdisc', column: 'qdisc_ns' },
    { name: 'device', column: 'device_ns' },
  ],
  rx: [
    { name: 'irq_to_receive', column: 'irq_to_receive_ns' },
    { name: 'receive_to_handled', column: 'receive_to_handled_ns' },
  ],
};

/** Percentiles of one latency, in ns (null when no packet had it). */
export interface LatencyStats {
  n: number;
  p50: bigint | null;
  p90: bigint | null;
  p99: bigint | null;
  max: bigint | null;
}

export interface DeviceSummary {
  dev: string;
  direction: Direction;
  packets: number;
  /**
   * tx: lifecycles that did not complete, per status (dropped_before_xmit, xmit_failed, not_freed, evicted);
   * empty for rx.
   */
  not_complete: Record<string, number>;
  /** Packets freed (tx) or handled (rx) by skb:kfree_skb, per drop reason; '(none)' when the kernel printed none. */
  kfree_skb: Record<string, number>;
  /** rx: packets nothing matched (no skb_copy_datagram_iovec nor kfree_skb before the end or eviction); 0 for tx. */
  unhandled: number;
  latency: Record<string, LatencyStats>;
}

export interface SourceSummary {
  /** The partition name (`source=`) of a batch dataset, or the path of the trace or dataset. */
  source: string;
  devices: DeviceSummary[];
}

/** Nearest-rank percentile of ascending `sorted`: the value at rank ceil(p*n/100), p in 0..100. */
export function nearestRank(sorted: BigInt64Array, p: number): bigint | null {
  const n = sorted.length;
  if (n === 0) return null;
  // Integer arithmetic: p and n are integers, so ceil(p*n/100) is exact.
  const rank = Math.max(1, Math.floor((p * n + 99) / 100));
  return sorted[rank - 1];
}

export function latencyStats(values: BigInt64Array): LatencyStats {
  const sorted = values.slice().sort();
  return {
    n: sorted.length,
    p50: nearestRank(sorted, 50),
    p90: nearestRank(sorted, 90),
    p99: nearestRank(sorted, 99),
    max: nearestRank(sorted, 100),
  };
}

/** A growing list of int64 values. */
class I64List {
  private a = new BigInt64Array(256);
  length = 0;

  push(v: bigint): void {
    if (this.length === this.a.length) {
      const b = new BigInt64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = v;
  }

  values(): BigInt64Array {
    return this.a.subarray(0, this.length);
  }
}

interface Group {
  dev: string;
  direction: Direction;
  packets: number;
  notComplete: Map<string, number>;
  kfree: Map<string, number>;
  unhandled: number;
  latencies: I64List[];
}

const bump = (m: Map<string, number>, k: string): void => {
  m.set(k, (m.get(k) ?? 0) + 1);
};

const NO_REASON = '(none)';

function dict(chunk: TableChunk, name: string): DictColumn {
  const c: Column | undefined = chunk.columns[name];
  if (!c || c.kind !== 'dict') throw new Error(`summary: column ${name} is missing or not a dictionary column`);
  return c;
}

function i64(chunk: TableChunk, name: string): I64Column {
  const c: Column | undefined = chunk.columns[name];
  if (!c || c.kind !== 'int64') throw new Error(`summary: column ${name} is missing or not an int64 column`);
  return c;
}

const word = (c: DictColumn, r: number): string | null => (c.ids[r] < 0 ? null : c.table.values[c.ids[r]]);

/** Accumulates tx_packets and rx_packets chunks (other tables are ignored) into per-device summaries. */
export class SummaryBuilder {
  private readonly groups = new Map<string, Group>();

  push(table: string, chunk: TableChunk): void {
    if (table === 'tx_packets') this.pushRows('tx', chunk);
    else if (table === 'rx_packets') this.pushRows('rx', chunk);
  }

  private group(direction: Direction, dev: string): Group {
    const key = `${direction}\u0000${dev}`;
    let g = this.groups.get(key);
    if (!g) {
      g = {
        dev,
        direction,
        packets: 0,
        notComplete: new Map(),
        kfree: new Map(),
        unhandled: 0,
        latencies: LATENCIES[direction].map(() => new I64List()),
      };
      this.groups.set(key, g);
    }
    return g;
  }

  private pushRows(direction: Direction, chunk: TableChunk): void {
    const dev = dict(chunk, 'dev');
    const reason = dict(chunk, 'kfree_reason');
    const status = direction === 'tx' ? dict(chunk, 'status') : null;
    const freedBy = dict(chunk, direction === 'tx' ? 'freed_by' : 'handled_by');
    const lat = LATENCIES[direction].map((l) => i64(chunk, l.column));
    for (let r = 0; r < chunk.length; r++) {
      const g = this.group(direction, word(dev, r) ?? '');
      g.packets++;
      if (status) {
        const s = word(status, r);
        if (s !== 'complete') bump(g.notComplete, s ?? '(null)');
      }
      const by = word(freedBy, r);
      if (by === 'kfree_skb') bump(g.kfree, word(reason, r) || NO_REASON);
      else if (by === null && direction === 'rx') g.unhandled++;
      for (let k = 0; k < lat.length; k++) if (lat[k].valid[r]) g.latencies[k].push(lat[k].values[r]);
    }
  }

  /** The summaries, by device name, tx before rx. */
  finish(): DeviceSummary[] {
    const sortedCounts = (m: Map<string, number>): Record<string, number> =>
      Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
    return [...this.groups.values()]
      .sort((a, b) =>
        a.dev < b.dev ? -1 : a.dev > b.dev ? 1 : a.direction === b.direction ? 0 : a.direction === 'tx' ? -1 : 1,
      )
      .map((g) => ({
        dev: g.dev,
        direction: g.direction,
        packets: g.packets,
        not_complete: sortedCounts(g.notComplete),
        kfree_skb: sortedCounts(g.kfree),
        unhandled: g.unhandled,
        latency: Object.fromEntries(
          LATENCIES[g.direction].map((l, k) => [l.name, latencyStats(g.latencies[k].values())]),
        ),
      }));
  }
}
