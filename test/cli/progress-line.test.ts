/**
 * The progress line's text: it fits any width (never the last column), keeps percent and ETA first, drops
 * what has no room and cuts the name; and the meter counts the bytes of the input as stored, so a compressed
 * file's percentage is of its compressed bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { duration, Progress, progressLine, type ProgressState } from '../../src/cli/progress.js';
import { ReadMeter } from '../../src/input/meter.js';
import { openTextInput } from '../../src/input/open.js';
import { openTraceSource } from '../../src/pipeline/source.js';
import { TRACES } from '../helpers/fixtures.js';

const state = (more: Partial<ProgressState> = {}): ProgressState => ({
  label: 'tcp-bulk.ns.txt.xz',
  bytes: 1_000_000,
  total: 3_276_932,
  events: 123_456,
  elapsed: 2,
  ...more,
});

describe('progressLine', () => {
  it('80 columns: name, percent, ETA, bytes, events and their rate', () => {
    expect(progressLine(state(), 80)).toBe('tcp-bulk.ns.txt.xz: 30%  ETA 5s  1.0 MB/3.3 MB  123.5k events  61.7k/s');
  });

  it('fits every width from 200 down to 10 without reaching the last column, percent always there', () => {
    const names = ['tcp-bulk.ns.txt.xz', 'a-very-long-capture-name-from-a-night-of-recording.perf.data', 'é中\u0007'];
    for (const label of names)
      for (let w = 200; w >= 10; w--) {
        const line = progressLine(state({ label }), w);
        expect(Array.from(new Intl.Segmenter().segment(line)).length, `${label} at ${w}`).toBeLessThan(w);
        expect(line, `${label} at ${w}`).toMatch(/30%/);
        expect(line).not.toMatch(/\p{Cc}/u);
      }
  });

  it('40 columns: the rate and events go first, then the name is cut with an ellipsis', () => {
    expect(progressLine(state(), 40)).toBe('tcp-bulk.n…: 30%  ETA 5s  1.0 MB/3.3 MB');
    expect(progressLine(state(), 20)).toBe('tcp-bulk.ns.t…: 30%');
  });

  it('an unknown size (a pipe) shows bytes and events, no percent or ETA; the ETA waits half a second', () => {
    expect(progressLine(state({ total: 0, label: '<stdin>' }), 80)).toBe('<stdin>: 1.0 MB  123.5k events  61.7k/s');
    expect(progressLine(state({ elapsed: 0.2 }), 80)).not.toMatch(/ETA/);
    // Events come a batch at a time: before the first, the line says nothing of them.
    expect(progressLine(state({ total: 0, label: '<stdin>', events: 0 }), 80)).toBe('<stdin>: 1.0 MB');
  });

  it('durations read as 7s, 1m05s, 2h03m', () => {
    expect([duration(7.4), duration(65), duration(2 * 3600 + 3 * 60 + 9)]).toEqual(['7s', '1m05s', '2h03m']);
  });
});

describe('Progress', () => {
  const terminal = (
    columns: number,
  ): { isTTY: boolean; columns: number; write: (t: string) => boolean; text: string[] } => {
    const text: string[] = [];
    return { isTTY: true, columns, write: (t: string) => text.push(t) > 0, text };
  };

  it('draws at most every 100 ms, erases itself at the end, and gives way to a warning', () => {
    const out = terminal(80);
    let now = 0;
    const p = Progress.start(`${TRACES}eth-npm.ns.txt`, { quiet: false }, out, () => now);
    if (!p) throw new Error('no progress on a terminal');
    p.update(1000, 10);
    expect(out.text).toEqual([]); // the first 100 ms draw nothing: a short run shows no line at all
    for (now = 100; now < 1000; now += 10) p.update(now * 100, now);
    expect(out.text.length).toBe(9);
    expect(out.text.every((t) => t.startsWith('\r') && t.endsWith('\x1b[K'))).toBe(true);
    p.note('netdev-times: warning: x\n');
    expect(out.text.slice(-2)).toEqual(['\r\x1b[K', 'netdev-times: warning: x\n']);
    now = 2000;
    p.update(1, 1);
    p.done();
    p.done();
    expect(out.text.slice(-1)).toEqual(['\r\x1b[K']);
    expect(out.text.filter((t) => t === '\r\x1b[K').length).toBe(2);
  });

  it('a spooled input: its stored bytes read, then the decoding of its copy, timed from when that began', () => {
    const path = `${TRACES}eth-npm.data`;
    const size = statSync(path).size;
    const out = terminal(120);
    let now = 0;
    const p = Progress.start(path, { quiet: false }, out, () => now);
    if (!p) throw new Error('no progress on a terminal');
    p.meter.bytes = size;
    now = 1000;
    p.update(0, 0);
    expect(out.text.at(-1)).toMatch(/^\reth-npm\.data: 100% /);
    // The copy is four times the file; its decoding is first drawn at 1.1 s and a quarter done at 2.1 s.
    p.meter.spooled = 4 * size;
    now = 1100;
    p.update(0, 0);
    expect(out.text.at(-1)).toMatch(/^\reth-npm\.data \(spooled\): 0% /);
    now = 2100;
    p.update(size, 5000);
    expect(out.text.at(-1)).toMatch(/^\reth-npm\.data \(spooled\): 25% {2}ETA 3s .* 5000 events {2}5000\/s/);
    p.done();
  });

  it('none with --quiet, none when stderr is not a terminal', () => {
    expect(Progress.start(`${TRACES}eth-npm.ns.txt`, { quiet: true }, terminal(80))).toBeNull();
    expect(Progress.start(`${TRACES}eth-npm.ns.txt`, { quiet: false }, { ...terminal(80), isTTY: false })).toBeNull();
  });
});

describe('the meter: bytes of the input as stored', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ndt-meter-'));
  const plain = `${TRACES}eth-npm.ns.txt`;
  const gz = join(dir, 'eth-npm.ns.txt.gz');
  writeFileSync(gz, gzipSync(readFileSync(plain)));
  const xz = join(dir, 'eth-npm.ns.txt.xz');
  writeFileSync(xz, execFileSync('xz', ['-c', plain]));

  for (const [kind, path] of [
    ['gzip', gz],
    ['xz', xz],
    ['zstd', `${TRACES}eth-npm.ns.txt.zst`],
  ] as const) {
    it(`${kind}: the meter ends at the file's size while the text decoded is larger`, async () => {
      const meter = new ReadMeter();
      const input = await openTextInput(path, { meter });
      let decoded = 0;
      for await (const c of input.chunks) decoded += c.length;
      expect(input.kind).toBe(kind);
      expect(meter.bytes).toBe(statSync(path).size);
      expect(decoded).toBe(statSync(plain).size);
    });
  }

  it('a file-mode perf.data read from .xz is spooled whole first: the meter says how large the copy is', async () => {
    const data = `${TRACES}udp-drop.data`;
    const xzData = join(dir, 'udp-drop.data.xz');
    writeFileSync(xzData, execFileSync('xz', ['-c', data]));
    for (const [path, spooled] of [
      [xzData, statSync(data).size],
      [data, 0],
    ] as const) {
      const meter = new ReadMeter();
      const source = await openTraceSource(path, { meter });
      expect(meter.spooled).toBe(spooled);
      let events = 0;
      for await (const b of source.batches()) events += b.length;
      expect(events).toBeGreaterThan(1000);
    }
  });
});
