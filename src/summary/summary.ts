/**
 * `netdev-times summary`: per device (or CPU, or command) and direction, packets, drops by reason, exact
 * latency percentiles and, on request, the slowest packets, computed from the tx_packets and rx_packets tables
 * (live chunks from the correlator or chunks read back from a dataset).
 *
 * Percentiles are nearest-rank: for the n values of a latency sorted ascending, pP is the value at 1-based
 * rank ceil(P * n / 100) (at least 1), so it is always one of the measured values; max is p100. This is
 * DuckDB's `quantile_disc(x, P / 100)`. Nulls (a packet without that latency) are not counted in n.
 */
import { type DictColumn, type I64Column, type IntColumn, type TableChunk, type U64Column } from '../core/columns.js';
import { NetdevTimesError } from '../core/errors.js';
import { dictAt, dictCol, i64Col, intAt, intCol, u64Col, type ColumnFault } from '../tables/chunk-columns.js';
import { TopN, type RankKey, type TopPacket } from './top.js';

export const PERCENTILE_DEFINITION =
  'nearest-rank: pP is the value at 1-based rank ceil(P*n/100) of the n non-null values sorted ascending ' +
  "(DuckDB's quantile_disc); max is p100";

export type Direction = 'tx' | 'rx';

/**
 * The latencies of each direction: the name shown, and the table column it comes from. `matched`: the latency
 * ends at an event matched by address (the row's `match` column), so a row whose match is address_reuse_suspect
 * has no such latency here (see docs/summary.md). A row with time_backwards = 1 has none of its latencies here.
 * `total`: how the latency enters the packet's total (end-to-end) latency, which --top ranks by: the sum of
 * the row's latencies, each `required` one present (else the row has no total), an `optional` one counted as 0
 * when null. tx: qdisc + device = queue -> free; rx: irq_to_receive + receive_to_handled = first IRQ entry of
 * its hunk -> handled, or netif_receive_skb -> handled for a packet without a hunk (loopback).
 */
export const LATENCIES: Record<
  Direction,
  readonly { name: string; column: string; matched: boolean; total: 'required' | 'optional' }[]
> = {
  tx: [
    { name: 'qdisc', column: 'qdisc_ns', matched: false, total: 'required' },
    { name: 'device', column: 'device_ns', matched: true, total: 'required' },
  ],
  rx: [
    { name: 'irq_to_receive', column: 'irq_to_receive_ns', matched: false, total: 'optional' },
    { name: 'receive_to_handled', column: 'receive_to_handled_ns', matched: true, total: 'required' },
  ],
};

/** The total latency --top ranks by, in words (the output's note and the JSON's `top.order`). */
export const TOTAL_DEFINITION =
  'total = tx: qdisc + device (net_dev_queue -> free); rx: irq_to_receive + receive_to_handled (first IRQ entry, ' +
  'or netif_receive_skb without a hunk, -> handled); slowest first, ties by earlier time, then lower skbaddr, ' +
  'then table order; rows with an address_reuse_suspect match or time_backwards are not ranked';

/** The fates, in the order they are shown (the words of the tables' `fate` column). */
export const FATES = ['dropped', 'consumed', 'delivered', 'not_observed'] as const;
export type Fate = (typeof FATES)[number];

/**
 * The percentiles shown, in permille of n (integers: the rank is computed exactly). p99.9 is `p99_9`, a name
 * that needs no quoting in JSON paths.
 */
export const PERCENTILES = [
  { name: 'p50', label: 'p50', permille: 500 },
  { name: 'p90', label: 'p90', permille: 900 },
  { name: 'p99', label: 'p99', permille: 990 },
  { name: 'p99_9', label: 'p99.9', permille: 999 },
  { name: 'max', label: 'max', permille: 1000 },
] as const;
export type PercentileName = (typeof PERCENTILES)[number]['name'];

/** Percentiles of one latency, in ns (null when no packet had it). */
export type LatencyStats = { n: number } & Record<PercentileName, bigint | null>;

/** What `--by` slices the counts and percentiles by: tx and rx rows each have these (ROW_COLUMNS). */
export const SLICE_KEYS = ['dev', 'cpu', 'comm'] as const;
export type SliceKey = (typeof SLICE_KEYS)[number];

/**
 * The columns that say where and by whom a row happened. tx: the net_dev_queue (time, CPU, thread). rx: the
 * netif_receive_skb's time and CPU; rx_packets has no thread of the receive (it runs in softirq context, on
 * whatever thread was interrupted), so its thread is the one that handled it (handled_pid, handled_comm: the
 * reader that copied it, or the dropper), null when nothing did.
 */
export const ROW_COLUMNS: Record<Direction, { time: string; cpu: string; pid: string; comm: string }> = {
  tx: { time: 'queue_ns', cpu: 'queue_cpu', pid: 'queue_pid', comm: 'queue_comm' },
  rx: { time: 'time_ns', cpu: 'cpu', pid: 'handled_pid', comm: 'handled_comm' },
};

/** A slice's packets ranked by total latency (--top): how many could be, and the slowest. */
export interface TopSummary {
  /** Rows with a total latency, not flagged: the rows ranked. */
  ranked: number;
  /** Rows with a total latency left out: address_reuse_suspect match or time_backwards, as in the latencies. */
  flagged_out: number;
  /** The slowest, slowest first (at most --top). */
  packets: TopPacket[];
}

/** One slice: the rows of one direction with one value of the --by key (by default, one device). */
export interface SliceSummary {
  /** The --by key's value: a device name ('' when null), a CPU number, a command (null when the row has none). */
  key: string | number | null;
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
  /** With --top only. */
  top: TopSummary | null;
}

export interface SourceSummary {
  /** The partition name (`source=`) of a batch dataset, or the path of the trace or dataset. */
  source: string;
  /** What the slices are sliced by. */
  by: SliceKey;
  /** By key (numerically for cpu, null last), tx before rx. */
  slices: SliceSummary[];
  /** Events the kernel reported lost in this source (its PERF_RECORD_LOST counts): packets near them may be incomplete. */
  lost_events: number;
  /**
   * The events these numbers cover: null for all of the source's; else the perf script filters and --dev that
   * chose them, in their own words (as the manifest records them), e.g. `{ cpu: '1' }`.
   */
  filter: Readonly<Record<string, string | number>> | null;
}

export interface SummaryOptions {
  /** Slice by this key (default dev). */
  by?: SliceKey;
  /** Rank the N slowest packets of each slice (default 0: none). */
  top?: number;
}

/**
 * Nearest-rank percentile of ascending `sorted`: the value at rank ceil(p*n/100), p in 0..100 with at most
 * one decimal (99.9).
 */
export function nearestRank(sorted: BigInt64Array, p: number): bigint | null {
  return nearestRankPermille(sorted, Math.round(p * 10));
}

function nearestRankPermille(sorted: BigInt64Array, permille: number): bigint | null {
  const n = sorted.length;
  if (n === 0) return null;
  // Integer arithmetic: permille and n are integers (n < 2^31), so ceil(permille*n/1000) is exact.
  const rank = Math.max(1, Math.floor((permille * n + 999) / 1000));
  return sorted[rank - 1];
}

export function latencyStats(values: BigInt64Array): LatencyStats {
  const sorted = values.slice().sort();
  const stats: LatencyStats = { n: sorted.length, p50: null, p90: null, p99: null, p99_9: null, max: null };
  for (const p of PERCENTILES) stats[p.name] = nearestRankPermille(sorted, p.permille);
  return stats;
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
  key: string | number | null;
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
  ranked: number;
  flaggedOut: number;
  top: TopN | null;
}

const bump = (m: Map<string, number>, k: string): void => {
  m.set(k, (m.get(k) ?? 0) + 1);
};

const NO_REASON = '(none)';

/** A table of an older schema (1.0.0) has no fate columns: it must be converted again. */
/** A dataset written by an older version lacks columns the summary reads: convert again, exit 1. */
const olderDataset: ColumnFault = (_table, name, want) =>
  new NetdevTimesError(
    `summary: the table has no ${want === 'dict' ? 'dictionary' : want} column ${name} (written by an older version, schema 1.0.0?); convert the trace again with this version`,
    1,
  );

const dict = (chunk: TableChunk, name: string): DictColumn => dictCol('summary', chunk, name, olderDataset);
const i64 = (chunk: TableChunk, name: string): I64Column => i64Col('summary', chunk, name, olderDataset);
const i32 = (chunk: TableChunk, name: string): IntColumn => intCol('summary', chunk, name, olderDataset);
const u64 = (chunk: TableChunk, name: string): U64Column => u64Col('summary', chunk, name, olderDataset);

const isFate = (w: string | null): w is Fate =>
  w === 'dropped' || w === 'consumed' || w === 'delivered' || w === 'not_observed';

/** Slice keys in order: numbers (CPUs) numerically, strings by code unit, null last. */
function compareKeys(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

/** Accumulates tx_packets and rx_packets chunks (other tables are ignored) into per-slice summaries. */
export class SummaryBuilder {
  private readonly groups = new Map<string, Group>();
  private readonly by: SliceKey;
  private readonly top: number;
  /** Rows seen per table: a row's position, the ranking's last tie-break. */
  private readonly rows: Record<Direction, number> = { tx: 0, rx: 0 };

  constructor(options: SummaryOptions = {}) {
    this.by = options.by ?? 'dev';
    this.top = options.top ?? 0;
    if (!Number.isSafeInteger(this.top) || this.top < 0)
      throw new NetdevTimesError(`summary: --top must be a whole number of packets, not ${this.top}`, 2);
  }

  push(table: string, chunk: TableChunk): void {
    if (table === 'tx_packets') this.pushRows('tx', chunk);
    else if (table === 'rx_packets') this.pushRows('rx', chunk);
  }

  private group(direction: Direction, key: string | number | null): Group {
    const id = `${direction}\u0000${typeof key}\u0000${String(key)}`;
    let g = this.groups.get(id);
    if (!g) {
      g = {
        key,
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
        ranked: 0,
        flaggedOut: 0,
        top: this.top > 0 ? new TopN(this.top) : null,
      };
      this.groups.set(id, g);
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
    const where = ROW_COLUMNS[direction];
    const cpu = i32(chunk, where.cpu);
    const comm = dict(chunk, where.comm);
    const defs = LATENCIES[direction];
    const lat = defs.map((l) => i64(chunk, l.column));
    // Read only to rank: a summary without --top needs no more columns than before.
    const ranking =
      this.top > 0
        ? {
            time: i64(chunk, where.time),
            pid: i32(chunk, where.pid),
            skbaddr: u64(chunk, 'skbaddr'),
            len: i32(chunk, 'len'),
          }
        : null;
    const key: RankKey = { total_ns: 0n, time_ns: 0n, skbaddr: null, row: 0 };
    for (let r = 0; r < chunk.length; r++) {
      const row = this.rows[direction]++;
      const g = this.group(
        direction,
        this.by === 'dev' ? (dictAt(dev, r) ?? '') : this.by === 'cpu' ? intAt(cpu, r) : dictAt(comm, r),
      );
      g.packets++;
      if (status) {
        const s = dictAt(status, r);
        if (s !== 'complete') bump(g.notComplete, s ?? '(null)');
      }
      const f = dictAt(fate, r);
      if (!isFate(f)) throw new NetdevTimesError(`summary: a ${direction} row has fate ${String(f)}`, 1);
      g.fates[f]++;
      const suspect = dictAt(match, r) === 'address_reuse_suspect';
      if (f === 'dropped') {
        bump(g.drops, dictAt(reason, r) || NO_REASON);
        if (suspect) g.dropsSuspect++;
      } else if (f === 'not_observed') bump(g.notObserved, dictAt(why, r) ?? '(null)');
      if (suspect) g.suspect++;
      if (lostNear.values[r] === 1) g.lostNear++;
      // Time went backwards: none of the row's latencies is one.
      const back = backwards.values[r] === 1;
      if (back) g.backwards++;
      else {
        for (let k = 0; k < lat.length; k++) {
          if (!lat[k].valid[r] || (suspect && defs[k].matched)) continue;
          g.latencies[k].push(lat[k].values[r]);
        }
      }
      if (ranking === null || g.top === null) continue;
      let total = 0n;
      let has = true;
      for (let k = 0; k < lat.length; k++) {
        if (lat[k].valid[r]) total += lat[k].values[r];
        else if (defs[k].total === 'required') has = false;
      }
      if (!has) continue;
      // Left out of the ranking for the reasons its latencies are left out of the percentiles.
      if (back || suspect) {
        g.flaggedOut++;
        continue;
      }
      g.ranked++;
      key.total_ns = total;
      key.time_ns = ranking.time.values[r];
      key.skbaddr = ranking.skbaddr.valid[r] ? ranking.skbaddr.values[r] : null;
      key.row = row;
      if (!g.top.wants(key)) continue;
      g.top.offer({
        ...key,
        cpu: intAt(cpu, r),
        pid: intAt(ranking.pid, r),
        comm: dictAt(comm, r),
        len: intAt(ranking.len, r),
        latency: Object.fromEntries(defs.map((d, k) => [d.name, lat[k].valid[r] ? lat[k].values[r] : null])),
        fate: f,
        fate_why: dictAt(why, r),
        lost_near: lostNear.values[r] === 1,
      });
    }
  }

  /** The slices, by key, tx before rx. */
  finish(): SliceSummary[] {
    const sortedCounts = (m: Map<string, number>): Record<string, number> =>
      Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
    return [...this.groups.values()]
      .sort((a, b) => compareKeys(a.key, b.key) || (a.direction === b.direction ? 0 : a.direction === 'tx' ? -1 : 1))
      .map((g) => ({
        key: g.key,
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
        top: g.top === null ? null : { ranked: g.ranked, flagged_out: g.flaggedOut, packets: g.top.sorted() },
      }));
  }

  /** The key this builder slices by. */
  get sliceKey(): SliceKey {
    return this.by;
  }
}
