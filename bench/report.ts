/**
 * The benchmark's results: a table per case, the ratios issues 4, 14 and 17 set as targets, the same rows on
 * another Node next to the machine's, where the time goes (profiles), and all of it as JSON.
 */
import type { Measurement } from './measure.js';
import { profileTable, type CommandProfile } from './profile.js';
import { markdownTable, type Cell } from './table.js';

export interface CaseResult {
  name: string;
  input: string;
  events: number;
  bytes: number;
  /** The Node it ran on, as `node --version` prints it; null for the other commands (perf, the reference). */
  node: string | null;
  runs: Measurement[];
}

/** A row's name when it ran on another Node than the machine's: `convert (Node 24.22.3)`. */
export const onNode = (name: string, version: string): string => `${name} (${nodeName(version)})`;

const nodeName = (version: string): string => `Node ${version.replace(/^v/, '')}`;

interface Machine {
  cpus: number;
  model: string;
  node: string;
  /** CPU microseconds per fresh 4 KiB page written the first time, and per page written again (page-probe.mjs). */
  page?: { firstTouchUs: number; againUs: number } | null;
}

const MB = 1024 * 1024;

/** The row of bench/decode-only.mjs: decode and normalise only (the main thread's half of a split report). */
export const DECODE_ONLY_ROW = 'decode + normalise only';

/** The row of bench/report-split.mjs: the report split over two threads, as the bench builds it. */
export const REPORT_SPLIT_ROW = 'report, split over two threads (bench model)';

/** The row of bench/report-tail.mjs: the report's work after its last batch (finish and render); its time only. */
export const REPORT_TAIL_ROW = "report's work after its last batch (timed inside)";

/** The row of bench/parquet-only.mjs: the Parquet half of convert alone, on its own thread; its time only. */
export const PARQUET_ONLY_ROW = 'Parquet only, on its thread (timed inside)';

/** Events of the start-up rows' trace: next to nothing to convert. */
export const STARTUP_EVENTS = 1000;

/** The fastest run (wall time): what the machine can do when the other work on it leaves it alone. */
const best = (c: CaseResult): Measurement => c.runs.reduce((a, b) => (b.wallS < a.wallS ? b : a));

/** Peak RSS over all runs (the worst one, not the fastest's). */
function peak(c: CaseResult): number | null {
  let p: number | null = null;
  for (const r of c.runs) if (r.peakRssMb !== null) p = Math.max(p ?? 0, r.peakRssMb);
  return p;
}

interface Ceiling {
  what: string;
  measured: number | null;
  /** The ratio were the cores busy with this run's CPU work from start to end (or as `what` says). */
  ceiling: number | null;
  goal: number;
  /** How many times less CPU the goal needs, when the ceiling is below it. */
  cpuCut: number | null;
}

interface Target {
  what: string;
  measured: number | null;
  goal: string;
  ok: boolean | null;
}

/**
 * What fresh memory costs here, and so how much of a row's CPU went to the kernel mapping the pages it touched
 * for the first time (its minor faults at the probe's cost per page): on this VM a page costs ~12 us, and the
 * faults of a conversion are a fifth of its CPU.
 */
function pageLimits(machine: Machine, rows: (CaseResult | undefined)[]): [string, number | null][] {
  const page = machine.page;
  if (!page) return [];
  const out: [string, number | null][] = [
    ['a fresh 4 KiB page, first write: CPU us (bench/page-probe.mjs)', page.firstTouchUs],
    ['the same page written again: CPU us', page.againUs],
  ];
  for (const c of rows) {
    if (!c) continue;
    const b = best(c);
    if (b.pageFaults === null || b.cpuS === null) continue;
    out.push([
      `${c.name} ${c.input}: CPU in page faults (faults x first-write cost) / its CPU`,
      (b.pageFaults * page.firstTouchUs) / 1e6 / b.cpuS,
    ]);
  }
  return out;
}

function ratio(a: CaseResult | undefined, b: CaseResult | undefined): number | null {
  return a && b ? best(a).wallS / best(b).wallS : null;
}

export function summarise(
  all: CaseResult[],
  machine: Machine,
  notes: string[],
  runs: number,
  profiles: readonly CommandProfile[] = [],
): { text: string; json: unknown } {
  // Targets and limits come from the rows on the machine's Node; the other Node's are compared with them below.
  const cases = all.filter((c) => c.node === null || c.node === machine.node);
  const find = (name: string, input: string): CaseResult | undefined =>
    cases.find((c) => c.name === name && c.input === input);
  const convert = find('convert', 'tcp-bulk.ns.txt');
  const report = find('report', 'tcp-bulk.ns.txt');
  const perf = find('perf script --ns', 'tcp-bulk.data');
  const ref = find('reference', 'tcp-bulk.data');
  const convertData = find('convert', 'tcp-bulk.data');
  const reportData = find('report', 'tcp-bulk.data');
  const big = cases.find((c) => c.name === 'convert' && c.input.startsWith('tcp-bulk-x'));
  const fourBoth = find('convert', '4 x tcp-bulk.ns.txt');
  const fourOne = find('convert, 1 core (taskset)', '4 x tcp-bulk.ns.txt');
  const fourLanesOne = find('convert -j 2, 1 core (taskset)', '4 x tcp-bulk.ns.txt');
  const scale = big && convert ? big.events / convert.events : null;
  // The default modes; convert forced onto one thread (", 1 thread") is shown in the table, not held to the target.
  // One input each: the four-input batch runs a worker per core, each with its own heap (shown, not held to it).
  const ours = cases.filter((c) => (c.name === 'convert' || c.name === 'report') && c !== fourBoth);
  const maxRss = ours.reduce<number | null>((m, c) => {
    const p = peak(c);
    return p === null ? m : Math.max(m ?? 0, p);
  }, null);
  const targets: Target[] = [];
  const add = (what: string, measured: number | null, goal: string, pass: (v: number) => boolean): void => {
    targets.push({ what, measured, goal, ok: measured === null ? null : pass(measured) });
  };
  add('convert tcp-bulk: speed vs reference analyser (x)', ratio(ref, convert), '>= 10', (v) => v >= 10);
  add('convert tcp-bulk: speed vs perf script --ns (x)', ratio(perf, convert), '>= 2', (v) => v >= 2);
  add('report tcp-bulk: speed vs reference analyser (x)', ratio(ref, report), '>= 15', (v) => v >= 15);
  add('peak RSS of every one-input convert/report run, default mode (MB)', maxRss, '<= 256', (v) => v <= 256);
  add('convert tcp-bulk: speed vs perf script --ns, issue 17 (x)', ratio(perf, convert), '>= 1', (v) => v >= 1);
  add('convert tcp-bulk: speed vs reference analyser, issue 17 (x)', ratio(ref, convert), '>= 6', (v) => v >= 6);
  add('convert 4 x tcp-bulk: both cores vs one core (x)', ratio(fourOne, fourBoth), '>= 1.9', (v) => v >= 1.9);
  add('convert tcp-bulk.data (native): speed vs perf script --ns (x)', ratio(perf, convertData), '>= 1', (v) => v >= 1);
  add('report tcp-bulk.data (native): speed vs reference analyser (x)', ratio(ref, reportData), '>= 8', (v) => v >= 8);
  add(
    "convert tcp-bulk.data (native): peak RSS / the text path's",
    convertData && convert ? (peak(convertData) ?? NaN) / (peak(convert) ?? NaN) : null,
    '<= 1.1 (as flat)',
    (v) => v <= 1.1,
  );
  const bigRss = big ? peak(big) : null;
  const bulkRss = convert ? peak(convert) : null;
  add(
    `${scale ?? 'N'}x trace: peak RSS / tcp-bulk peak RSS`,
    bigRss !== null && bulkRss !== null ? bigRss / bulkRss : null,
    '<= 1.1 (flat)',
    (v) => v <= 1.1,
  );
  add(
    `${scale ?? 'N'}x trace: time / tcp-bulk time`,
    ratio(big, convert),
    `<= ${scale ?? 'N'} (linear)`,
    (v) => scale !== null && v <= scale * 1.15,
  );

  // Each speed target's ceiling at the CPU its run took: were every core busy with that work from start to
  // end, the run would take its CPU seconds over the cores; the ratio can reach no further without less CPU.
  const ceilings: Ceiling[] = [];
  const ceiling = (
    what: string,
    over: CaseResult | undefined,
    ours: CaseResult | undefined,
    goal: number,
    cpuOf = ours,
  ): void => {
    const cpu = cpuOf ? best(cpuOf).cpuS : null;
    const at = over && cpu ? best(over).wallS / (cpu / machine.cpus) : null;
    ceilings.push({
      what,
      measured: ratio(over, ours),
      ceiling: at,
      goal,
      cpuCut: at !== null && at < goal ? goal / at : null,
    });
  };
  ceiling('convert tcp-bulk vs perf script --ns (x)', perf, convert, 1);
  ceiling('convert tcp-bulk vs reference analyser (x)', ref, convert, 6);
  ceiling('convert tcp-bulk.data (native) vs perf script --ns (x)', perf, convertData, 1);
  ceiling('report tcp-bulk.data (native) vs reference analyser (x)', ref, reportData, 8);
  ceiling('convert 4 x tcp-bulk: both cores vs one core (x)', fourOne, fourBoth, 1.9);
  // Bound rows: work the command must do alone and one part after another, each timed alone (the ratio can
  // reach no further than `over`'s time over their fastest runs added up). convert's encoder thread writes
  // every table's Parquet one request after another, from its spawn on; split over two threads, the report
  // could end no sooner than its decoding and normalising alone (from the process's start to the last batch),
  // and then what it does once every batch is in (its tail).
  const bounded = (
    what: string,
    over: CaseResult | undefined,
    ours: CaseResult | undefined,
    goal: number,
    ...parts: (CaseResult | undefined)[]
  ): void => {
    const known = parts.filter((b) => b !== undefined);
    const sum = known.reduce((t, b) => t + best(b).wallS, 0);
    const at = over && known.length === parts.length ? best(over).wallS / sum : null;
    ceilings.push({ what, measured: ratio(over, ours), ceiling: at, goal, cpuCut: null });
  };
  const parquetOnly = find(PARQUET_ONLY_ROW, 'tcp-bulk.ns.txt');
  const decodeOnly = find(DECODE_ONLY_ROW, 'tcp-bulk.data');
  const reportTail = find(REPORT_TAIL_ROW, 'tcp-bulk.data');
  const reportSplit = find(REPORT_SPLIT_ROW, 'tcp-bulk.data');
  bounded(
    'convert tcp-bulk vs perf script --ns, at most perf script / Parquet alone (x)',
    perf,
    convert,
    1,
    parquetOnly,
  );
  bounded('convert tcp-bulk.data (native) vs perf script --ns, the same bound (x)', perf, convertData, 1, parquetOnly);
  bounded(
    'convert tcp-bulk vs reference analyser, at most reference / Parquet alone (x)',
    ref,
    convert,
    6,
    parquetOnly,
  );
  bounded(
    'report tcp-bulk.data vs reference, on two threads: reference / (decode+normalise + tail) (x)',
    ref,
    reportData,
    8,
    decodeOnly,
    reportTail,
  );
  // The split as built: its measured ratio, and its ceiling at the CPU its two threads took.
  ceiling('report tcp-bulk.data split over two threads (bench model) vs reference (x)', ref, reportSplit, 8);
  // The same at the CPU its two lanes (-j 2) take held to one core: their own work, before any contention.
  ceiling('convert 4 x tcp-bulk: both cores vs one, at -j 2 CPU on one core (x)', fourOne, fourBoth, 1.9, fourLanesOne);
  // What bounds the speed, derived from the rows: the long trace's rate once started (its time less
  // tcp-bulk's), its CPU per event over all threads, the most the machine's cores give at that cost, and the
  // rate the perf script target asks for.
  const arrowOnly = find('convert, Arrow IPC only', 'tcp-bulk.ns.txt');
  const tiny = (name: string): CaseResult | undefined =>
    cases.find((c) => c.name === name && c.events === STARTUP_EVENTS);
  const bigBest = big ? best(big) : null;
  const cpuPerEventUs = big && bigBest?.cpuS ? (bigBest.cpuS / big.events) * 1e6 : null;
  const rate = (v: number | null): number | null => (v === null ? null : Math.round(v));
  const limits: [string, number | null][] = [
    [
      `${scale ?? 'N'}x trace once started: events/s (its time less tcp-bulk's)`,
      rate(big && convert && bigBest ? (big.events - convert.events) / (bigBest.wallS - best(convert).wallS) : null),
    ],
    [`${scale ?? 'N'}x trace: CPU microseconds per event, all threads`, cpuPerEventUs],
    [
      `at that cost, ${machine.cpus} cores give at most: events/s`,
      rate(cpuPerEventUs === null ? null : machine.cpus / (cpuPerEventUs / 1e6)),
    ],
    ['2x perf script --ns, the target: events/s', rate(perf ? (2 * perf.events) / best(perf).wallS : null)],
    ['convert tcp-bulk without Parquet (-f arrow): wall s', arrowOnly ? best(arrowOnly).wallS : null],
    ...(['convert', 'report'] as const).map((name): [string, number | null] => {
      const t = tiny(name);
      return [`${name} of a trace of ${STARTUP_EVENTS} events (start-up): wall s`, t ? best(t).wallS : null];
    }),
    ...pageLimits(machine, [convert, convertData, reportData, fourBoth, fourOne]),
    // Each row run on the other Node too, over the same row on the machine's: < 1 is the other faster.
    ...all.flatMap((c): [string, number | null][] => {
      const node = c.node;
      if (node === null || node === machine.node) return [];
      const same = cases.find((m) => m.input === c.input && m.node !== null && onNode(m.name, node) === c.name);
      const label = `${same?.name ?? c.name} ${c.input}: ${nodeName(node)} wall s / ${nodeName(machine.node)} wall s`;
      return same ? [[label, ratio(c, same)]] : [];
    }),
  ];

  const rows: Cell[][] = all.map((c) => {
    const b = best(c);
    return [
      c.name,
      c.node === null ? null : c.node.replace(/^v/, ''),
      c.input,
      c.events,
      c.bytes / MB,
      b.wallS,
      Math.round(c.events / b.wallS),
      c.bytes / MB / b.wallS,
      peak(c),
      b.cpuS,
      b.cpuS === null ? null : b.cpuS / b.wallS,
      b.pageFaults,
    ];
  });
  const header = [
    'command',
    'node',
    'input',
    'events',
    'MB',
    'wall s',
    'events/s',
    'MB/s',
    'peak RSS MB',
    'CPU s',
    'cores',
    'page faults',
  ];
  const targetRows: Cell[][] = targets.map((t) => [
    t.what,
    t.measured,
    t.goal,
    t.ok === null ? 'n/a' : t.ok ? 'yes' : 'NO',
  ]);
  const text = [
    `netdev-times benchmark: ${machine.cpus} cores (${machine.model}), Node ${machine.node} (rows named "(Node N)" ran on that one instead); best of ${runs} runs (1 for the long trace, at least 5 for perf script and the reference), made in rounds: every row once per round, so that the host's drifting speed touches all alike`,
    '',
    markdownTable(header, rows),
    '',
    markdownTable(['target (issues 4, 14, 17)', 'measured', 'goal', 'met'], targetRows),
    '',
    markdownTable(
      [
        "speed target: its ceiling at its run's CPU (CPU s / cores), or as it says",
        'measured',
        'ceiling',
        'goal',
        'CPU must fall (x)',
      ],
      ceilings.map((c) => [c.what, c.measured, c.ceiling, c.goal, c.cpuCut]),
    ),
    '',
    markdownTable(['what bounds the speed (derived from the rows above)', 'value'], limits),
    ...profiles.flatMap((p) => ['', profileTable(p)]),
    ...(notes.length ? ['', ...notes.map((n) => `note: ${n}`)] : []),
  ].join('\n');
  const json = {
    machine,
    runs,
    cases: all.map((c) => ({
      ...c,
      best: best(c),
      peakRssMb: peak(c),
      eventsPerS: c.events / best(c).wallS,
      mbPerS: c.bytes / MB / best(c).wallS,
    })),
    targets,
    ceilings,
    limits: Object.fromEntries(limits),
    profile: profiles,
    notes,
  };
  return { text, json };
}
