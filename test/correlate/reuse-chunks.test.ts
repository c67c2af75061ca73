/**
 * reuseChunks: a sink that is done with each chunk when its call returns gets the same rows when the
 * correlator fills one set of arrays again and again as when every chunk is new. Small chunks, so that each
 * table is refilled many times and a value left over from an earlier chunk would show as a wrong cell.
 */
import { describe, expect, it } from 'vitest';
import { correlateFile } from '../../src/pipeline/correlate-file.js';
import { Correlator } from '../../src/correlate/correlator.js';
import { openTraceSource } from '../../src/pipeline/source.js';
import { chunkRows, type Row } from './helpers.js';
import { input } from '../report/golden-helpers.js';

async function rowsByTable(path: string, reuseChunks: boolean): Promise<Map<string, Row[]>> {
  const out = new Map<string, Row[]>();
  let chunks = 0;
  await correlateFile(
    path,
    (table, chunk) => {
      chunks++;
      // Read now: with reuse, the arrays are cleared and filled again after this call.
      const rows = out.get(table) ?? [];
      rows.push(...chunkRows(chunk));
      out.set(table, rows);
    },
    { chunkRows: 7, reuseChunks },
  );
  expect(chunks).toBeGreaterThan(20);
  return out;
}

describe('reused chunk arrays', () => {
  it.each(['eth-npm', 'udp-drop'])('%s: the same rows as new arrays', async (w) => {
    const fresh = await rowsByTable(input(w, 'ns'), false);
    const reused = await rowsByTable(input(w, 'ns'), true);
    expect([...reused.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [table, rows] of fresh) expect(reused.get(table), table).toEqual(rows);
  });
});

describe('first chunks that grow', () => {
  // A table's first chunk starts at 1024 rows and grows to the capacity as rows come; in batches of 50 events
  // the rows come a few at a time, so udp-drop's 1,150 transmit rows grow it with rows already in it. With
  // 7-row chunks nothing grows. Both give the same rows.
  it.each([false, true])('give the rows of chunks that never grow (reused: %s)', async (reuseChunks) => {
    const rows = async (capacity: number): Promise<Map<string, Row[]>> => {
      const out = new Map<string, Row[]>();
      const lengths: number[] = [];
      const source = await openTraceSource(input('udp-drop', 'ns'), { recycle: true, batchSize: 50 });
      const correlator = new Correlator(
        (table, chunk) => {
          if (table === 'tx_packets') lengths.push(chunk.length);
          out.set(table, [...(out.get(table) ?? []), ...chunkRows(chunk)]);
        },
        { chunkRows: capacity, reuseChunks, lost: source.lost },
      );
      for await (const batch of source.batches()) correlator.push(batch);
      correlator.finish();
      if (capacity === 5000) expect(lengths).toEqual([1150]);
      return out;
    };
    const grown = await rows(5000);
    const small = await rows(7);
    expect(grown.get('tx_packets')?.length).toBe(1150);
    for (const [table, r] of small) expect(grown.get(table), table).toEqual(r);
  });
});
