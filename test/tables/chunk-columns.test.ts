/**
 * One typed column access serves the report, the summary and the timeline; each says in its own words that a
 * column is missing or of another kind (the report: a bug; the summary and the timeline: a dataset of another
 * version, exit 1).
 */
import { describe, expect, it } from 'vitest';
import { dictColumn, intColumn, type TableChunk } from '../../src/core/columns.js';
import { NetdevTimesError } from '../../src/core/errors.js';
import { StringTable } from '../../src/core/strings.js';
import { SummaryBuilder } from '../../src/summary/summary.js';
import { dictCol, intCol } from '../../src/tables/chunk-columns.js';
import { chunkReader } from '../../src/timeline/rows.js';

const chunk: TableChunk = { length: 1, columns: { cpu: intColumn(1), dev: dictColumn(1, new StringTable()) } };

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return null;
};

describe('typed column access', () => {
  it('gives the columns asked for', () => {
    expect(intCol('t', chunk, 'cpu')).toBe(chunk.columns.cpu);
    expect(dictCol('t', chunk, 'dev')).toBe(chunk.columns.dev);
  });

  it("the report's words: a missing or mistyped column is a bug", () => {
    expect(() => intCol('t', chunk, 'len')).toThrow(/^t: no column 'len'$/);
    expect(() => intCol('t', chunk, 'dev')).toThrow(/^t\.dev: expected a int32 column, got dict$/);
    expect(() => dictCol('t', chunk, 'cpu')).toThrow(/^t\.cpu: expected a dictionary utf8 column, got int32$/);
  });

  it("the timeline's: convert the trace again, exit 1", () => {
    const rows = chunkReader('t', chunk);
    const missing = thrown(() => rows.int('len'));
    expect(missing).toBeInstanceOf(NetdevTimesError);
    expect(missing).toMatchObject({ exitCode: 1, message: "t: no column 'len'; convert the trace again" });
    expect(thrown(() => rows.str('cpu'))).toMatchObject({
      exitCode: 1,
      message: 't.cpu: a int32 column, not dictionary utf8; convert the trace again',
    });
  });

  it("the summary's: a dataset of an older version, exit 1", () => {
    const e = thrown(() => new SummaryBuilder().push('tx_packets', chunk));
    expect(e).toBeInstanceOf(NetdevTimesError);
    expect(e).toMatchObject({ exitCode: 1 });
    expect(e instanceof Error ? e.message : '').toMatch(
      /^summary: the table has no dictionary column \w+ \(written by an older version, schema 1\.0\.0\?\); convert the trace again with this version$/,
    );
  });
});
