/** The summary as a readable table (msec or µs, 3 decimals) and as JSON (exact integer ns). */
import { PERCENTILE_DEFINITION, type DeviceSummary, type LatencyStats, type SourceSummary } from './summary.js';

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

/** The drops of a device: dropped packets by reason (only kfree_skb drops: docs/summary.md). */
function dropsLine(d: DeviceSummary): string | null {
  if (d.fates.dropped === 0) return null;
  const suspect = d.drops_suspect ? ` (${d.drops_suspect} matched by address only: address_reuse_suspect)` : '';
  return `  ${d.dev} ${d.direction}: ${counts(d.drops)}${suspect}`;
}

/** Every fate of a device, with why for not observed. */
function fatesLine(d: DeviceSummary): string {
  const why = Object.keys(d.not_observed).length ? ` (${counts(d.not_observed)})` : '';
  const f = d.fates;
  return `  ${d.dev} ${d.direction}: dropped ${f.dropped}, consumed ${f.consumed}, delivered ${f.delivered}, not observed ${f.not_observed}${why}`;
}

/** Rows flagged: left out of the latencies, or near lost events. */
function flaggedLine(d: DeviceSummary): string | null {
  const text = nonZero([
    ['address_reuse_suspect', d.address_reuse_suspect],
    ['time_backwards', d.time_backwards],
    ['lost_near', d.lost_near],
  ]);
  return text ? `  ${d.dev} ${d.direction}: ${text}` : null;
}

/** One source's block: the latency table, then the drops. */
export function formatSource(s: SourceSummary, unit: SummaryUnit): string {
  const out: string[] = [`source ${s.source}`];
  if (s.lost_events > 0)
    out[0] += `\n  warning: ${s.lost_events} events lost by the kernel (PERF_RECORD_LOST): packets near them may be incomplete`;
  if (s.devices.length === 0) return `${out[0]}\n  no transmitted or received packets\n`;
  const head = ['dev', 'dir', 'packets', 'latency', 'n', 'p50', 'p90', 'p99', 'max'];
  const rows: string[][] = [head];
  const v = (x: bigint | null): string => (x === null ? '-' : fixed3(x, unit));
  for (const d of s.devices) {
    Object.entries(d.latency).forEach(([name, st]: [string, LatencyStats], k) => {
      rows.push([
        k === 0 ? d.dev : '',
        k === 0 ? d.direction : '',
        k === 0 ? String(d.packets) : '',
        LATENCY_LABEL[name] ?? name,
        String(st.n),
        v(st.p50),
        v(st.p90),
        v(st.p99),
        v(st.max),
      ]);
    });
  }
  out.push(...table(rows, new Set([2, 4, 5, 6, 7, 8])));
  const total = s.devices.reduce((n, d) => n + d.fates.dropped, 0);
  const drops = s.devices.map(dropsLine).filter((l): l is string => l !== null);
  out.push(total ? `drops ${total} (freed by kfree_skb, by reason)` : 'drops: none', ...drops);
  out.push('fates', ...s.devices.map(fatesLine));
  const flagged = s.devices.map(flaggedLine).filter((l): l is string => l !== null);
  if (flagged.length)
    out.push('flagged (address_reuse_suspect and time_backwards rows are not in the latencies)', ...flagged);
  return out.join('\n') + '\n';
}

export function formatSummary(sources: SourceSummary[], unit: SummaryUnit): string {
  const head =
    `latencies in ${UNIT_LABEL[unit]}; n = packets with that latency; pP = the value at rank ceil(P*n/100) of the sorted n ` +
    "(nearest rank, DuckDB's quantile_disc)\n" +
    'tx: qdisc = queue -> xmit, device = xmit -> free; rx: irq->receive = first IRQ entry -> netif_receive_skb, ' +
    'receive->handled = -> skb_copy_datagram_iovec or kfree_skb; ' +
    'matches only address reuse explains and time going backwards are left out (docs/summary.md)\n';
  return head + sources.map((s) => '\n' + formatSource(s, unit)).join('');
}

/** int64 ns as a JSON number when exact (|v| < 2^53, every real latency), else as a decimal string. */
const jsonNs = (v: bigint | null): number | string | null =>
  v === null ? null : v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v.toString();

export function summaryJson(sources: SourceSummary[]): unknown {
  return {
    percentiles: PERCENTILE_DEFINITION,
    unit: 'ns',
    sources: sources.map((s) => ({
      source: s.source,
      lost_events: s.lost_events,
      drops: s.devices.reduce((n, d) => n + d.fates.dropped, 0),
      devices: s.devices.map((d) => ({
        dev: d.dev,
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
            { n: st.n, p50: jsonNs(st.p50), p90: jsonNs(st.p90), p99: jsonNs(st.p99), max: jsonNs(st.max) },
          ]),
        ),
      })),
    })),
  };
}
