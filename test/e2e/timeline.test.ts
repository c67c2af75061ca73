/**
 * `netdev-times timeline` through bin/netdev-times.js, as a user runs it: a file, gzip, stdout, a dataset and
 * perf.data as input, --time, and the errors (a bad window, an output that cannot be written).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BIN, TRACES } from '../helpers/fixtures.js';
import { eventsOf, formatProblems, type JsonEvent } from '../timeline/trace-format.js';

const cli = (args: string[]): SpawnSyncReturns<Buffer> => spawnSync('node', [BIN, ...args], { maxBuffer: 1 << 28 });
const tmp = (): string => mkdtempSync(join(tmpdir(), 'ndt-timeline-e2e-'));
const TRACE = `${TRACES}eth-npm.ns.txt`;

/** The events without the two that name the input (process_name, and otherData is outside traceEvents). */
const drawn = (text: string): JsonEvent[] => eventsOf(JSON.parse(text)).filter((e) => e.name !== 'process_name');

describe('netdev-times timeline', () => {
  const dir = tmp();
  const plain = join(dir, 'eth.json');
  const first = cli(['timeline', TRACE, '-o', plain]);

  it('writes a trace-event JSON file and says what it holds on stderr', () => {
    expect(first.status).toBe(0);
    expect(first.stdout.toString()).toBe('');
    expect(first.stderr.toString()).toMatch(/eth\.json: \d+ events, 87 packet flows, \d+ bytes of JSON\n$/);
    const events = eventsOf(JSON.parse(readFileSync(plain, 'utf8')));
    expect(formatProblems(events)).toEqual([]);
    expect(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args?.name)).toEqual([
      'CPU 0',
      'CPU 1',
    ]);
    // Nothing but the file: its temporary name is gone.
    expect(readdirSync(dir)).toEqual(['eth.json']);
  });

  it('gzips a .gz output and writes stdout for -o -, the same bytes', () => {
    const gz = join(dir, 'eth.json.gz');
    expect(cli(['timeline', TRACE, '-o', gz, '-q']).status).toBe(0);
    const bytes = readFileSync(gz);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(bytes).toString()).toBe(readFileSync(plain, 'utf8'));
    const out = cli(['timeline', TRACE, '-o', '-']);
    expect(out.status).toBe(0);
    expect(out.stdout.toString()).toBe(readFileSync(plain, 'utf8'));
    expect(out.stderr.toString()).toBe('');
  });

  it('draws the same from a converted dataset and from the perf.data recording', () => {
    const ds = join(dir, 'ds');
    expect(cli(['convert', TRACE, '-o', ds, '-q']).status).toBe(0);
    const fromDataset = cli(['timeline', ds, '-o', '-']);
    expect(fromDataset.status).toBe(0);
    expect(drawn(fromDataset.stdout.toString())).toEqual(drawn(readFileSync(plain, 'utf8')));
    const fromData = cli(['timeline', `${TRACES}eth-npm.data`, '-o', '-']);
    expect(fromData.status).toBe(0);
    const events = drawn(fromData.stdout.toString());
    expect(formatProblems(events)).toEqual([]);
    const slices = (list: JsonEvent[]): string[] =>
      list.filter((e) => e.ph === 'X' && !e.name.startsWith('net_dev')).map((e) => `${e.name}@${e.ts}`);
    expect(slices(events)).toEqual(slices(drawn(readFileSync(plain, 'utf8'))));
  });

  it('--time shows a part; a bad window or an output it cannot write is one line and no file', () => {
    const part = cli(['timeline', TRACE, '-o', '-', '--time', '1521.380195,1521.380270']);
    expect(part.status).toBe(0);
    const events = drawn(part.stdout.toString());
    expect(events.filter((e) => e.ph === 'i').map((e) => e.args?.reason)).toEqual(['TCP_ABORT_ON_DATA', 'NO_SOCKET']);
    const bad = cli(['timeline', TRACE, '-o', join(dir, 'x.json'), '--time', '2,1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.toString()).toMatch(/^netdev-times: --time '2,1': END is before START.*\n$/);
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
    const nowhere = cli(['timeline', TRACE, '-o', join(dir, 'no', 'such', 'dir', 'x.json')]);
    expect(nowhere.status).toBe(3);
    expect(nowhere.stderr.toString()).toMatch(/cannot write the timeline/);
  });

  it("takes perf script's filters on a trace, before matching; a dataset converted with them draws the same", () => {
    const cpu1 = cli(['timeline', TRACE, '-o', '-', '--cpu', '1']);
    expect(cpu1.status).toBe(0);
    const events = drawn(cpu1.stdout.toString());
    expect(formatProblems(events)).toEqual([]);
    expect(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args?.name)).toEqual(['CPU 1']);
    expect(events.filter((e) => e.ph === 'X').length).toBeGreaterThan(0);
    const ds = join(dir, 'ds-cpu1');
    expect(cli(['convert', TRACE, '-o', ds, '-q', '--cpu', '1']).status).toBe(0);
    const fromDataset = cli(['timeline', ds, '-o', '-']);
    expect(drawn(fromDataset.stdout.toString())).toEqual(events);
    // A dataset is matched already: only --time (its rows) applies to it.
    const refused = cli(['timeline', ds, '-o', join(dir, 'y.json'), '--cpu', '1']);
    expect(refused.status).toBe(2);
    expect(refused.stderr.toString()).toMatch(/select a trace's events before they are matched/);
    expect(existsSync(join(dir, 'y.json'))).toBe(false);
  });

  it('is listed by --help', () => {
    expect(cli(['--help']).stdout.toString()).toMatch(/netdev-times timeline <input>\s+write a timeline/);
  });
});
