/** The bench measures each command from outside: its CPU, peak RSS and page faults, and what a fresh page costs. */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureCommand, measureInner, measureNode, measurePageCost } from '../../bench/measure.js';
import { TRACES } from '../helpers/fixtures.js';

const DECODE_ONLY = fileURLToPath(new URL('../../bench/decode-only.mjs', import.meta.url));
const PARQUET_ONLY = fileURLToPath(new URL('../../bench/parquet-only.mjs', import.meta.url));
const REPORT_TAIL = fileURLToPath(new URL('../../bench/report-tail.mjs', import.meta.url));
const REPORT_SPLIT = fileURLToPath(new URL('../../bench/report-split.mjs', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/netdev-times.js', import.meta.url));

describe('bench measurements', () => {
  it("reads a Node child's own rusage, page faults included", async () => {
    // 32 MiB written once: at least 8192 fresh pages.
    const m = await measureNode('-e', [
      'const b = new Uint8Array(32 << 20); for (let i = 0; i < b.length; i += 4096) b[i] = 1;',
    ]);
    expect(m.exitCode).toBe(0);
    expect(m.pageFaults).toBeGreaterThan(8192);
    expect(m.peakRssMb).toBeGreaterThan(32);
  });

  it('reads another command through /usr/bin/time', async () => {
    const m = await measureCommand('true', []);
    expect(m.exitCode).toBe(0);
    expect(m.pageFaults === null || m.pageFaults > 0).toBe(true);
  });

  it('decodes and normalises a trace, and fails on what is none (decode-only.mjs, on dist)', async () => {
    expect((await measureNode(DECODE_ONLY, [`${TRACES}udp-drop.data`])).exitCode).toBe(0);
    expect((await measureNode(DECODE_ONLY, [`${TRACES}no-such.data`])).exitCode).not.toBe(0);
  });

  it("times a report's work after its last batch, the whole report rendered (report-tail.mjs, on dist)", async () => {
    const trace = `${TRACES}udp-drop.data`;
    const r = spawnSync(process.execPath, [REPORT_TAIL, trace], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const { seconds, chars } = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as {
      seconds: number;
      chars: number;
    };
    const report = spawnSync(process.execPath, [BIN, 'report', trace], { encoding: 'utf8' });
    expect(chars).toBe(report.stdout.length);
    expect(seconds).toBeGreaterThan(0);
    expect((await measureInner(REPORT_TAIL, [trace])).wallS).toBeGreaterThan(0);
    expect((await measureInner(REPORT_TAIL, [`${TRACES}no-such.data`])).exitCode).not.toBe(0);
  });

  it("splits the report over two threads into the CLI's report, byte for byte (report-split.mjs, on dist)", () => {
    for (const trace of [`${TRACES}udp-drop.data`, `${TRACES}mixed.ns.txt`]) {
      const split = spawnSync(process.execPath, [REPORT_SPLIT, trace]);
      const cli = spawnSync(process.execPath, [BIN, 'report', trace]);
      expect(split.status).toBe(0);
      expect(cli.stdout.length).toBeGreaterThan(1000);
      expect(split.stdout.equals(cli.stdout)).toBe(true);
    }
    expect(spawnSync(process.execPath, [REPORT_SPLIT, `${TRACES}no-such.data`]).status).not.toBe(0);
  });

  it('times the Parquet half alone from Arrow tables (parquet-only.mjs, on dist), and fails without them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ndt-pq-only-'));
    const arrow = join(dir, 'arrow');
    const r = spawnSync(process.execPath, [
      BIN,
      'convert',
      `${TRACES}udp-drop.ns.txt`,
      '-o',
      arrow,
      '-f',
      'arrow',
      '-q',
    ]);
    expect(r.status).toBe(0);
    const m = await measureInner(PARQUET_ONLY, [arrow]);
    expect(m.exitCode).toBe(0);
    expect(m.wallS).toBeGreaterThan(0);
    expect(m.cpuS).toBeNull();
    expect((await measureInner(PARQUET_ONLY, [dir])).exitCode).not.toBe(0);
  });

  it('prices a fresh page above one written again', () => {
    const page = measurePageCost(1);
    expect(page).not.toBeNull();
    expect(page?.firstTouchUs).toBeGreaterThan(page?.againUs ?? Infinity);
  });
});
