/**
 * The benchmark's summary: issue 4's targets and the derived limits are computed from the rows (best wall
 * time per row, worst peak RSS) on the machine's Node, the other Node's rows are compared with the same rows on
 * it, and all is shown in both the text and the JSON.
 */
import { describe, expect, it } from 'vitest';
import type { CommandProfile } from '../../bench/profile.js';
import {
  DECODE_ONLY_ROW,
  onNode,
  PARQUET_ONLY_ROW,
  REPORT_SPLIT_ROW,
  REPORT_TAIL_ROW,
  summarise,
  type CaseResult,
} from '../../bench/report.js';

const run = (wallS: number, cpuS: number | null, peakRssMb: number | null, pageFaults: number | null = null) => ({
  wallS,
  cpuS,
  peakRssMb,
  pageFaults,
  exitCode: 0,
});
const row = (
  name: string,
  input: string,
  events: number,
  runs: ReturnType<typeof run>[],
  node: string | null = 'v20.1.0',
): CaseResult => ({ name, input, events, bytes: events * 110, node, runs });
const v24 = 'v24.22.3';

const cases: CaseResult[] = [
  row('convert', 'tcp-bulk.ns.txt', 2000, [run(2, 3, 100), run(1.5, 2.5, 120)]),
  // Faster and far bigger on the other Node: neither may move a target.
  row(onNode('convert', v24), 'tcp-bulk.ns.txt', 2000, [run(0.75, 2, 900)], v24),
  row('report', 'tcp-bulk.ns.txt', 2000, [run(0.5, 0.6, 80)]),
  row('convert, 1 thread', 'tcp-bulk.ns.txt', 2000, [run(3, 3, 300)]),
  row('convert, Arrow IPC only', 'tcp-bulk.ns.txt', 2000, [run(1.25, 1.3, 90)]),
  row('perf script --ns', 'tcp-bulk.data', 2000, [run(1, 1, 50)], null),
  row('reference', 'tcp-bulk.data', 2000, [run(12, 12, 340)], null),
  row('convert', 'tcp-bulk-x10.ns.txt', 20000, [run(7.5, 16, 132)]),
  row('convert', 'synthetic-ns-1000-s1.txt', 1000, [run(0.5, 0.6, 80)]),
  row('report', 'synthetic-ns-1000-s1.txt', 1000, [run(0.25, 0.3, 60)]),
  row(onNode('report', v24), 'synthetic-ns-1000-s1.txt', 1000, [run(0.5, 0.6, 70)], v24),
  row('convert', '4 x tcp-bulk.ns.txt', 8000, [run(4, 7.2, 300)]),
  row('convert, 1 core (taskset)', '4 x tcp-bulk.ns.txt', 8000, [run(6, 5.9, 200)]),
  row('convert -j 2, 1 core (taskset)', '4 x tcp-bulk.ns.txt', 8000, [run(7, 6.8, 300)]),
];

const profile: CommandProfile = {
  command: 'convert tcp-bulk.data',
  threads: [
    { threadId: 0, thread: 'main', wallMs: 100, busyMs: 80, stages: { correlate: 60, GC: 20, idle: 20 } },
    { threadId: 1, thread: 'encoder', wallMs: 90, busyMs: 50, stages: { 'Parquet (parquet-wasm)': 50, idle: 40 } },
  ],
};

describe('bench summary', () => {
  const { text, json } = summarise(cases, { cpus: 2, model: 'test', node: 'v20.1.0' }, ['a note'], 2, [profile]);
  const out = json as {
    targets: { what: string; measured: number; ok: boolean }[];
    limits: Record<string, number>;
    cases: { name: string; node: string | null }[];
    profile: CommandProfile[];
  };
  const target = (prefix: string) => out.targets.find((t) => t.what.startsWith(prefix));

  it('holds the default modes to the targets, from the fastest run of each row', () => {
    expect(target('convert tcp-bulk: speed vs reference')).toMatchObject({ measured: 8, ok: false });
    expect(target('convert tcp-bulk: speed vs perf script')?.measured).toBeCloseTo(1 / 1.5);
    expect(target('report tcp-bulk: speed vs reference')).toMatchObject({ measured: 24, ok: true });
    // The worst peak of convert and report, not of the one-thread row (300 MB).
    expect(target('peak RSS')).toMatchObject({ measured: 132, ok: true });
    expect(target('10x trace: peak RSS')).toMatchObject({ measured: 1.1, ok: true });
    expect(target('10x trace: time')).toMatchObject({ measured: 5, ok: true });
  });

  it("puts each speed target's ceiling at its run's CPU over the cores", () => {
    const ceilings = (
      json as { ceilings: { what: string; measured: number | null; ceiling: number | null; cpuCut: number | null }[] }
    ).ceilings;
    const at = (prefix: string) => ceilings.find((c) => c.what.startsWith(prefix));
    // convert: 1.5 s wall, 2.5 s CPU: on 2 cores it could take 1.25 s; perf takes 1 s, the reference 12 s.
    expect(at('convert tcp-bulk vs perf')).toMatchObject({ ceiling: 0.8 });
    expect(at('convert tcp-bulk vs perf')?.cpuCut).toBeCloseTo(1.25);
    expect(at('convert tcp-bulk vs reference')).toMatchObject({ measured: 8, ceiling: 9.6, cpuCut: null });
    // Four inputs: 6 s on one core; 7.2 s of CPU on both could take 3.6 s.
    expect(at('convert 4 x')?.measured).toBeCloseTo(1.5);
    expect(at('convert 4 x')?.ceiling).toBeCloseTo(6 / 3.6);
    expect(at('convert 4 x')?.cpuCut).toBeCloseTo(1.9 / (6 / 3.6));
    // At the CPU its two lanes take held to one core (6.8 s): 3.4 s on both at best; measured still on both cores.
    const lanes = ceilings.find((c) => c.what.includes('-j 2'));
    expect(lanes?.measured).toBeCloseTo(1.5);
    expect(lanes?.ceiling).toBeCloseTo(6 / 3.4);
    // Rows the run had none of: no ceiling, not a made-up one.
    expect(at('report tcp-bulk.data')).toMatchObject({ measured: null, ceiling: null });
    expect(text).toContain("| speed target: its ceiling at its run's CPU");
    // Without the decode-only row, the two-thread ceiling of the report is not made up either.
    expect(ceilings.find((c) => c.what.includes('on two threads'))).toMatchObject({ ceiling: null });
  });

  it('derives what bounds the speed', () => {
    expect(out.limits).toEqual({
      "10x trace once started: events/s (its time less tcp-bulk's)": 3000,
      '10x trace: CPU microseconds per event, all threads': 800,
      'at that cost, 2 cores give at most: events/s': 2500,
      '2x perf script --ns, the target: events/s': 4000,
      'convert tcp-bulk without Parquet (-f arrow): wall s': 1.25,
      'convert of a trace of 1000 events (start-up): wall s': 0.5,
      'report of a trace of 1000 events (start-up): wall s': 0.25,
      'convert tcp-bulk.ns.txt: Node 24.22.3 wall s / Node 20.1.0 wall s': 0.5,
      'report synthetic-ns-1000-s1.txt: Node 24.22.3 wall s / Node 20.1.0 wall s': 2,
    });
    expect(text).toContain('| at that cost, 2 cores give at most: events/s');
    expect(text).toContain('note: a note');
  });
});

describe('bench summary, other Node and profiles', () => {
  const { text, json } = summarise(cases, { cpus: 2, model: 'test', node: 'v20.1.0' }, [], 2, [profile]);
  const out = json as { cases: { name: string; node: string | null }[]; profile: CommandProfile[] };

  it('names the Node of every row, in the JSON and the text', () => {
    expect(out.cases.find((c) => c.name === 'convert (Node 24.22.3)')?.node).toBe(v24);
    expect(out.cases.find((c) => c.name === 'convert')?.node).toBe('v20.1.0');
    expect(text).toMatch(/\| convert \(Node 24\.22\.3\) +\| 24\.22\.3 \| tcp-bulk\.ns\.txt/);
    expect(text).toMatch(/\| convert +\| 20\.1\.0 +\| tcp-bulk\.ns\.txt/);
    // perf and the reference are no Node's.
    expect(out.cases.find((c) => c.name === 'perf script --ns')?.node).toBeNull();
    expect(text).toMatch(/\| perf script --ns +\| - +\| tcp-bulk\.data/);
  });

  it('shows the profiles: a table per command, and the JSON as given', () => {
    expect(out.profile).toEqual([profile]);
    expect(text).toContain('profile of convert tcp-bulk.data');
    expect(text).toContain('main thread: wall 100 ms, busy 80 ms; encoder thread: wall 90 ms, busy 50 ms');
    expect(text).toMatch(/\| correlate +\| +60 \| +75\.0 \| +- \| +- \|/);
  });
});

describe('bench summary, the report on two threads', () => {
  const twoThreads = (rows: CaseResult[]) => {
    const { json } = summarise(rows, { cpus: 2, model: 'test', node: 'v20.1.0' }, [], 2);
    return (json as { ceilings: { what: string; measured: number; ceiling: number | null }[] }).ceilings.find((x) =>
      x.what.includes('on two threads'),
    );
  };
  const report = row('report', 'tcp-bulk.data', 2000, [run(1, 1.3, 100)]);
  const decodeOnly = row(DECODE_ONLY_ROW, 'tcp-bulk.data', 2000, [run(0.8, 0.9, 90), run(0.75, 0.9, 90)]);

  it('puts its ceiling at the reference over decoding alone in a worker and then the tail, each at its fastest', () => {
    const tail = row(REPORT_TAIL_ROW, 'tcp-bulk.data', 2000, [run(0.09, null, null), run(0.05, null, null)]);
    const c = twoThreads([...cases, report, decodeOnly, tail]);
    // The reference's 12 s over the fastest decode-only run (0.75 s) and the fastest tail (0.05 s).
    expect(c?.ceiling).toBeCloseTo(15);
    expect(c?.measured).toBeCloseTo(12);
  });

  it('gives the split as built its measured ratio, and its ceiling at the CPU its two threads took', () => {
    const split = row(REPORT_SPLIT_ROW, 'tcp-bulk.data', 2000, [run(0.9, 1.6, 100), run(0.8, 1.5, 100)]);
    const { json } = summarise([...cases, report, split], { cpus: 2, model: 'test', node: 'v20.1.0' }, [], 2);
    const c = (json as { ceilings: { what: string; measured: number; ceiling: number }[] }).ceilings.find((x) =>
      x.what.includes('split over two threads'),
    );
    // The reference's 12 s over the fastest split run (0.8 s); at its 1.5 s of CPU on 2 cores, 12 / 0.75.
    expect(c?.measured).toBeCloseTo(15);
    expect(c?.ceiling).toBeCloseTo(16);
  });

  it('gives no ceiling when one of its parts was not measured', () => {
    expect(twoThreads([...cases, report, decodeOnly])).toMatchObject({ ceiling: null, measured: 12 });
  });
});

describe('bench summary, the Parquet half alone', () => {
  it('bounds convert by perf script, and by the reference, over the time Parquet alone takes', () => {
    const rows = [
      ...cases,
      row(PARQUET_ONLY_ROW, 'tcp-bulk.ns.txt', 2000, [run(1.6, null, null), run(1.25, null, null)]),
    ];
    const { json } = summarise(rows, { cpus: 2, model: 'test', node: 'v20.1.0' }, [], 2);
    const ceilings = (json as { ceilings: { what: string; measured: number; ceiling: number | null }[] }).ceilings;
    const at = (part: string) => ceilings.find((c) => c.what.includes(part));
    // perf script took 1 s, the reference 12 s; the fastest Parquet-only run 1.25 s.
    expect(at('vs perf script --ns, at most')?.ceiling).toBeCloseTo(0.8);
    expect(at('vs perf script --ns, at most')?.measured).toBeCloseTo(1 / 1.5);
    expect(at('vs reference analyser, at most')?.ceiling).toBeCloseTo(9.6);
    // No perf.data row here: its measured ratio is not made up.
    expect(at('tcp-bulk.data (native) vs perf script --ns, the same')).toMatchObject({ measured: null, ceiling: 0.8 });
  });
});

describe('bench summary, page faults', () => {
  const data = row('report', 'tcp-bulk.data', 2000, [run(0.4, 0.5, 90, 25000), run(0.45, 0.5, 90, 99)]);
  const page = { firstTouchUs: 12, againUs: 0.05 };

  it("gives each row its fastest run's faults, and the share of its CPU they cost at the probe's price", () => {
    const { text, json } = summarise([...cases, data], { cpus: 2, model: 'test', node: 'v20.1.0', page }, [], 2);
    const limits = (json as { limits: Record<string, number> }).limits;
    // 25,000 faults x 12 us = 0.3 s of the fastest run's 0.5 s of CPU.
    expect(limits['report tcp-bulk.data: CPU in page faults (faults x first-write cost) / its CPU']).toBeCloseTo(0.6);
    expect(limits['a fresh 4 KiB page, first write: CPU us (bench/page-probe.mjs)']).toBe(12);
    expect(text).toMatch(/\| report +\| 20\.1\.0 +\| tcp-bulk\.data .*\| +25,000 \|$/m);
    // Rows without faults (the other runs here) get none made up.
    expect(Object.keys(limits).filter((k) => k.includes('page faults'))).toHaveLength(1);
  });

  it('says nothing of pages when the probe did not run', () => {
    const { json } = summarise([...cases, data], { cpus: 2, model: 'test', node: 'v20.1.0' }, [], 2);
    expect(Object.keys((json as { limits: Record<string, number> }).limits).join()).not.toMatch(/page/);
  });
});
