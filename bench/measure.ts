/**
 * Runs one command as a child process and measures it from outside: wall time, CPU time (user + system,
 * over both cores), peak RSS and page faults. Node children report their own rusage through rusage-probe.js; other
 * commands are wrapped in /usr/bin/time when it exists (wall time only otherwise).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Measurement {
  wallS: number;
  /** user + system CPU seconds; null when unknown. */
  cpuS: number | null;
  /** Peak resident set, MiB; null when unknown. */
  peakRssMb: number | null;
  /** Minor page faults (fresh pages mapped), all threads; null when unknown. */
  pageFaults: number | null;
  exitCode: number;
}

const PROBE = fileURLToPath(new URL('./rusage-probe.mjs', import.meta.url));
const TIME = '/usr/bin/time';

let seq = 0;
const scratch = (): string => join(tmpdir(), `netdev-times-bench-${process.pid}-${++seq}.json`);

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ wallS: number; exitCode: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 16384) stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ wallS: (performance.now() - t0) / 1000, exitCode: code ?? 1, stderr }));
  });
}

function parseJsonFile(path: string): Record<string, unknown> | null {
  if (!existsSync(path)) return null;
  const v: unknown = JSON.parse(readFileSync(path, 'utf8'));
  rmSync(path, { force: true });
  return typeof v === 'object' && v !== null ? { ...v } : null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A node script (the CLI) with its own rusage report, on the machine's Node or the `node` binary given. */
export async function measureNode(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  node: string = process.execPath,
): Promise<Measurement & { stderr: string }> {
  const file = scratch();
  const r = await run(node, ['--import', PROBE, script, ...args], {
    ...process.env,
    ...env,
    NETDEV_TIMES_BENCH_RUSAGE: file,
  });
  const u = parseJsonFile(file);
  const rss = num(u?.maxRssKb);
  const user = num(u?.userUs);
  const sys = num(u?.systemUs);
  return {
    wallS: r.wallS,
    cpuS: user !== null && sys !== null ? (user + sys) / 1e6 : null,
    peakRssMb: rss !== null ? rss / 1024 : null,
    pageFaults: num(u?.minorFaults),
    exitCode: r.exitCode,
    stderr: r.stderr,
  };
}

/** Any command; through /usr/bin/time when available for CPU, peak RSS and page faults. */
export async function measureCommand(cmd: string, args: string[]): Promise<Measurement & { stderr: string }> {
  if (!existsSync(TIME)) {
    const r = await run(cmd, args, process.env);
    return { wallS: r.wallS, cpuS: null, peakRssMb: null, pageFaults: null, exitCode: r.exitCode, stderr: r.stderr };
  }
  const file = scratch();
  const r = await run(TIME, ['-o', file, '-f', '%U %S %M %R', cmd, ...args], process.env);
  let cpuS: number | null = null;
  let peakRssMb: number | null = null;
  let pageFaults: number | null = null;
  if (existsSync(file)) {
    // /usr/bin/time writes "Command exited with non-zero status N" first when the command failed.
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    rmSync(file, { force: true });
    const [u, s, m, f] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
    if ([u, s, m, f].every(Number.isFinite)) {
      cpuS = u + s;
      peakRssMb = m / 1024;
      pageFaults = f;
    }
  }
  return { wallS: r.wallS, cpuS, peakRssMb, pageFaults, exitCode: r.exitCode, stderr: r.stderr };
}

const PAGE_PROBE = fileURLToPath(new URL('./page-probe.mjs', import.meta.url));

/** CPU per fresh page on first write and on a second one: the median of `times` runs of page-probe.mjs. */
export function measurePageCost(times = 3): { firstTouchUs: number; againUs: number } | null {
  const got: { firstTouchUs: number; againUs: number }[] = [];
  for (let k = 0; k < times; k++) {
    const r = spawnSync(process.execPath, [PAGE_PROBE], { encoding: 'utf8' });
    if (r.status !== 0) return null;
    const v: unknown = JSON.parse(r.stdout);
    if (typeof v !== 'object' || v === null || !('firstTouchUs' in v) || !('againUs' in v)) return null;
    const first = num(v.firstTouchUs);
    const again = num(v.againUs);
    if (first === null || again === null) return null;
    got.push({ firstTouchUs: first, againUs: again });
  }
  got.sort((a, b) => a.firstTouchUs - b.firstTouchUs);
  return got[got.length >> 1] ?? null;
}

/**
 * A script that times itself (bench/parquet-only.mjs): its last stdout line's `seconds` is the row's time;
 * the process's CPU, memory and faults are not the part timed, and are not given.
 */
export function measureInner(script: string, args: string[]): Promise<Measurement & { stderr: string }> {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  let seconds: number | null = null;
  if (r.status === 0 && last.startsWith('{')) {
    const v: unknown = JSON.parse(last);
    if (typeof v === 'object' && v !== null && 'seconds' in v) seconds = num(v.seconds);
  }
  return Promise.resolve({
    wallS: seconds ?? 0,
    cpuS: null,
    peakRssMb: null,
    pageFaults: null,
    exitCode: seconds === null ? (r.status ?? 1) || 1 : 0,
    stderr: r.stderr,
  });
}
