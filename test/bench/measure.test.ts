/** The bench measures each command from outside: its CPU, peak RSS and page faults, and what a fresh page costs. */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { measureCommand, measureNode, measurePageCost } from '../../bench/measure.js';
import { TRACES } from '../helpers/fixtures.js';

const DECODE_ONLY = fileURLToPath(new URL('../../bench/decode-only.mjs', import.meta.url));

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

  it('decodes and normalises a trace in a worker, and fails on what is none (decode-only.mjs, on dist)', async () => {
    expect((await measureNode(DECODE_ONLY, [`${TRACES}udp-drop.data`])).exitCode).toBe(0);
    expect((await measureNode(DECODE_ONLY, [`${TRACES}no-such.data`])).exitCode).not.toBe(0);
  });

  it('prices a fresh page above one written again', () => {
    const page = measurePageCost(1);
    expect(page).not.toBeNull();
    expect(page?.firstTouchUs).toBeGreaterThan(page?.againUs ?? Infinity);
  });
});
