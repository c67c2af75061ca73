/**
 * The Parquet encoder against two independent readers (DuckDB's C++ reader and hyparquet): every column type
 * with nulls in runs and alternating, values at the ends of their ranges, several row groups and pages,
 * each dictionary falling back, int64 deltas too large for DELTA_BINARY_PACKED, lists null/empty/long,
 * GZIP and uncompressed, and min/max statistics that DuckDB prunes row groups with.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { describe, expect, it } from 'vitest';
import { StringTable } from '../../src/decode/strings.js';
import { Codec, ParquetFileEncoder } from '../../src/emit/parquet/file-encoder.js';
import type { TableSpec } from '../../src/emit/schema.js';
import { rows } from '../helpers/duck.js';
import { chunkOf, N, source, SPEC, type Source } from './helpers.js';

function writeFile(s: Source, codec: Codec, spec: TableSpec = SPEC): string {
  const parts: Uint8Array[] = [];
  const e = new ParquetFileEncoder(spec, { metadata: new Map([['k', 'v']]), createdBy: 'test', codec, rowGroupRows: 30000 }, (b) => parts.push(b));
  const names = new StringTable();
  for (let from = 0; from < N; from += 7000) e.write(chunkOf(s, from, Math.min(N, from + 7000), names));
  e.close();
  const path = join(mkdtempSync(join(tmpdir(), 'ndt-parquet-')), 'x.parquet');
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

/** Readers' values as plain JS: DuckDB lists come as objects holding `items`. */
const norm = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(norm);
  if (v === undefined) return null;
  if (typeof v === 'object' && v !== null && 'items' in v && Array.isArray(v.items)) return v.items.map(norm);
  return v;
};

function expectColumns(got: Record<string, unknown>[], s: Source, cols: (keyof Source)[]): void {
  expect(got.length).toBe(N);
  for (const c of cols) {
    const want = s[c];
    for (let i = 0; i < N; i++) {
      let g = norm(got[i][c]);
      const w = want[i];
      if (typeof w === 'bigint' && typeof g === 'number') g = BigInt(g);
      if (g !== w && JSON.stringify(g) !== JSON.stringify(w)) expect({ column: c, row: i, value: g }).toEqual({ column: c, row: i, value: w });
    }
  }
}

const ALL: (keyof Source)[] = ['row', 'small', 'wide', 'time', 'signed', 'addr', 'uniq', 'name', 'label', 'text', 'raw', 'frames'];

describe.each([['gzip', Codec.Gzip], ['uncompressed', Codec.Uncompressed]] as const)('Parquet encoder (%s)', (_, codec) => {
  const s = source(11);
  const path = writeFile(s, codec);

  it('DuckDB reads back every value', async () => {
    const got = await rows(`SELECT * FROM '${path}' ORDER BY row`);
    expectColumns(got, s, ALL);
  });

  it('hyparquet reads back every value', async () => {
    const buf = readFileSync(path);
    const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
    const got = await parquetReadObjects({ file, compressors });
    expectColumns(got, s, ALL);
  });

  it('min/max statistics are right: DuckDB range filters (which prune row groups by them) count what a scan counts', async () => {
    const checks: [string, (i: number) => boolean][] = [
      ['time > 1541804814724 + (1::BIGINT << 60)', (i) => s.time[i] > 1541_804814724n + (1n << 60n)],
      ['signed < -(1::BIGINT << 61)', (i) => s.signed[i] !== null && (s.signed[i] ?? 0n) < -(1n << 61n)],
      ['addr >= 9223372036854775808::UBIGINT', (i) => s.addr[i] !== null && (s.addr[i] ?? 0n) >= 1n << 63n],
      ['uniq > 18446462598732840960::UBIGINT + 64 * 65000', (i) => s.uniq[i] > 0xffff000000000000n + 64n * 65000n],
      ['wide > 2000000000', (i) => (s.wide[i] ?? -Infinity) > 2000000000],
      ["name = 'café ☕'", (i) => s.name[i] === 'café ☕'],
      ["name > 'eth0'", (i) => s.name[i] !== null && (s.name[i] ?? '') > 'eth0'],
      ['small IS NULL', (i) => s.small[i] === null],
    ];
    for (const [where, f] of checks) {
      const [r] = await rows(`SELECT count(*)::INTEGER AS n FROM '${path}' WHERE ${where}`);
      let want = 0;
      for (let i = 0; i < N; i++) if (f(i)) want++;
      expect(r.n, where).toBe(want);
    }
  });

  it('falls back from dictionaries when they grow too large, and from DELTA when a delta passes 2^52', async () => {
    const md = await rows(`SELECT path_in_schema AS p, encodings AS e FROM parquet_metadata('${path}')`);
    const enc = (col: string): string => md.filter((m) => m.p === col).map((m) => String(m.e)).join(' | ');
    expect(enc('wide')).toMatch(/DELTA_BINARY_PACKED/);
    expect(enc('uniq')).toMatch(/PLAIN/);
    expect(enc('small')).toMatch(/RLE_DICTIONARY/);
    expect(enc('time')).toMatch(/DELTA_BINARY_PACKED/);
    expect(enc('time')).toMatch(/PLAIN/);
    for (const c of ['name', 'label']) expect(enc(c)).toMatch(/RLE_DICTIONARY/);
  });
});

describe('Parquet encoder edge cases', () => {
  it('a table with no rows is a valid file with its schema', async () => {
    const parts: Uint8Array[] = [];
    const e = new ParquetFileEncoder(SPEC, { metadata: new Map(), createdBy: 'test' }, (b) => parts.push(b));
    e.close();
    const path = join(mkdtempSync(join(tmpdir(), 'ndt-parquet-')), 'empty.parquet');
    writeFileSync(path, Buffer.concat(parts));
    expect(await rows(`SELECT count(*)::INTEGER AS n FROM '${path}'`)).toEqual([{ n: 0 }]);
    const cols = await rows(`DESCRIBE SELECT * FROM '${path}'`);
    expect(cols.map((c) => c.column_name)).toEqual(SPEC.columns.map((c) => c.name));
  });

  it('a null in a non-nullable column is an error, not a file that lies', () => {
    const e = new ParquetFileEncoder(SPEC, { metadata: new Map(), createdBy: 'test' }, () => undefined);
    const c = chunkOf(source(3), 0, 10, new StringTable());
    const row = c.columns.row;
    if (row.kind !== 'int32') throw new Error('row is int32');
    row.valid[4] = 0;
    expect(() => e.write(c)).toThrow(/row: null in a non-nullable column/);
  });
});
