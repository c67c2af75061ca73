/**
 * The command line and stdout, run as users run them (bin/netdev-times.js on dist/): usage mistakes are one line
 * and exit 2; `--` ends the options; a closed pipe ends quietly; a stdout that cannot be written (a full disk) is
 * one line and exit 3; an internal error is one line saying how to report it, its stack only on request.
 *
 * On the code before this suite: `-j x` and `-j 0` converted (NaN, 0 jobs) and `-j` last was ignored; usage errors
 * were two lines ("Run 'netdev-times --help' for usage."); a file named `--weird` after `--` was a usage error;
 * `> /dev/full` was an uncaught ENOSPC with a stack trace (exit 1); exit 70 printed the stack.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BIN, TRACES } from '../helpers/fixtures.js';
import { DEBUG_ENV, reportError } from '../../src/cli/errors.js';
import { NetdevTimesError } from '../../src/core/errors.js';

const SMALL = `${TRACES}older-kernels.txt`;
const TRACE = `${TRACES}eth-npm.txt`;
const tmp = (): string => mkdtempSync(join(tmpdir(), 'ndt-cli-'));

function run(args: string[], cwd?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A shell pipeline's status (that of netdev-times, under pipefail) and what netdev-times wrote on stderr. */
function sh(script: string): { status: number | null; stderr: string } {
  const r = spawnSync('bash', ['-c', `set -o pipefail; ${script}`], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

const ONE_LINE = /^netdev-times: [^\n]+\n$/;
const NO_STACK = /\n\s+at .+:\d+:\d+\)?|internal error/;

describe('usage errors: exit 2, one line, no stack', () => {
  const out = join(tmp(), 'out');
  it.each([
    [['convert', SMALL, '-o', out, '-j', 'x'], /--jobs must be a number/],
    [['convert', SMALL, '-o', out, '--jobs', 'abc'], /--jobs must be a number/],
    [['convert', SMALL, '-o', out, '-j', '0'], /--jobs must be a whole number of at least 1/],
    [['convert', SMALL, '-o', out, '-j', '1.5'], /--jobs must be a whole number/],
    [['convert', SMALL, '-o', out, '-j'], /--jobs must be given a value/],
    [['convert', SMALL, '-o'], /--output must be given a value/],
    [['convert', SMALL, '-o', out, '--bogus'], /Unknown argument: bogus/],
    [['report', SMALL, '--dev'], /--dev must be given a value/],
    [['summary', SMALL, '--unit', 'xx'], /Invalid values: Argument: unit, Given: "xx"/],
    [['record', '--duration', 'soon', '--', 'true'], /--duration must be a number/],
    [['nosuch'], /Unknown argument: nosuch/],
    [[], /name a command/],
  ])('%j', (args, message) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(existsSync(out)).toBe(false);
  });
});

describe('`--` ends the options', () => {
  it('converts a file named --weird given after --', () => {
    const dir = tmp();
    copyFileSync(SMALL, join(dir, '--weird'));
    const r = run(['convert', '-o', 'out', '-q', '--', '--weird'], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'out', 'manifest.json'))).toBe(true);
  });

  it('reports and summarises a file named -x given after --', () => {
    const dir = tmp();
    copyFileSync(SMALL, join(dir, '-x'));
    const report = run(['report', '--', '-x'], dir);
    expect(report.status).toBe(0);
    expect(report.stdout).toBe(run(['report', SMALL]).stdout);
    expect(run(['summary', '--json', '--', '-x'], dir).status).toBe(0);
  });
});

describe('stdout', () => {
  it.each([
    `report '${TRACE}' | head -1`,
    `convert '${TRACE}' -o - | head -c 10`,
    `summary '${TRACE}' --json | head -1`,
    `schema | head -1`,
  ])('a closed pipe ends quietly: %s', (cmd) => {
    const r = sh(`node '${BIN}' ${cmd} >/dev/null`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.each([`report '${TRACE}'`, `convert '${TRACE}' -o -`, `summary '${TRACE}' --json`, 'schema'])(
    'a full disk (/dev/full) is one line, exit 3: %s',
    (cmd) => {
      const r = sh(`node '${BIN}' ${cmd} > /dev/full`);
      expect(r.status).toBe(3);
      expect(r.stderr).toBe('netdev-times: standard output: write failed (no space left on the device)\n');
    },
  );
});

describe('an internal error (a bug)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  function capture(f: () => number): { code: number; stderr: string } {
    const orig = process.stderr.write.bind(process.stderr);
    let stderr = '';
    process.stderr.write = (chunk: string | Uint8Array): boolean => {
      stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return true;
    };
    try {
      return { code: f(), stderr };
    } finally {
      process.stderr.write = orig;
    }
  }

  it('is one line, exit 70, saying how to report it; the stack only with NETDEV_TIMES_DEBUG=1', () => {
    vi.stubEnv(DEBUG_ENV, '');
    const r = capture(() => reportError(new TypeError('x is undefined\nsecond line')));
    expect(r.code).toBe(70);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.stderr).toMatch(/internal error .*TypeError: x is undefined; second line.*please report it/);
    expect(r.stderr).toContain(`${DEBUG_ENV}=1`);
    vi.stubEnv(DEBUG_ENV, '1');
    const debug = capture(() => reportError(new TypeError('x is undefined')));
    expect(debug.stderr.split('\n')[0]).toMatch(/internal error/);
    expect(debug.stderr).toMatch(/\n\s+at .+:\d+:\d+\)?/);
  });

  it('a user error is one line with its own exit code, even when its message has several', () => {
    const r = capture(() => reportError(new NetdevTimesError('first\nsecond', 3)));
    expect(r).toEqual({ code: 3, stderr: 'netdev-times: first; second\n' });
  });
});
