/**
 * The timeline of real traces against the Trace Event Format and against the tables it is drawn from: the
 * same trace's rows, correlated separately, must give every slice, drop and flow, with exact times.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TableChunk } from '../../src/core/columns.js';
import { correlateFile } from '../../src/pipeline/correlate-file.js';
import { convert } from '../../src/pipeline/convert.js';
import { timelineOf } from '../../src/pipeline/timeline.js';
import { microseconds, writeTraceJson, type TraceEvent } from '../../src/timeline/trace-event.js';
import { chunkReader } from '../../src/timeline/rows.js';
import { parseTimeWindow } from '../../src/timeline/window.js';
import { TRACES } from '../helpers/fixtures.js';
import { eventsOf, formatProblems, type JsonEvent } from './trace-format.js';

/** The JSON text of a timeline, as the command writes it. */
async function jsonText(events: readonly TraceEvent[]): Promise<string> {
  const parts: string[] = [];
  await writeTraceJson(events, (t) => void parts.push(t), { source: 'test' });
  return parts.join('');
}

type Row = Record<string, bigint | number | string | null>;

/** Every row of the correlate tables of a trace, read column by column as the schemas name them. */
async function tableRows(path: string): Promise<Record<string, Row[]>> {
  const columns: Record<string, Record<string, 'int' | 'i64' | 'u64' | 'str'>> = {
    rx_hunks: { hunk_id: 'int', cpu: 'int', softirq_entry_ns: 'i64', softirq_exit_ns: 'i64' },
    rx_irqs: { hunk_id: 'int', cpu: 'int', entry_ns: 'i64', exit_ns: 'i64', irq_name: 'str' },
    rx_napi_polls: { hunk_id: 'int', time_ns: 'i64' },
    rx_packets: { hunk_id: 'int', handled_by: 'str', kfree_reason: 'str', fate: 'str' },
    tx_packets: { xmit_ns: 'i64', freed_by: 'str', kfree_reason: 'str', fate: 'str' },
  };
  const out: Record<string, Row[]> = Object.fromEntries(Object.keys(columns).map((t) => [t, []]));
  const push = (table: string, chunk: TableChunk): void => {
    if (!(table in columns)) return;
    const want = columns[table];
    const c = chunkReader(table, chunk);
    const getters = Object.entries(want).map(([name, kind]) => [name, c[kind](name)] as const);
    for (let r = 0; r < c.length; r++) {
      const row: Row = {};
      for (const [name, get] of getters) row[name] = get(r);
      out[table].push(row);
    }
  };
  await correlateFile(path, push);
  return out;
}

const count = (events: readonly JsonEvent[], pred: (e: JsonEvent) => boolean): number => events.filter(pred).length;

const byCpu = <T>(list: readonly T[], cpu: (x: T) => number): Record<number, number> => {
  const out: Record<number, number> = {};
  for (const x of list) out[cpu(x)] = (out[cpu(x)] ?? 0) + 1;
  return out;
};

/** Extra tracks of CPU c are c + k * 100000: the CPU of any track. */
const cpuOfTid = (tid: number): number => tid % 100_000;

describe.each(['eth-npm.ns.txt', 'udp-drop.ns.txt', 'http-lo.ns.txt', 'mixed.ns.txt'])('timeline of %s', (name) => {
  const path = `${TRACES}${name}`;
  const made = (async () => {
    const timeline = await timelineOf(path);
    const text = await jsonText(timeline.events);
    return { timeline, text, events: eventsOf(JSON.parse(text)), tables: await tableRows(path) };
  })();

  it('keeps the Trace Event Format: fields per phase, time order, nesting, flows, thread names', async () => {
    const { events } = await made;
    expect(formatProblems(events)).toEqual([]);
    expect(count(events, (e) => e.ph === 'X')).toBeGreaterThan(0);
  });

  it('draws one softirq slice per hunk and one IRQ slice per IRQ row, on the CPU of each', async () => {
    const { events, tables } = await made;
    const hunks = tables.rx_hunks;
    const irqs = tables.rx_irqs.filter((r) => r.exit_ns !== null);
    const softirqs = events.filter((e) => e.ph === 'X' && e.name === 'NET_RX softirq');
    expect(byCpu(softirqs, (e) => cpuOfTid(e.tid))).toEqual(byCpu(hunks, (r) => Number(r.cpu)));
    const irqSlices = events.filter((e) => e.ph === 'X' && e.name.startsWith('irq '));
    expect(byCpu(irqSlices, (e) => cpuOfTid(e.tid))).toEqual(byCpu(irqs, (r) => Number(r.cpu)));
    expect(count(events, (e) => e.ph === 'X' && e.name.startsWith('napi_poll '))).toBe(tables.rx_napi_polls.length);
  });

  it('prints the tables’ nanoseconds exactly, as microseconds', async () => {
    const { text, tables } = await made;
    const printed = [...text.matchAll(/"name":"NET_RX softirq","cat":"net","ts":([0-9.]+),"dur":([0-9.]+)/g)].map(
      (m) => `${m[1]}+${m[2]}`,
    );
    const expected = tables.rx_hunks.map((r) => {
      const entry = BigInt(r.softirq_entry_ns ?? 0);
      return `${microseconds(entry)}+${microseconds(BigInt(r.softirq_exit_ns ?? 0) - entry)}`;
    });
    expect(printed.sort()).toEqual(expected.sort());
    for (const m of text.matchAll(/"(?:ts|dur)":([^,}]+)/g)) expect(m[1]).toMatch(/^\d+(\.\d{1,3})?$/);
  });

  it('shows every drop of the tables (fate dropped) as a kfree_skb instant with its reason', async () => {
    const { events, tables } = await made;
    const dropped = [...tables.rx_packets, ...tables.tx_packets].filter((r) => r.fate === 'dropped');
    const drops = events.filter((e) => e.ph === 'i' && e.name === 'kfree_skb');
    expect(drops.length).toBe(dropped.length);
    expect(drops.map((e) => String(e.args?.reason)).sort()).toEqual(dropped.map((r) => String(r.kfree_reason)).sort());
  });

  it('joins each packet seen at two points by one flow', async () => {
    const { events, tables } = await made;
    const rx = tables.rx_packets.filter((r) => r.hunk_id !== null || r.handled_by !== null).length;
    const tx = tables.tx_packets.filter((r) => r.xmit_ns !== null || r.freed_by !== null).length;
    expect(count(events, (e) => e.ph === 's' && e.name === 'rx packet')).toBe(rx);
    expect(count(events, (e) => e.ph === 's' && e.name === 'tx packet')).toBe(tx);
  });
});

describe('timeline inputs and windows', () => {
  const path = `${TRACES}eth-npm.ns.txt`;

  it('is the same from a converted dataset as from the trace', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ndt-timeline-')), 'out');
    await convert({ input: path, outDir: dir });
    const fromTrace = await timelineOf(path);
    const fromDataset = await timelineOf(dir);
    // Only the process name differs: it names the input.
    expect(fromDataset.events.slice(1)).toEqual(fromTrace.events.slice(1));
    expect(fromDataset.counts).toEqual(fromTrace.counts);
  });

  it('--time keeps exactly the slices and instants that overlap the window, and flows between them', async () => {
    const whole = eventsOf(JSON.parse(await jsonText((await timelineOf(path)).events)));
    // 1521.380195 .. 1521.380270 s: hunk 24 on CPU 1, two packets and their drops.
    const window = parseTimeWindow('1521.380195,1521.380270');
    const part = eventsOf(JSON.parse(await jsonText((await timelineOf(path, { window })).events)));
    expect(formatProblems(part)).toEqual([]);
    const [from, to] = [1521380195, 1521380270];
    const inside = (e: JsonEvent): boolean =>
      (e.ph === 'X' || e.ph === 'i') && (e.ts ?? 0) <= to && (e.ts ?? 0) + (e.dur ?? 0) >= from;
    const key = (e: JsonEvent): string => JSON.stringify([e.ph, e.name, e.tid, e.ts, e.dur, e.args]);
    expect(part.filter((e) => e.ph === 'X' || e.ph === 'i').map(key)).toEqual(whole.filter(inside).map(key));
    expect(count(part, (e) => e.ph === 'i')).toBe(2);
    expect(count(part, (e) => e.ph === 's')).toBeGreaterThan(0);
  });

  it('--time takes percents of the rows’ span, and refuses what perf refuses', async () => {
    const all = await timelineOf(path);
    const first10 = await timelineOf(path, { window: parseTimeWindow('10%/1') });
    expect(first10.counts.events).toBeGreaterThan(7);
    expect(first10.counts.events).toBeLessThan(all.counts.events);
    expect(() => parseTimeWindow('5,1')).toThrow(/END is before START/);
    expect(() => parseTimeWindow('abc')).toThrow(/--time/);
  });
});
