/**
 * One output folder, one writer (issue 15, point 5): a conversion holds `<out>/.netdev-times.lock` (O_EXCL,
 * its pid) while it writes; a second one into the folder fails with one line (exit 3) and leaves the first's
 * dataset whole; a lock of a process that no longer runs is taken over, said on stderr; the lock is gone at
 * the end, after a failure and after SIGTERM. Partition folder names of a many-input dataset are valid and
 * bounded on every file system (at most 255 bytes, no `/`, control byte or leading `.`), unique (also without
 * regard to case), and the manifest maps each to its input.
 *
 * On the code before this suite: there was no lock (a second conversion wrote into the first's folder, a mixed
 * dataset); a file name of 300 bytes gave a partition folder the file system refuses (ENAMETOOLONG, exit 3);
 * `.hidden`, names with control bytes and `A.txt`/`a.txt` (one folder on a case-insensitive file system) were
 * kept as they were; the manifest had no partition mapping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readManifest } from '../helpers/json.js';
import { partitionValues } from '../../src/dataset/partition-name.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/netdev-times.js');
const TEXT = join(ROOT, 'test/fixtures/traces/eth-npm.ns.txt');
const LOCK = '.netdev-times.lock';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netdev-adv-outputs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function nt(...args: string[]): { code: number; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stderr: r.stderr };
}

/** A pid that ran and is gone. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

const waitFor = async (p: () => boolean, ms = 20_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!p()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('one output folder, one writer', () => {
  it('a folder held by a running conversion is refused with one line, exit 3, and left alone', () => {
    const out = join(dir, 'held');
    mkdirSync(out);
    writeFileSync(join(out, LOCK), `${process.pid}\n`); // this test runner: alive
    const r = nt('convert', TEXT, '-o', out, '-q');
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`another conversion \\(pid ${process.pid}\\) is writing into this folder`));
    expect(readdirSync(out)).toEqual([LOCK]);
    const many = nt('convert', TEXT, TEXT, '-o', out, '-q');
    expect(many.code).toBe(3);
    expect(readdirSync(out)).toEqual([LOCK]);
  });

  it('a stale lock (its process is gone) is taken over, said on stderr, and removed at the end', () => {
    const out = join(dir, 'stale');
    mkdirSync(out);
    const pid = deadPid();
    writeFileSync(join(out, LOCK), `${pid}\n`);
    const r = nt('convert', TEXT, '-o', out, '-q');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`taking over a stale lock of process ${pid}`));
    expect(existsSync(join(out, 'manifest.json'))).toBe(true);
    expect(existsSync(join(out, LOCK))).toBe(false);
  });

  it('no lock is left after success, failure, or a many-input run', () => {
    expect(nt('convert', TEXT, '-o', 'ok', '-q').code).toBe(0);
    expect(readdirSync(join(dir, 'ok'))).not.toContain(LOCK);
    writeFileSync(join(dir, 'not-a-trace.txt'), 'hello\n');
    mkdirSync(join(dir, 'bad'));
    expect(nt('convert', 'not-a-trace.txt', '-o', 'bad', '-q').code).toBe(1);
    expect(readdirSync(join(dir, 'bad'))).toEqual([]);
    expect(nt('convert', TEXT, 'not-a-trace.txt', '-o', 'many', '-q').code).toBe(4);
    expect(readdirSync(join(dir, 'many'))).not.toContain(LOCK);
  });

  it('a second conversion while the first writes fails; the first completes alone; SIGTERM removes the lock', async () => {
    const fifo = join(dir, 'slow.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const out = join(dir, 'busy');
    const first = spawn(process.execPath, [BIN, 'convert', fifo, '-o', out, '-q'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<number | null>((res) => first.on('exit', (code) => res(code)));
    const writer = spawn('bash', ['-c', `exec 3>'${fifo}'; head -c 200000 '${TEXT}' >&3; sleep 30`], {
      stdio: 'ignore',
    });
    try {
      await waitFor(() => existsSync(join(out, LOCK)));
      const second = nt('convert', TEXT, '-o', out, '-q', '--force');
      expect(second.code).toBe(3);
      expect(second.stderr).toMatch(new RegExp(`another conversion \\(pid ${first.pid}\\)`));
      first.kill('SIGTERM');
      expect(await exited).toBe(143);
      expect(existsSync(join(out, LOCK))).toBe(false);
      expect(existsSync(join(out, 'manifest.json'))).toBe(false);
    } finally {
      writer.kill('SIGKILL');
      first.kill('SIGKILL');
    }
  }, 30_000);
});

describe('partition folder names', () => {
  const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

  it('are bounded, escaped and unique whatever the file names', () => {
    const inputs = [
      'x/' + 'a'.repeat(300) + '.txt',
      'y/' + 'a'.repeat(300) + '.txt',
      'x/' + 'é'.repeat(200),
      'x/.hidden',
      'x/tab\there\u0001\u007f',
      'x/A.txt',
      'y/a.txt',
      'x/a.txt-2',
      'x/con',
      'x/trail.',
      'x/=%:*?"<>|\\',
      '-',
    ];
    const names = partitionValues(inputs);
    for (const n of names) {
      const folder = `source=${n}`;
      expect(utf8(folder)).toBeLessThanOrEqual(255);
      expect(n).not.toMatch(/^\.|[/\\%=:*?"<>|]|[. ]$/);
      expect(Buffer.from(n, 'utf8').every((b) => b >= 0x20 && b !== 0x7f)).toBe(true);
      expect(n).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i);
    }
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    expect(names[0]).not.toBe(names[1]);
    expect(names[11]).toBe('stdin');
  });

  it('a many-input dataset of such files converts, and its manifest maps each partition to its input', () => {
    const src = join(dir, 'names');
    mkdirSync(src);
    const files = ['b'.repeat(250) + '.txt', 'c'.repeat(250) + '.txt', '.dot.txt', 'Upper.txt', 'upper.txt'];
    for (const f of files) copyFileSync(TEXT, join(src, f));
    const r = nt('convert', ...files.map((f) => join('names', f)), '-o', 'named', '-q');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = readManifest(join(dir, 'named', 'manifest.json'));
    const partitions = m.partitions ?? {};
    expect(Object.values(partitions).sort()).toEqual(files.map((f) => `../names/${f}`).sort());
    const folders = readdirSync(join(dir, 'named', 'events'));
    expect(folders.sort()).toEqual(Object.keys(partitions).sort());
    for (const f of folders) {
      expect(utf8(f)).toBeLessThanOrEqual(255);
      expect(f.startsWith('source=')).toBe(true);
      expect(existsSync(join(dir, 'named', 'events', f, 'part-0.parquet'))).toBe(true);
    }
  });
});
