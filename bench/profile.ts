/**
 * Where the time goes: V8 CPU profiles (`node --cpu-prof`, one .cpuprofile per thread) read and every sample
 * put in a stage of the pipeline. Pure: the bench spawns the profiled runs (run.ts) and hands the files' text here.
 *
 * A sample counts for the first frame, from the sampled function up through its callers, that names a stage:
 * builtins (empty url: `readSync`, `update`, `compileFunction`...) and Node's own library code count for the
 * code that called them, so the time of a hash or a file read is its stage's, not "Node".
 */
import { markdownTable, type Cell } from './table.js';

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

/** The .cpuprofile format (Chrome DevTools protocol's Profiler.Profile); times in microseconds. */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  /** Node id of each sample. */
  samples: number[];
  /** Microseconds from the previous sample (from startTime for the first). */
  timeDeltas: number[];
}

export const IDLE = 'idle';
const PARQUET = 'Parquet (parquet-wasm)';
/** Nothing on the stack names a stage: Node's event loop, streams, timers on their own. */
export const RUNTIME = 'Node runtime';

/** `/dist/<folder>/` stages, most specific first. */
const DIST_STAGES: readonly (readonly [string, string])[] = [
  ['/dist/decode/perf-data/', 'decode perf.data'],
  ['/dist/decode/text/', 'decode text'],
  ['/dist/input/', 'input'],
  ['/dist/filter/', 'normalise'],
  ['/dist/normalise/', 'normalise'],
  ['/dist/correlate/', 'correlate'],
  ['/dist/tables/', 'Arrow IPC encode'],
  ['/dist/formats/arrow/', 'Arrow IPC encode'],
];

/** V8's pseudo-frames: they have no caller to walk to. */
const SPECIAL: ReadonlyMap<string, string> = new Map([
  ['(garbage collector)', 'GC'],
  ['(idle)', IDLE],
  ['(program)', 'V8 / native'],
]);

const LOADING = 'start-up: loading modules';
const LOADER_FUNCTIONS = new Set(['compileSourceTextModule', 'compileForInternalLoader', 'compileFunction']);

/** The stage a frame names, or null when it names none (then its caller decides). */
export function frameStage(f: CallFrame): string | null {
  const { url, functionName: fn } = f;
  const special = url === '' ? SPECIAL.get(fn) : undefined;
  if (special !== undefined) return special;
  if (
    url.startsWith('node:internal/modules') ||
    url.includes('bootstrap/realm') ||
    url.includes('cjs-module-lexer') ||
    LOADER_FUNCTIONS.has(fn)
  )
    return LOADING;
  if (url.startsWith('node:internal/crypto') || url.endsWith('crypto/hash')) return 'input SHA-256';
  for (const [part, stage] of DIST_STAGES) if (url.includes(part)) return stage;
  // parquet-wasm's JS glue and the compiled Rust it calls (wasm://wasm/<hash>, functions wasm-function[N]).
  if (url.includes('parquet-wasm') || fn.startsWith('wasm-function')) return PARQUET;
  if (url.includes('apache-arrow')) return 'apache-arrow';
  const dist = /\/dist\/(.*)\/[^/]*$/.exec(url);
  // Another folder of the package (cli, pipeline, core, formats/parquet...): two levels at most.
  if (dist) return dist[1].split('/').slice(0, 2).join('/');
  return null;
}

/** Milliseconds per stage of one thread's profile, with its wall time and busy (non-idle) time. */
export interface ThreadTimes {
  wallMs: number;
  busyMs: number;
  stages: Record<string, number>;
}

/**
 * A sample stands for the time until the next one (the last: until the profile's end), as DevTools counts
 * it; the lead-in before the first sample is in the wall time only.
 */
export function attribute(p: CpuProfile): ThreadTimes {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stageOf = new Map<number, string>();
  // Up from the node until a frame names a stage (or one already walked did); every node passed gets it.
  const stage = (id: number): string => {
    const passed: number[] = [];
    let found: string | undefined;
    for (let at: number | undefined = id; at !== undefined && found === undefined; at = parent.get(at)) {
      found = stageOf.get(at);
      if (found !== undefined) break;
      const node = byId.get(at);
      found = (node ? frameStage(node.callFrame) : null) ?? undefined;
      passed.push(at);
    }
    const s = found ?? RUNTIME;
    for (const at of passed) stageOf.set(at, s);
    return s;
  };
  const stages: Record<string, number> = {};
  let t = p.startTime;
  const times = p.samples.map((_, i) => (t += Math.max(0, p.timeDeltas[i] ?? 0)));
  for (let i = 0; i < p.samples.length; i++) {
    const end = i + 1 < times.length ? times[i + 1] : Math.max(times[i], p.endTime);
    const s = stage(p.samples[i]);
    stages[s] = (stages[s] ?? 0) + (end - times[i]) / 1000;
  }
  const busyMs = Object.entries(stages).reduce((sum, [s, ms]) => (s === IDLE ? sum : sum + ms), 0);
  return { wallMs: (p.endTime - p.startTime) / 1000, busyMs, stages };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

function callFrame(v: unknown): CallFrame | null {
  if (!isRecord(v)) return null;
  const { functionName, url, lineNumber } = v;
  if (typeof functionName !== 'string' || typeof url !== 'string') return null;
  return { functionName, url, lineNumber: typeof lineNumber === 'number' ? lineNumber : -1 };
}

/** A .cpuprofile's JSON text, checked; throws on anything else. */
export function parseProfile(text: string): CpuProfile {
  const v: unknown = JSON.parse(text);
  if (!isRecord(v)) throw new Error('not a CPU profile: not an object');
  const { nodes, startTime, endTime, samples, timeDeltas } = v;
  if (!Array.isArray(nodes) || typeof startTime !== 'number' || typeof endTime !== 'number')
    throw new Error('not a CPU profile: no nodes, startTime or endTime');
  if (!isNumbers(samples) || !isNumbers(timeDeltas) || samples.length !== timeDeltas.length)
    throw new Error('not a CPU profile: samples and timeDeltas differ');
  const parsed = nodes.map((n: unknown): ProfileNode => {
    const frame = isRecord(n) ? callFrame(n.callFrame) : null;
    if (!isRecord(n) || typeof n.id !== 'number' || !frame) throw new Error('not a CPU profile: a bad node');
    return { id: n.id, callFrame: frame, children: isNumbers(n.children) ? n.children : [] };
  });
  return { nodes: parsed, startTime, endTime, samples, timeDeltas };
}

/**
 * Node names its files CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile; thread 0 is the main thread, the
 * others workers. null for other names.
 */
export function threadIdOf(fileName: string): number | null {
  const m = /^CPU\.\d+\.\d+\.\d+\.(\d+)\.\d+\.cpuprofile$/.exec(fileName);
  return m ? Number(m[1]) : null;
}

export interface ThreadProfile extends ThreadTimes {
  threadId: number;
  /** "main"; "encoder" for a worker busiest in parquet-wasm (convert's, "encoder <id>" when several); else "worker <id>". */
  thread: string;
}

/** The stage a thread spent the most busy time in. */
function busiest(t: ThreadTimes): string | undefined {
  const busy = Object.entries(t.stages).filter(([s]) => s !== IDLE);
  return busy.reduce<[string, number] | undefined>((a, b) => (a && a[1] >= b[1] ? a : b), undefined)?.[0];
}

export interface CommandProfile {
  command: string;
  threads: ThreadProfile[];
}

/** One profiled command from its files (name and text), main thread first. */
export function profileCommand(command: string, files: readonly { name: string; text: string }[]): CommandProfile {
  const threads = files.flatMap((f) => {
    const id = threadIdOf(f.name);
    return id === null ? [] : [{ threadId: id, times: attribute(parseProfile(f.text)) }];
  });
  threads.sort((a, b) => a.threadId - b.threadId);
  // Known by what they do rather than their number: other workers (hashing...) may start before the encoder.
  const encoder = (t: { threadId: number; times: ThreadTimes }): boolean =>
    t.threadId !== 0 && busiest(t.times) === PARQUET;
  const encoders = threads.filter(encoder).length;
  const name = (t: { threadId: number; times: ThreadTimes }): string => {
    if (t.threadId === 0) return 'main';
    if (!encoder(t)) return `worker ${t.threadId}`;
    return encoders === 1 ? 'encoder' : `encoder ${t.threadId}`;
  };
  return { command, threads: threads.map((t) => ({ threadId: t.threadId, thread: name(t), ...t.times })) };
}

/** Stages by the most time on all threads together, idle last; ms and % of each thread's busy time. */
export function profileTable(p: CommandProfile): string {
  const names = [...new Set(p.threads.flatMap((t) => Object.keys(t.stages)))];
  const total = (s: string): number => p.threads.reduce((sum, t) => sum + (t.stages[s] ?? 0), 0);
  names.sort((a, b) => Number(a === IDLE) - Number(b === IDLE) || total(b) - total(a));
  const header = ['stage', ...p.threads.flatMap((t) => [`${t.thread} ms`, `% of ${t.thread} busy`])];
  const rows: Cell[][] = names.map((s) => [
    s,
    ...p.threads.flatMap((t): Cell[] => {
      if (!Object.hasOwn(t.stages, s)) return [null, null];
      const ms = t.stages[s];
      return [Math.round(ms), s === IDLE || t.busyMs === 0 ? null : (100 * ms) / t.busyMs];
    }),
  ]);
  const totals = p.threads
    .map((t) => `${t.thread} thread: wall ${Math.round(t.wallMs)} ms, busy ${Math.round(t.busyMs)} ms`)
    .join('; ');
  return [
    `profile of ${p.command} (one untimed run under --cpu-prof; ${totals})`,
    '',
    markdownTable(header, rows, [0, ...p.threads.flatMap(() => [0, 1])]),
  ].join('\n');
}
