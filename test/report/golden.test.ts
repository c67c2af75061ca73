/**
 * The report against the reference's own output (test/fixtures/traces/W.<option>.txt, made by
 * netdev-times-reference.py from W.data) for every shared trace and option: byte for byte from the
 * nanosecond text, and with deltas within 0.001 msec from the microsecond text.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { correlateFile } from '../../src/pipeline/correlate-file.js';
import type { CorrelationStats } from '../../src/correlate/stats.js';
import { renderReport } from '../../src/pipeline/report.js';
import { ReportRenderer } from '../../src/report/index.js';
import { type NamedChunk } from '../../src/tables/named-chunk.js';
import {
  compareWithinAMicrosecond,
  debugNumbers,
  goldens,
  input,
  readDataset,
  regroup,
  SMALL,
  writeDataset,
} from './golden-helpers.js';

interface Run {
  chunks: NamedChunk[];
  stats: CorrelationStats;
}

async function run(path: string): Promise<Run> {
  const chunks: NamedChunk[] = [];
  const stats = await correlateFile(path, (table, chunk) => chunks.push({ table, chunk }));
  return { chunks, stats };
}

describe.each(SMALL)('%s', (w) => {
  let ns: Run;
  let us: Run;
  beforeAll(async () => {
    ns = await run(input(w, 'ns'));
    us = await run(input(w, 'us'));
  });

  it.each(goldens(w))('%s: byte-identical from the nanosecond text', (_name, options, want) => {
    expect(renderReport(ns.chunks, options, ns.stats.debug)).toBe(want);
  });

  it.each(goldens(w))('%s: identical with the debug block counted from the rows alone', (_name, options, want) => {
    expect(renderReport(ns.chunks, options)).toBe(want);
  });

  it.each(goldens(w))('%s: identical from rows regrouped and shuffled', (_name, options, want) => {
    expect(renderReport(regroup(ns.chunks, 7), options)).toBe(want);
  });

  it.each(goldens(w))(
    '%s: from the microsecond text every line matches, deltas within 0.001 msec',
    (_name, options, want) => {
      const { bad } = compareWithinAMicrosecond(want, renderReport(us.chunks, options, us.stats.debug));
      expect(bad).toEqual([]);
    },
  );

  it('the correlator debug counters are the reference debug block', () => {
    const [, , want] = goldens(w).find(([name]) => name === 'debug') ?? [];
    expect(want).toBeDefined();
    expect(ns.stats.debug).toEqual(debugNumbers(want ?? ''));
  });

  it.each(['parquet', 'arrow'] as const)('byte-identical from a %s dataset', async (format) => {
    const chunks = readDataset(await writeDataset(ns.chunks, [format]), format);
    for (const [, options, want] of goldens(w)) expect(renderReport(chunks, options)).toBe(want);
  });
});

describe('tcp-bulk (550k events; one run per text)', () => {
  it('byte-identical from the nanosecond text, streamed while correlating; and from a Parquet dataset', async () => {
    const wanted = goldens('tcp-bulk');
    const streamed: string[] = [];
    const renderer = new ReportRenderer((s) => streamed.push(s), {});
    const chunks: NamedChunk[] = [];
    const stats = await correlateFile(input('tcp-bulk', 'ns'), (table, chunk) => {
      chunks.push({ table, chunk });
      renderer.push(table, chunk);
    });
    renderer.finish(stats.debug);
    expect(streamed.join('')).toBe(wanted.find(([n]) => n === 'report')?.[2]);
    for (const [, options, want] of wanted) expect(renderReport(chunks, options, stats.debug)).toBe(want);
    const fromDataset = readDataset(await writeDataset(chunks, ['parquet']), 'parquet');
    for (const [, options, want] of wanted) expect(renderReport(fromDataset, options)).toBe(want);
  });

  it('from the microsecond text every line matches, deltas within 0.001 msec', async () => {
    const us = await run(input('tcp-bulk', 'us'));
    for (const [, options, want] of goldens('tcp-bulk')) {
      expect(compareWithinAMicrosecond(want, renderReport(us.chunks, options, us.stats.debug)).bad).toEqual([]);
    }
  });
});
