/**
 * reuseChunks: a sink that is done with each chunk when its call returns gets the same rows when the
 * correlator fills one set of arrays again and again as when every chunk is new. Small chunks, so that each
 * table is refilled many times and a value left over from an earlier chunk would show as a wrong cell.
 */
import { describe, expect, it } from 'vitest';
import { correlateFile } from '../../src/pipeline/correlate-file.js';
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
