/**
 * Reading a converted dataset back (`report`, `summary` on a folder): a table file that is missing, cut short,
 * of another format or of another table is one line naming the file, exit 1, and nothing on stdout.
 *
 * On the code before this suite: a truncated or foreign Parquet file was exit 70 with a wasm stack trace; an
 * `.arrow` file replaced by text was read as an empty table (a report with no transmit rows, exit 0); another
 * table's file in place of tx_packets was exit 70 ("no column 'report_order'"); a missing table named the
 * folder, not the file.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, TRACES } from '../helpers/fixtures.js';

const run = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

let base: string;
let good: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'ndt-ds-'));
  good = join(base, 'good');
  expect(run(['convert', `${TRACES}eth-npm.txt`, '-o', good, '-q']).status).toBe(0);
});

/** A copy of the good dataset, changed by `spoil`. */
function spoiled(name: string, spoil: (dir: string) => void, format: 'parquet' | 'arrow' = 'parquet'): string {
  const dir = join(base, name);
  if (format === 'parquet') cpSync(good, dir, { recursive: true });
  else expect(run(['convert', `${TRACES}eth-npm.txt`, '-o', dir, '-q', '-f', 'arrow']).status).toBe(0);
  spoil(dir);
  return dir;
}

function expectOneLine(dir: string, file: string, why: RegExp, commands = ['report', 'summary']): void {
  for (const cmd of commands) {
    const r = run([cmd, dir]);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^netdev-times: [^\n]+\n$/);
    expect(r.stderr.startsWith(`netdev-times: ${join(dir, file)}`)).toBe(true);
    expect(r.stderr).toMatch(why);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  }
}

describe('a dataset with a bad table file', () => {
  it('reads back when nothing is wrong', () => {
    expect(run(['report', good]).status).toBe(0);
    expect(run(['summary', good]).status).toBe(0);
  });

  it('a truncated .parquet', () => {
    const dir = spoiled('truncated', (d) => truncateSync(join(d, 'tx_packets.parquet'), 1000));
    expectOneLine(dir, 'tx_packets.parquet', /not a complete Parquet file/);
  });

  it('a .parquet cut to its first bytes (rx_hunks: report only reads it)', () => {
    const dir = spoiled('cut', (d) => truncateSync(join(d, 'rx_hunks.parquet'), 4));
    expectOneLine(dir, 'rx_hunks.parquet', /not a complete Parquet file/, ['report']);
  });

  it('a .parquet replaced by a text file', () => {
    const dir = spoiled('text', (d) => writeFileSync(join(d, 'tx_packets.parquet'), 'hello\n'));
    expectOneLine(dir, 'tx_packets.parquet', /not a complete Parquet file/);
  });

  it('another table in place of tx_packets', () => {
    const dir = spoiled('foreign', (d) => copyFileSync(join(d, 'events.parquet'), join(d, 'tx_packets.parquet')));
    expectOneLine(dir, 'tx_packets.parquet', /holds the events table, not tx_packets/);
  });

  it('a deleted table file', () => {
    const dir = spoiled('deleted', (d) => unlinkSync(join(d, 'tx_packets.parquet')));
    expectOneLine(dir, 'tx_packets.parquet', /the tx_packets table is missing/);
  });

  it('an .arrow replaced by a text file, and one truncated', () => {
    const text = spoiled('arrow-text', (d) => writeFileSync(join(d, 'tx_packets.arrow'), 'foo\n'), 'arrow');
    expectOneLine(text, 'tx_packets.arrow', /not a complete Arrow IPC file/);
    const cut = spoiled('arrow-cut', (d) => truncateSync(join(d, 'rx_packets.arrow'), 500), 'arrow');
    expectOneLine(cut, 'rx_packets.arrow', /not a complete Arrow IPC file/);
  });

  it('a file that is not readable as a file (a folder in its place)', () => {
    const dir = spoiled('folder', (d) => {
      rmSync(join(d, 'tx_packets.parquet'));
      cpSync(join(d, 'lost.parquet'), join(d, 'tx_packets.parquet', 'x'), { recursive: true });
    });
    const r = run(['report', dir]);
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBe(70);
    expect(r.stderr).toMatch(/^netdev-times: [^\n]+\n$/);
    expect(readdirSync(dir)).toContain('manifest.json');
  });
});
