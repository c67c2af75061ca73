/**
 * Any readable path is an input (issue 15, point 4): a regular file, a named pipe, `/dev/stdin`, a `<(...)`
 * (`/dev/fd/N`), compressed or not, text or perf.data; each gives the dataset the file gives. Folder walks
 * survive symbolic-link cycles and unreadable entries (reported, the rest converted) and never read back the
 * output folder inside an input folder. Run through bin/netdev-times.js (build first), as a user would.
 *
 * On the code before this suite: every pipe-like input (FIFO, `<(...)`, a piped /dev/stdin) ended in exit 70
 * (ESPIPE from a positioned read of the head); a folder with a symbolic link to its parent walked until ELOOP
 * and the run crashed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readManifest } from '../helpers/json.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/netdev-times.js');
const TRACES = join(ROOT, 'test/fixtures/traces');
const TEXT = join(TRACES, 'eth-npm.ns.txt');
const DATA = join(TRACES, 'eth-npm.data');

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netdev-adv-inputs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs a bash command line (for `<(...)`, FIFOs, redirections); `NT` runs the CLI. */
function sh(cmd: string): { code: number; stderr: string } {
  const r = spawnSync('bash', ['-c', `NT() { node "$NT_BIN" "$@"; }\n${cmd}`], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NT_BIN: BIN },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stderr: r.stderr };
}

function rowsOf(out: string): { rows: Record<string, number> } {
  const m = readManifest(join(dir, out, 'manifest.json'));
  return { rows: Object.fromEntries(m.tables.map((t) => [t.name, t.rows])) };
}

describe('pipe-like inputs convert as the file does', () => {
  let textRows: Record<string, number> = {};
  let dataRows: Record<string, number> = {};
  beforeAll(() => {
    expect(sh(`NT convert ${q(TEXT)} -o ref-text -q`).code).toBe(0);
    expect(sh(`NT convert ${q(DATA)} -o ref-data -q`).code).toBe(0);
    textRows = rowsOf('ref-text').rows;
    dataRows = rowsOf('ref-data').rows;
    expect(textRows.events).toBeGreaterThan(1000);
  });

  const cases: [string, (out: string) => string, 'text' | 'data'][] = [
    ['<(...) text', (o) => `NT convert <(cat ${q(TEXT)}) -o ${o} -q`, 'text'],
    ['<(...) zstd text', (o) => `NT convert <(cat ${q(TEXT)}.zst) -o ${o} -q`, 'text'],
    ['<(...) gzip text', (o) => `NT convert <(gzip -c ${q(TEXT)}) -o ${o} -q`, 'text'],
    ['<(...) xz text', (o) => `NT convert <(xz -c ${q(TEXT)}) -o ${o} -q`, 'text'],
    ['piped /dev/stdin', (o) => `cat ${q(TEXT)} | NT convert /dev/stdin -o ${o} -q`, 'text'],
    ['redirected /dev/stdin', (o) => `NT convert /dev/stdin -o ${o} -q < ${q(TEXT)}`, 'text'],
    [
      'named pipe',
      (o) => `mkfifo ${o}.fifo && (cat ${q(TEXT)} > ${o}.fifo &) && NT convert ${o}.fifo -o ${o} -q`,
      'text',
    ],
    ['<(...) perf.data', (o) => `NT convert <(cat ${q(DATA)}) -o ${o} -q`, 'data'],
    ['<(...) gzip perf.data', (o) => `NT convert <(gzip -c ${q(DATA)}) -o ${o} -q`, 'data'],
    ['piped /dev/stdin perf.data', (o) => `cat ${q(DATA)} | NT convert /dev/stdin -o ${o} -q`, 'data'],
    [
      'named pipe perf.data',
      (o) => `mkfifo ${o}.fifo && (cat ${q(DATA)} > ${o}.fifo &) && NT convert ${o}.fifo -o ${o} -q`,
      'data',
    ],
  ];
  cases.forEach(([name, cmd, what], k) => {
    it(name, () => {
      const out = `pipe-${k}`;
      const r = sh(cmd(out));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(rowsOf(out).rows).toEqual(what === 'text' ? textRows : dataRows);
    });
  });

  it('a pipe of --via-perf perf.data is refused with one line, exit 2', () => {
    const r = sh(`NT convert --via-perf <(cat ${q(DATA)}) -o via -q`);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--via-perf needs a perf.data file path/);
  });

  it('a folder named as a single input is walked, not read', () => {
    mkdirSync(join(dir, 'one'));
    copyFileSync(TEXT, join(dir, 'one', 'a.txt'));
    const r = sh(`NT convert one -o one-out -q`);
    expect(r.code).toBe(0);
  });
});

describe('folder walks', () => {
  it('survive link cycles and unreadable entries, convert the rest, skip the output folder inside', () => {
    const w = join(dir, 'walk');
    mkdirSync(join(w, 'sub'), { recursive: true });
    copyFileSync(TEXT, join(w, 'a.txt'));
    copyFileSync(`${TEXT}.zst`, join(w, 'sub', 'b.txt.zst'));
    symlinkSync('..', join(w, 'sub', 'up')); // a cycle
    symlinkSync('.', join(w, 'self'));
    symlinkSync('nowhere', join(w, 'dangling'));
    symlinkSync('loopb', join(w, 'loopa'));
    symlinkSync('loopa', join(w, 'loopb'));
    const r = sh(`NT convert walk -o walk/out -q`);
    expect(r.code).toBe(4); // some inputs failed, the others were converted
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.stderr).toMatch(/walk\/dangling: cannot open \(ENOENT\)/);
    expect(r.stderr).toMatch(/walk\/loopa: cannot open \(ELOOP\)/);
    const m = readManifest(join(w, 'out', 'manifest.json'));
    expect(m.inputs.map((i) => i.path).sort()).toEqual(['../a.txt', '../sub/b.txt.zst']);
    expect((m.failed ?? []).map((f) => f.path).sort()).toEqual(['../dangling', '../loopa', '../loopb']);

    // Again, replacing it: the dataset inside the input folder is not read back as an input.
    const again = sh(`NT convert walk -o walk/out -q --force`);
    expect(again.code).toBe(4);
    const m2 = readManifest(join(w, 'out', 'manifest.json'));
    expect(m2.inputs.map((i) => i.path).sort()).toEqual(['../a.txt', '../sub/b.txt.zst']);
    expect(existsSync(join(w, 'out', 'events', 'source=a.txt', 'part-0.parquet'))).toBe(true);
  });
});
