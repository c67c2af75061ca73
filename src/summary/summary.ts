/**
 * `netdev-times summary`: per device and direction, packets, drops by reason and exact latency percentiles,
 * computed from the tx_packets and rx_packets tables (live chunks from the correlator or chunks read back
 * from a dataset).
 *
 * Percentiles are nearest-rank: for the n values of a latency sorted ascending, pP is the value at 1-based
 * rank ceil(P * n / 100) (at least 1), so it is always one of the measured values; max is p100. This is
 * DuckDB's `quantile_disc(x, P / 100)`. Nulls (a packet without that latency) are not counted in n.
 */
import { chunkColumn, type DictColumn, type I64Column, type IntColumn, type TableChunk } from '../core/columns.js';
import { NetdevTimesError } from '../core/errors.js';

export const PERCENTILE_DEFINITION =
  'nearest-rank: pP is the value at 1-based rank ceil(P*n/100) of the n non-null values sorted ascending ' +
  "(DuckDB's quantile_disc); max is p100";

export type Direction = 'tx' | 'rx';

/**
 * The latencies of each direction: the name shown, and the table column it comes from. `matched`: the latency
 * ends at an event matched by address (the row's `match` column), so a row whose match is address_reuse_suspect
 * has no such latency here (see docs/summary.md). A row with time_backwards = 1 has none of its latencies here.
 */
export const LATENCIES: Record<Direction, readonly { name: string; column: string; matched: boolean }[]> = {
  tx: [
    { name: 'qdisc', column: 'qdisc_ns', matched: false },
    { name: 'device', column: 'device_ns', matched: true },
  ],
  rx: [
    { name: 'irq_to_receive', column: 'irq_to_receive_ns', matched: false },
    { name: 'receive_to_handled', column: 'receive_to_handled_ns', matched: true },
  ],
};

/** The fates, in the order they are shown (the words of the tables' `fate` column). */
export const FATES = ['dropped', 'consumed', 'delivered', 'not_observed'] as const;
export type Fate = (typeof FATES)[number];

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
  /** Rows per fate (every fate present, 0 when none): they add up to `packets`. */
  fates: Record<Fate, number>;
  /**
   * Dropped packets (fate dropped: freed by kfree_skb) per drop reason, '(none)' when the kernel printed none:
   * they add up to fates.dropped. Each kfree_skb counts once, on the row the reference matched it to.
   */
  drops: Record<string, number>;
  /** Of the dropped, those whose match is address_reuse_suspect: a kfree_skb happened, which packet it freed is unsure. */
  drops_suspect: number;
  /** Packets whose fate is not_observed, per fate_why (events_lost, fate_in_tx, ...): they add up to fates.not_observed. */
  not_observed: Record<string, number>;
  /** Rows left out of the latencies: matches only address reuse explains, and time going backwards. */
  address_reuse_suspect: number;
  time_backwards: number;
  /** Rows with lost_near = 1 (a lost-event window overlaps them), whatever their fate. */
  lost_near: number;
  /** tx: lifecycles per status other than complete (dropped_before_xmit, xmit_failed, not_freed, evicted); empty for rx. */
  not_complete: Record<string, number>;
  latency: Record<string, LatencyStats>;
}

export interface SourceSummary {
  /** The partition name (`source=`) of a batch dataset, or the path of the trace or dataset. */
  source: string;
  devices: DeviceSummary[];
  /** Events the kernel reported lost in this source (its PERF_RECORD_LOST counts): packets near them may be incomplete. */
  lost_events: number;
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
  fates: Record<Fate, number>;
  drops: Map<string, number>;
  dropsSuspect: number;
  notObserved: Map<string, number>;
  suspect: number;
  backwards: number;
  lostNear: number;
  notComplete: Map<string, number>;
  latencies: I64List[];
}

const bump = (m: Map<string, number>, k: string): void => {
  m.set(k, (m.get(k) ?? 0) + 1);
};

const NO_REASON = '(none)';

/** A table of an older schema (1.0.0) has no fate columns: it must be converted again. */
function missing(name: string, kind: string): NetdevTimesError {
  return new NetdevTimesError(
    `summary: the table has no ${kind} column ${name} (written by an older version, schema 1.0.0?); convert the trace again with this version`,
    1,
  );
}

function dict(chunk: TableChunk, name: string): DictColumn {
  const c = chunkColumn(chunk, name);
  if (!c || c.kind !== 'dict') throw missing(name, 'dictionary');
  return c;
}

function i64(chunk: TableChunk, name: string): I64Column {
  const c = chunkColumn(chunk, name);
  if (!c || c.kind !== 'int64') throw missing(name, 'int64');
  return c;
}

function i32(chunk: TableChunk, name: string): IntColumn {
  const c = chunkColumn(chunk, name);
  if (!c || c.kind !== 'int32') throw missing(name, 'int32');
  return c;
}

const word = (c: DictColumn, r: number): string | null => (c.ids[r] < 0 ? null : c.table.values[c.ids[r]]);

const isFate = (w: string | null): w is Fate =>
  w === 'dropped' || w === 'consumed' || w === 'delivered' || w === 'not_observed';

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
        fates: { dropped: 0, consumed: 0, delivered: 0, not_observed: 0 },
        drops: new Map(),
        dropsSuspect: 0,
        notObserved: new Map(),
        suspect: 0,
        backwards: 0,
        lostNear: 0,
        notComplete: new Map(),
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
    const fate = dict(chunk, 'fate');
    const why = dict(chunk, 'fate_why');
    const match = dict(chunk, 'match');
    const lostNear = i32(chunk, 'lost_near');
    const backwards = i32(chunk, 'time_backwards');
    const defs = LATENCIES[direction];
    const lat = defs.map((l) => i64(chunk, l.column));
    for (let r = 0; r < chunk.length; r++) {
      const g = this.group(direction, word(dev, r) ?? '');
      g.packets++;
      if (status) {
        const s = word(status, r);
        if (s !== 'complete') bump(g.notComplete, s ?? '(null)');
      }
      const f = word(fate, r);
      if (!isFate(f)) throw new NetdevTimesError(`summary: a ${direction} row has fate ${String(f)}`, 1);
      g.fates[f]++;
      const suspect = word(match, r) === 'address_reuse_suspect';
      if (f === 'dropped') {
        bump(g.drops, word(reason, r) || NO_REASON);
        if (suspect) g.dropsSuspect++;
      } else if (f === 'not_observed') bump(g.notObserved, word(why, r) ?? '(null)');
      if (suspect) g.suspect++;
      if (lostNear.values[r] === 1) g.lostNear++;
      // Time went backwards: none of the row's latencies is one.
      if (backwards.values[r] === 1) {
        g.backwards++;
        continue;
      }
      for (let k = 0; k < lat.length; k++) {
        if (!lat[k].valid[r] || (suspect && defs[k].matched)) continue;
        g.latencies[k].push(lat[k].values[r]);
      }
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
        fates: { ...g.fates },
        drops: sortedCounts(g.drops),
        drops_suspect: g.dropsSuspect,
        not_observed: sortedCounts(g.notObserved),
        address_reuse_suspect: g.suspect,
        time_backwards: g.backwards,
        lost_near: g.lostNear,
        not_complete: sortedCounts(g.notComplete),
        latency: Object.fromEntries(
          LATENCIES[g.direction].map((l, k) => [l.name, latencyStats(g.latencies[k].values())]),
        ),
      }));
  }
}
