/**
 * `record`, for real: perf is run as root. The traced command's exit status is passed through; `--duration`
 * records the whole system; SIGINT and SIGTERM stop perf cleanly and the recording converts; a refusal by the
 * kernel (perf_event_paranoid, tracefs permissions) says how to fix it.
 *
 * On the code before this suite: a command exiting 7 gave "perf record failed (exit 7)", exit 1; `record` without
 * a command was refused (no --duration); SIGTERM ended netdev-times at once, leaving perf running and its file
 * unfinished.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/fixtures.js';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasPerf = spawnSync('perf', ['--version']).status === 0;
const canRecord = isRoot && hasPerf;
const WHY = 'needs root and perf (records system-wide tracepoints)';
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;
const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];
/** The unprivileged user can run the CLI from where this checkout lies (not so under a root-only home). */
const nobodyRuns =
  hasSetpriv &&
  spawnSync('setpriv', [...NOBODY, 'node', '-e', `require('fs').accessSync(${JSON.stringify(BIN)})`], { cwd: '/' })
    .status === 0;

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ndt-rec-'));
const run = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** Converts a recording; the conversion must succeed. */
function expectConverts(data: string): void {
  const out = `${data}.out`;
  const r = run(['convert', data, '-o', out, '-q']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(existsSync(join(out, 'manifest.json'))).toBe(true);
}

describe('record', () => {
  it('without a command or --duration: a usage error, one line', () => {
    const r = run(['record', '-o', join(tmp(), 'x.data')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^netdev-times: record needs a command .*--duration SECONDS[^\n]*\n$/);
  });

  it.skipIf(!canRecord)(`passes the traced command's exit status through (${WHY})`, () => {
    const data = join(tmp(), 'seven.data');
    const r = run(['record', '-o', data, '--', 'sh', '-c', 'exit 7']);
    expect(r.stderr).not.toMatch(/perf record failed/);
    expect(r.stderr).toMatch(/netdev-times: recorded /);
    expect(r.status).toBe(7);
    expectConverts(data);
  });

  it.skipIf(!canRecord)(`--duration records the whole system without a command (${WHY})`, () => {
    const data = join(tmp(), 'duration.data');
    const started = Date.now();
    const r = run(['record', '-o', data, '--duration', '1']);
    expect(r.status).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(r.stderr).toMatch(/netdev-times: recorded /);
    expectConverts(data);
  });

  it.skipIf(!canRecord).each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    `%s stops perf cleanly; the recording converts (${WHY})`,
    async (signal, code) => {
      const data = join(tmp(), `${signal}.data`);
      const child = spawn('node', [BIN, 'record', '-o', data, '--', 'sleep', '60'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      // perf is recording once its file exists.
      for (let k = 0; k < 200 && !existsSync(data); k++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 1000));
      child.kill(signal);
      const status = await exited;
      expect(stderr).toMatch(new RegExp(`recorded .* \\(stopped by ${signal}\\)`));
      expect(status).toBe(code);
      // perf and its workload are gone: nothing still writes the file.
      expect(spawnSync('pgrep', ['-f', `perf record -o ${data}`]).status).toBe(1);
      expectConverts(data);
    },
    60_000,
  );

  it.skipIf(!canRecord || !nobodyRuns)(
    `a refusal by the kernel says how to fix it (${WHY}, setpriv, a checkout user nobody can read)`,
    () => {
      const r = spawnSync('setpriv', [...NOBODY, 'node', BIN, 'record', '-o', '/dev/shm/x.data', '--', 'true'], {
        encoding: 'utf8',
        timeout: 60_000,
        cwd: '/',
      });
      expect(r.status).toBe(1);
      const last = r.stderr.trimEnd().split('\n').at(-1) ?? '';
      expect(last).toMatch(
        /^netdev-times: perf may not record .*perf_event_paranoid is -?\d+\).*sysctl kernel\.perf_event_paranoid=-1/,
      );
    },
  );
});
