/**
 * --by cpu|comm|dev: the counts and percentiles of each slice are those of its rows alone, slices come in
 * their key's order, and the JSON (text too) names them by their key: `devices` by device as in 1.1.0,
 * `slices` otherwise, p99_9 beside the other percentiles, `top` with --top.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SummaryBuilder, type SliceKey, type SourceSummary } from '../../src/summary/summary.js';
import { formatSummary, summaryJson, SUMMARY_JSON_VERSION } from '../../src/summary/format.js';
import { ROOT } from '../helpers/fixtures.js';
import { hasKeys, parseJson } from '../helpers/json.js';
import { rxChunk, txChunk, type Row } from './rows.js';

const TX: Row[] = [
  { queue_cpu: 2, queue_comm: 'curl', qdisc_ns: 10n, device_ns: 1000n, queue_ns: 5_000_000_001n },
  { queue_cpu: 0, queue_comm: 'curl', qdisc_ns: 20n, device_ns: 2000n, skbaddr: 0xffff888100000100n },
  { queue_cpu: 2, queue_comm: 'sshd', qdisc_ns: 30n, device_ns: 3000n, fate: 'dropped', kfree_reason: 'NO_SOCKET' },
  {
    queue_cpu: 10,
    queue_comm: 'sshd',
    qdisc_ns: 40n,
    device_ns: null,
    status: 'not_freed',
    fate: 'not_observed',
    fate_why: 'trace_ended',
  },
  { queue_cpu: 2, queue_comm: 'curl', qdisc_ns: 50n, device_ns: 9000n, match: 'address_reuse_suspect' },
];
const RX: Row[] = [
  { cpu: 1, handled_comm: 'curl', irq_to_receive_ns: 7n, receive_to_handled_ns: 70n },
  {
    cpu: 1,
    handled_comm: null,
    irq_to_receive_ns: 8n,
    receive_to_handled_ns: null,
    fate: 'not_observed',
    fate_why: 'trace_ended',
  },
];

function source(by: SliceKey, top = 0): SourceSummary {
  const b = new SummaryBuilder({ by, top });
  b.push('tx_packets', txChunk(TX));
  b.push('rx_packets', rxChunk(RX));
  return { source: 'hand-made', by, slices: b.finish(), lost_events: 0, filter: null };
}

describe('--by slices the counts and percentiles', () => {
  it('by cpu: tx by queue_cpu, rx by cpu, numerically (2 before 10), tx before rx', () => {
    const s = source('cpu');
    expect(s.slices.map((d) => [d.key, d.direction, d.packets])).toEqual([
      [0, 'tx', 1],
      [1, 'rx', 2],
      [2, 'tx', 3],
      [10, 'tx', 1],
    ]);
    const cpu2 = s.slices[2];
    // The suspect row's device latency is left out (as by device); its qdisc is in.
    expect(cpu2.latency.qdisc).toEqual({ n: 3, p50: 30n, p90: 50n, p99: 50n, p99_9: 50n, max: 50n });
    expect(cpu2.latency.device).toEqual({ n: 2, p50: 1000n, p90: 3000n, p99: 3000n, p99_9: 3000n, max: 3000n });
    expect(cpu2.fates).toEqual({ dropped: 1, consumed: 2, delivered: 0, not_observed: 0 });
    expect(cpu2.drops).toEqual({ NO_SOCKET: 1 });
    expect(cpu2.address_reuse_suspect).toBe(1);
    expect(s.slices[3].not_complete).toEqual({ not_freed: 1 });
  });

  it('by comm: tx by queue_comm, rx by handled_comm, a row without one in a null slice, last', () => {
    const s = source('comm');
    expect(s.slices.map((d) => [d.key, d.direction, d.packets])).toEqual([
      ['curl', 'tx', 3],
      ['curl', 'rx', 1],
      ['sshd', 'tx', 2],
      [null, 'rx', 1],
    ]);
    expect(s.slices[1].latency.receive_to_handled.p99_9).toBe(70n);
    expect(formatSummary([s], 'us')).toMatch(/\ncomm\s+dir\s+packets\s+latency\s+n\s+p50\s+p90\s+p99\s+p99\.9\s+max\n/);
    expect(formatSummary([s], 'us')).toContain(
      '\n  - rx: dropped 0, consumed 0, delivered 0, not observed 1 (trace_ended 1)',
    );
  });

  it('by dev (the default) is one slice per device, as before', () => {
    const s = source('dev');
    expect(s.slices.map((d) => [d.key, d.direction, d.packets])).toEqual([
      ['eth0', 'tx', 5],
      ['eth0', 'rx', 2],
    ]);
  });
});

describe('the JSON of --by and --top', () => {
  interface SliceJson extends Record<string, unknown> {
    latency_ns: Record<string, unknown>;
    top?: unknown;
  }
  interface Json {
    version: string;
    by: string;
    top?: { n: number; order: string };
    sources: { devices?: SliceJson[]; slices?: SliceJson[] }[];
  }
  const asJson = (v: unknown): Json => parseJson(JSON.stringify(v), hasKeys<Json>('version', 'by', 'sources'));

  it('devices (by dev) or slices (by cpu, comm) named by their key, p99_9, top with rank and hex skbaddr', () => {
    const json = asJson(summaryJson([source('cpu', 2)], 2));
    expect(json).toMatchObject({ version: SUMMARY_JSON_VERSION, by: 'cpu', top: { n: 2 } });
    expect(json.top?.order).toMatch(/ties by earlier time, then lower skbaddr/);
    expect(json.sources[0].devices).toBeUndefined();
    const cpu2 = json.sources[0].slices?.[2];
    expect(Object.keys(cpu2 ?? {})[0]).toBe('cpu');
    expect(cpu2?.cpu).toBe(2);
    expect(cpu2?.latency_ns.device).toEqual({ n: 2, p50: 1000, p90: 3000, p99: 3000, p99_9: 3000, max: 3000 });
    expect(cpu2?.top).toEqual({
      ranked: 2,
      flagged_out: 1,
      packets: [
        {
          rank: 1,
          time_ns: 0,
          cpu: 2,
          pid: 100,
          comm: 'sshd',
          skbaddr: '0xffff888000000000',
          len: 60,
          total_ns: 3030,
          latency_ns: { qdisc: 30, device: 3000 },
          fate: 'dropped',
          fate_why: null,
          lost_near: 0,
        },
        {
          rank: 2,
          time_ns: 5_000_000_001,
          cpu: 2,
          pid: 100,
          comm: 'curl',
          skbaddr: '0xffff888000000000',
          len: 60,
          total_ns: 1010,
          latency_ns: { qdisc: 10, device: 1000 },
          fate: 'consumed',
          fate_why: null,
          lost_near: 0,
        },
      ],
    });
    const byDev = asJson(summaryJson([source('dev')]));
    expect(byDev.by).toBe('dev');
    expect(byDev.top).toBeUndefined();
    expect(byDev.sources[0].slices).toBeUndefined();
    expect(byDev.sources[0].devices?.[0]).toMatchObject({ dev: 'eth0', direction: 'tx' });
    expect(byDev.sources[0].devices?.[0].top).toBeUndefined();
  });

  it('the text lists the slowest with their time as perf prints it, and says flagged rows are not ranked', () => {
    const text = formatSummary([source('dev', 2)], 'us');
    expect(text).toContain('rows with an address_reuse_suspect match or time_backwards are not ranked');
    expect(text).toContain('  eth0 tx: 3 ranked, 1 flagged rows not ranked\n');
    expect(text).toMatch(
      /\n {4}1 {2}0\.000000000 {4}2 {2}sshd {2}0xffff888000000000 {2}3\.030 {2}0\.030 {3}3\.000 {2}dropped\n/,
    );
    expect(text).toMatch(/\n {4}2 {2}0\.000000000 {4}0 {2}curl {2}0xffff888100000100 {2}2\.020 /);
  });

  it('schemas/summary.json has the version the JSON says', () => {
    const schema: unknown = JSON.parse(readFileSync(join(ROOT, 'schemas/summary.json'), 'utf8'));
    expect(schema).toMatchObject({
      version: SUMMARY_JSON_VERSION,
      properties: { version: { const: SUMMARY_JSON_VERSION } },
    });
  });
});
