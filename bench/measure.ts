/**
 * Runs one command as a child process and measures it from outside: wall time, CPU time (user + system,
 * over both cores) and peak RSS. Node children report their own rusage through rusage-probe.js; other
 * commands are wrapped in /usr/bin/time when it exists (wall time only otherwise).
 */
import { spawn } from 'node:child_process';
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
    exitCode: r.exitCode,
    stderr: r.stderr,
  };
}

/** Any command; through /usr/bin/time when available for CPU and peak RSS. */
export async function measureCommand(cmd: string, args: string[]): Promise<Measurement & { stderr: string }> {
  if (!existsSync(TIME)) {
    const r = await run(cmd, args, process.env);
    return { wallS: r.wallS, cpuS: null, peakRssMb: null, exitCode: r.exitCode, stderr: r.stderr };
  }
  const file = scratch();
  const r = await run(TIME, ['-o', file, '-f', '%U %S %M', cmd, ...args], process.env);
  let cpuS: number | null = null;
  let peakRssMb: number | null = null;
  if (existsSync(file)) {
    // /usr/bin/time writes "Command exited with non-zero status N" first when the command failed.
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    rmSync(file, { force: true });
    const [u, s, m] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
    if ([u, s, m].every(Number.isFinite)) {
      cpuS = u + s;
      peakRssMb = m / 1024;
    }
  }
  return { wallS: r.wallS, cpuS, peakRssMb, exitCode: r.exitCode, stderr: r.stderr };
}
