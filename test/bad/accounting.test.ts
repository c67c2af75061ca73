/**
 * lines = events + header + callchainFrames + blank + rejected, and lines = the newlines of the text, on every
 * input of test/fixtures/bad and on the perf.data recordings of test/fixtures/traces (their text layouts are
 * checked the same way, with perf's own counts, by test/normalise/fixtures.test.ts; the converted corpus's
 * manifests by corpus.test.ts).
 */
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TraceDecoder, type LineCounts } from '../../src/decode/text/decoder.js';
import { openTextInput } from '../../src/input/open.js';
import { openTraceSource } from '../../src/pipeline/source.js';
import { NetdevTimesError } from '../../src/core/errors.js';
import { TRACES, sampleCounts } from '../helpers/fixtures.js';
import { BAD, listAll } from './helpers.js';

async function account(path: string): Promise<{ counts: LineCounts; newlines: number }> {
  const dec = new TraceDecoder(() => undefined);
  let newlines = 0;
  let last = 0x0a;
  let any = false;
  for await (const chunk of (await openTextInput(path)).chunks) {
    const c: Uint8Array = chunk;
    for (const b of c) if (b === 0x0a) newlines++;
    if (c.length > 0) {
      last = c[c.length - 1];
      any = true;
    }
    dec.push(c);
  }
  dec.end();
  return { counts: { ...dec.counts }, newlines: any && last !== 0x0a ? newlines + 1 : newlines };
}

const identity = (c: LineCounts): boolean =>
  c.lines === c.events + c.header + c.callchainFrames + c.blank + c.lost + c.rejected;

describe('every input of the bad-input corpus', () => {
  const files = listAll(BAD).filter((p) => /\.\w+$/.test(p) && !p.endsWith('.md'));
  it.each(files)('%s', async (f) => {
    let r;
    try {
      r = await account(`${BAD}${f}`);
    } catch (e) {
      // A corrupt perf.data or a compressed file cut short: a NetdevTimesError, nothing else.
      expect(e).toBeInstanceOf(NetdevTimesError);
      return;
    }
    expect(identity(r.counts), JSON.stringify(r.counts)).toBe(true);
    expect(r.counts.lines).toBe(r.newlines);
  });
});

describe('every perf.data recording (read natively)', () => {
  const recordings = readdirSync(TRACES).filter(
    (f) => f.endsWith('.data') && existsSync(`${TRACES}${f.slice(0, -5)}.stats.log`),
  );
  it.each(recordings)(
    '%s: every sample perf report --stats counts, accounted as perf script would print it',
    async (f) => {
      const source = await openTraceSource(`${TRACES}${f}`);
      for await (const b of source.batches()) expect(b.length).toBeGreaterThan(0);
      expect(identity(source.counts)).toBe(true);
      expect(source.counts.rejected).toBe(0);
      const perEvent = sampleCounts(`${TRACES}${f.replace(/\.data$/, '.stats.log')}`);
      expect(source.counts.events).toBe(Object.values(perEvent).reduce((a, b) => a + b, 0));
    },
  );
});
