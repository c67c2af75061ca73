import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTraceText } from '../../bench/generate.js';
import { repeatShifted } from '../../bench/repeat.js';
import { Correlator } from '../../src/correlate/index.js';
import { EVENT_NAMES } from '../../src/normalise/kinds.js';
import { Normaliser } from '../../src/normalise/normaliser.js';
import { decode } from '../decode/helpers.js';

describe('synthetic trace generator', () => {
  it('gives the same text for the same seed and another text for another seed', () => {
    const a = generateTraceText({ events: 3000, seed: 7 });
    expect(generateTraceText({ events: 3000, seed: 7 })).toBe(a);
    expect(generateTraceText({ events: 3000, seed: 8 })).not.toBe(a);
  });

  for (const layout of ['ns', 'us'] as const) {
    it(`writes ${layout} text that decodes and normalises with no reject and no unparsed payload`, () => {
      const text = generateTraceText({ events: 20000, seed: 3, layout });
      const d = decode(text);
      expect(d.counts.rejected).toBe(0);
      expect(d.counts.events).toBe(20000);
      expect(d.counts.lines).toBe(20000);
      const normaliser = new Normaliser();
      for (const b of d.batches) normaliser.normalise(b);
      expect(normaliser.unparsed.size).toBe(0);
      const names = new Set(d.rows.map((r) => r.event));
      for (const [name] of EVENT_NAMES) expect(names).toContain(name);
      expect(names).toContain('sched:sched_switch');
      if (layout === 'us') expect(d.rows.every((r) => r.timeNs % 1000n === 0n)).toBe(true);
      for (let i = 1; i < d.rows.length; i++) expect(d.rows[i].timeNs >= d.rows[i - 1].timeNs).toBe(true);
    });
  }

  it('exercises correlation: receive hunks, transmit lifecycles and received packets', () => {
    const d = decode(generateTraceText({ events: 20000, seed: 5 }));
    const rows = new Map<string, number>();
    const normaliser = new Normaliser();
    const c = new Correlator((table, chunk) => rows.set(table, (rows.get(table) ?? 0) + chunk.length));
    for (const b of d.batches) c.push(normaliser.normalise(b));
    c.finish();
    for (const t of ['rx_hunks', 'rx_irqs', 'rx_napi_polls', 'rx_packets', 'tx_packets'])
      expect(rows.get(t) ?? 0).toBeGreaterThan(0);
  });

  it('repeats a trace with shifted times into one time-ordered trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ndt-repeat-'));
    try {
      const src = join(dir, 'a.txt');
      writeFileSync(src, generateTraceText({ events: 500, seed: 2 }));
      repeatShifted(src, join(dir, 'b.txt'), 3);
      const d = decode(readFileSync(join(dir, 'b.txt')));
      expect(d.counts.rejected).toBe(0);
      expect(d.counts.events).toBe(1500);
      for (let i = 1; i < d.rows.length; i++) expect(d.rows[i].timeNs >= d.rows[i - 1].timeNs).toBe(true);
      expect(d.rows[500].payload).toBe(d.rows[0].payload);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
