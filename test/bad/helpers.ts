/** Helpers of the bad-input tests: the CLI as a child, temporary folders, snapshots, a tiny tmpfs. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN } from '../helpers/fixtures.js';

export const BAD = fileURLToPath(new URL('../fixtures/bad/', import.meta.url));

export const tmp = (): string => mkdtempSync(join(tmpdir(), 'ndt-bad-'));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `netdev-times ARGS` to completion. */
export function cli(args: string[], input?: Uint8Array): CliResult {
  const r = spawnSync('node', [BIN, ...args], { input, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file and folder under `dir`, relative, sorted. */
export function listAll(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      out.push(relative(dir, p));
      if (statSync(p).isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Temporary files of the FileSinks (`.<name>.tmp-<pid>`) anywhere under `dir`. */
export const tempFiles = (dir: string): string[] => listAll(dir).filter((p) => /(^|\/)\.[^/]*\.tmp-\d+$/.test(p));

/** Path -> sha256 of every file under `dir`: equal snapshots mean the folder was left as it was. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of listAll(dir)) {
    const full = join(dir, p);
    out[p] = statSync(full).isDirectory() ? 'dir' : createHash('sha256').update(readFileSync(full)).digest('hex');
  }
  return out;
}

/** No stack trace, no internal error: what every bad input must give. */
export function cleanError(stderr: string): boolean {
  return !/internal error|\n\s+at .+:\d+:\d+\)?/.test(stderr);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Mounts a tmpfs of `size` (e.g. '48k') on a new folder; null when this machine does not allow it (not root). */
export function mountTmpfs(size: string, readOnly = false): { dir: string; unmount: () => void } | null {
  if (!isRoot) return null;
  const dir = join(tmp(), 'mnt');
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `${readOnly ? 'ro,' : ''}size=${size}`, 'tmpfs', dir], {
      stdio: 'ignore',
    });
  } catch {
    return null;
  }
  return { dir, unmount: () => execFileSync('umount', [dir], { stdio: 'ignore' }) };
}

/** Whether tmpfs mounts work here (root with CAP_SYS_ADMIN): the disk-full and read-only tests need one. */
export const canMount = ((): boolean => {
  const m = mountTmpfs('16k');
  m?.unmount();
  return m !== null;
})();

/**
 * Runs the CLI's main() in this process (no node start-up, no module loading: ~20x faster than a child),
 * capturing what it prints; the listeners it installs (signals, stdout errors) are removed afterwards.
 */
export async function runCli(args: string[]): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  const events = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map<string, NodeJS.SignalsListener[]>(events.map((e) => [e, process.listeners(e)]));
  const stdoutErr = process.stdout.listeners('error');
  const out = { stdout: '', stderr: '' };
  const origOut = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  const capture = (key: 'stdout' | 'stderr') =>
    ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      out[key] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  let status: number;
  try {
    status = await main(args);
  } finally {
    process.stdout.write = origOut;
    process.stderr.write = origErr;
    for (const e of events)
      for (const l of process.listeners(e)) if (!before.get(e)?.includes(l)) process.off(e, l as () => void);
    for (const l of process.stdout.listeners('error'))
      if (!stdoutErr.includes(l)) process.stdout.off('error', l as () => void);
  }
  return { status, ...out };
}

/**
 * Runs the CLI with `args`, waits until a temporary file of ours appears under `dir` (at most `waitMs`), lets
 * it write `settleMs` more, then sends `signal`: what an interrupted run leaves.
 */
export async function interruptWhileWriting(
  args: string[],
  dir: string,
  signal: NodeJS.Signals,
  { waitMs, settleMs }: { waitMs: number; settleMs: number },
): Promise<{ code: number | null; stderr: string; sawTemp: boolean }> {
  const child = spawn('node', [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let sawTemp = false;
  for (let k = 0; k < waitMs / 10 && !sawTemp; k++) {
    await new Promise((r) => setTimeout(r, 10));
    sawTemp = tempFiles(dir).length > 0;
  }
  await new Promise((r) => setTimeout(r, settleMs));
  child.kill(signal);
  return { code: await exited, stderr, sawTemp };
}
