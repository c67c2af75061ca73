/** The summary as a readable table (msec or µs, 3 decimals) and as JSON (exact integer ns). */
import {
  LATENCIES,
  PERCENTILE_DEFINITION,
  PERCENTILES,
  TOTAL_DEFINITION,
  type SliceKey,
  type SliceSummary,
  type SourceSummary,
} from './summary.js';
import type { TopPacket } from './top.js';

export type SummaryUnit = 'ms' | 'us';

const UNIT_NS: Record<SummaryUnit, bigint> = { ms: 1_000_000n, us: 1_000n };
const UNIT_LABEL: Record<SummaryUnit, string> = { ms: 'msec', us: 'µs' };
const LATENCY_LABEL: Record<string, string> = {
  qdisc: 'qdisc',
  device: 'device',
  irq_to_receive: 'irq->receive',
  receive_to_handled: 'receive->handled',
};

/**
 * ns in `unit` with 3 decimals, from the integer: µs are exact (ns digits), msec are rounded to the nearest
 * µs (halves away from zero), never through a float.
 */
export function fixed3(ns: bigint, unit: SummaryUnit): string {
  const per = UNIT_NS[unit] / 1000n; // ns per 0.001 unit
  const neg = ns < 0n;
  const a = neg ? -ns : ns;
  const q = (a + per / 2n) / per;
  const text = `${q / 1000n}.${(q % 1000n).toString().padStart(3, '0')}`;
  return neg && q !== 0n ? `-${text}` : text;
}

function table(rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd(),
  );
}

const counts = (m: Record<string, number>): string =>
  Object.entries(m)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

const nonZero = (pairs: [string, number][]): string =>
  pairs
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

/** A slice's key as printed: a command or device the row has none of is `-`. */
const keyText = (k: SliceSummary['key']): string => (k === null ? '-' : String(k));

/** How lines name a slice: `eth0 tx`, `3 rx`, `curl tx`. */
const sliceName = (d: SliceSummary): string => `${keyText(d.key)} ${d.direction}`;

/** The drops of a slice: dropped packets by reason (only kfree_skb drops: docs/summary.md). */
function dropsLine(d: SliceSummary): string | null {
  if (d.fates.dropped === 0) return null;
  const suspect = d.drops_suspect ? ` (${d.drops_suspect} matched by address only: address_reuse_suspect)` : '';
  return `  ${sliceName(d)}: ${counts(d.drops)}${suspect}`;
}

/** Every fate of a slice, with why for not observed. */
function fatesLine(d: SliceSummary): string {
  const why = Object.keys(d.not_observed).length ? ` (${counts(d.not_observed)})` : '';
  const f = d.fates;
  return `  ${sliceName(d)}: dropped ${f.dropped}, consumed ${f.consumed}, delivered ${f.delivered}, not observed ${f.not_observed}${why}`;
}

/** Rows flagged: left out of the latencies, or near lost events. */
function flaggedLine(d: SliceSummary): string | null {
  const text = nonZero([
    ['address_reuse_suspect', d.address_reuse_suspect],
    ['time_backwards', d.time_backwards],
    ['lost_near', d.lost_near],
  ]);
  return text ? `  ${sliceName(d)}: ${text}` : null;
}

/** A time since boot in seconds with 9 decimals, as `perf script --ns` prints it, from the integer ns. */
export function seconds(ns: bigint): string {
  const neg = ns < 0n;
  const a = neg ? -ns : ns;
  return `${neg ? '-' : ''}${a / 1_000_000_000n}.${(a % 1_000_000_000n).toString().padStart(9, '0')}`;
}

const hex = (v: bigint | null): string => (v === null ? '-' : `0x${v.toString(16)}`);

/** A slice's slowest packets: a heading line, then a table (none when nothing was ranked). */
function topLines(d: SliceSummary, unit: SummaryUnit): string[] {
  if (d.top === null) return [];
  const t = d.top;
  const out = [
    `  ${sliceName(d)}: ${t.ranked} ranked${t.flagged_out ? `, ${t.flagged_out} flagged rows not ranked` : ''}`,
  ];
  if (t.packets.length === 0) return out;
  const names = LATENCIES[d.direction].map((l) => l.name);
  const rows: string[][] = [
    ['#', 'time', 'cpu', 'comm', 'skbaddr', 'total', ...names.map((n) => LATENCY_LABEL[n] ?? n), 'fate'],
  ];
  const v = (x: bigint | null): string => (x === null ? '-' : fixed3(x, unit));
  t.packets.forEach((p: TopPacket, k) => {
    const why = p.fate_why === null ? '' : ` (${p.fate_why})`;
    rows.push([
      String(k + 1),
      seconds(p.time_ns),
      p.cpu === null ? '-' : String(p.cpu),
      p.comm ?? '-',
      hex(p.skbaddr),
      v(p.total_ns),
      ...names.map((n) => v(p.latency[n] ?? null)),
      `${p.fate}${why}${p.lost_near ? ', lost_near' : ''}`,
    ]);
  });
  const right = new Set([0, 2, 5, ...names.map((_, k) => 6 + k)]);
  return [...out, ...table(rows, right).map((l) => `    ${l}`)];
}

/** `cpu=1 time=1.5,2 (1234 events filtered out)`: the options that chose the events, as given. */
function subsetText(filter: Readonly<Record<string, string | number>>): string {
  const words = Object.entries(filter)
    .filter(([k]) => k !== 'events_filtered_out')
    .map(([k, v]) => `--${k} ${String(v)}`);
  const out = filter.events_filtered_out;
  return `only the events of ${words.join(' ')}${typeof out === 'number' ? ` (${out} events filtered out)` : ''}`;
}

/** One source's block: the latency table, then the drops, fates, flagged rows and (--top) the slowest. */
export function formatSource(s: SourceSummary, unit: SummaryUnit): string {
  const out: string[] = [`source ${s.source}`];
  if (s.filter !== null) out[0] += `\n  subset: ${subsetText(s.filter)}`;
  if (s.lost_events > 0)
    out[0] += `\n  warning: ${s.lost_events} events lost by the kernel (PERF_RECORD_LOST): packets near them may be incomplete`;
  if (s.slices.length === 0) return `${out[0]}\n  no transmitted or received packets\n`;
  const head = [s.by, 'dir', 'packets', 'latency', 'n', ...PERCENTILES.map((p) => p.label)];
  const rows: string[][] = [head];
  const v = (x: bigint | null): string => (x === null ? '-' : fixed3(x, unit));
  for (const d of s.slices) {
    LATENCIES[d.direction].forEach(({ name }, k) => {
      const st = d.latency[name];
      rows.push([
        k === 0 ? keyText(d.key) : '',
        k === 0 ? d.direction : '',
        k === 0 ? String(d.packets) : '',
        LATENCY_LABEL[name] ?? name,
        String(st.n),
        ...PERCENTILES.map((p) => v(st[p.name])),
      ]);
    });
  }
  out.push(...table(rows, new Set([2, 4, ...PERCENTILES.map((_, k) => 5 + k)])));
  const total = s.slices.reduce((n, d) => n + d.fates.dropped, 0);
  const drops = s.slices.map(dropsLine).filter((l): l is string => l !== null);
  out.push(total ? `drops ${total} (freed by kfree_skb, by reason)` : 'drops: none', ...drops);
  out.push('fates', ...s.slices.map(fatesLine));
  const flagged = s.slices.map(flaggedLine).filter((l): l is string => l !== null);
  if (flagged.length)
    out.push('flagged (address_reuse_suspect and time_backwards rows are not in the latencies)', ...flagged);
  const top = s.slices.flatMap((d) => topLines(d, unit));
  if (top.length)
    out.push(`slowest packets per ${s.by} and direction, by total latency (flagged rows are not ranked)`, ...top);
  return out.join('\n') + '\n';
}

export function formatSummary(sources: SourceSummary[], unit: SummaryUnit): string {
  const ranked = sources.some((s) => s.slices.some((d) => d.top !== null));
  const head =
    `latencies in ${UNIT_LABEL[unit]}; n = packets with that latency; pP = the value at rank ceil(P*n/100) of the sorted n ` +
    "(nearest rank, DuckDB's quantile_disc)\n" +
    'tx: qdisc = queue -> xmit, device = xmit -> free; rx: irq->receive = first IRQ entry -> netif_receive_skb, ' +
    'receive->handled = -> skb_copy_datagram_iovec or kfree_skb; ' +
    'matches only address reuse explains and time going backwards are left out (docs/summary.md)\n' +
    (ranked
      ? `slowest: ${TOTAL_DEFINITION}; time, cpu, comm: tx of net_dev_queue, rx of netif_receive_skb (comm: of the handler)\n`
      : '');
  return head + sources.map((s) => '\n' + formatSource(s, unit)).join('');
}

/** int64 ns as a JSON number when exact (|v| < 2^53, every real latency), else as a decimal string. */
const jsonNs = (v: bigint | null): number | string | null =>
  v === null ? null : v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v.toString();

/** What the summary JSON's version is: schemas/summary.json says the same (a test holds them together). */
export const SUMMARY_JSON_VERSION = '1.2.0';

function topJson(p: TopPacket, rank: number): Record<string, unknown> {
  return {
    rank,
    time_ns: jsonNs(p.time_ns),
    cpu: p.cpu,
    pid: p.pid,
    comm: p.comm,
    skbaddr: p.skbaddr === null ? null : hex(p.skbaddr),
    len: p.len,
    total_ns: jsonNs(p.total_ns),
    latency_ns: Object.fromEntries(Object.entries(p.latency).map(([k, x]) => [k, jsonNs(x)])),
    fate: p.fate,
    fate_why: p.fate_why,
    lost_near: p.lost_near ? 1 : 0,
  };
}

/** The slice's key under its own name (`dev`, `cpu`, `comm`), first, as 1.1.0 had `dev` first. */
function sliceJson(by: SliceKey, d: SliceSummary): Record<string, unknown> {
  return {
    [by]: d.key,
    direction: d.direction,
    packets: d.packets,
    fates: d.fates,
    drops: { total: d.fates.dropped, by_reason: d.drops, address_reuse_suspect: d.drops_suspect },
    not_observed: d.not_observed,
    flagged: {
      address_reuse_suspect: d.address_reuse_suspect,
      time_backwards: d.time_backwards,
      lost_near: d.lost_near,
    },
    ...(d.direction === 'tx' ? { not_complete: d.not_complete } : {}),
    latency_ns: Object.fromEntries(
      Object.entries(d.latency).map(([name, st]) => [
        name,
        { n: st.n, ...Object.fromEntries(PERCENTILES.map((p) => [p.name, jsonNs(st[p.name])])) },
      ]),
    ),
    ...(d.top === null
      ? {}
      : {
          top: {
            ranked: d.top.ranked,
            flagged_out: d.top.flagged_out,
            packets: d.top.packets.map((p, k) => topJson(p, k + 1)),
          },
        }),
  };
}

/**
 * The JSON of schemas/summary.json. Sliced by device (the default), a source's slices are `devices`, as in
 * 1.1.0; by cpu or comm they are `slices`, so a reader of `devices` never takes a CPU for a device.
 */
export function summaryJson(sources: SourceSummary[], top?: number): unknown {
  const by = sources[0]?.by ?? 'dev';
  return {
    version: SUMMARY_JSON_VERSION,
    percentiles: PERCENTILE_DEFINITION,
    unit: 'ns',
    by,
    ...(top === undefined || top === 0 ? {} : { top: { n: top, order: TOTAL_DEFINITION } }),
    sources: sources.map((s) => ({
      source: s.source,
      filter: s.filter,
      lost_events: s.lost_events,
      drops: s.slices.reduce((n, d) => n + d.fates.dropped, 0),
      [s.by === 'dev' ? 'devices' : 'slices']: s.slices.map((d) => sliceJson(s.by, d)),
    })),
  };
}
