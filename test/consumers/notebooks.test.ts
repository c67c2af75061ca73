/**
 * The notebooks' SQL keeps working with the tables. Convention (notebooks/README.md): every SQL statement of a
 * notebook is a triple-quoted string assigned to a name ending in `_SQL` in a code cell, and the code passes
 * only such names to `con.sql(...)` / `con.execute(...)`. This test extracts every one of them and runs them
 * in notebook order through DuckDB on datasets converted from a fixture, batch (hive-partitioned, through
 * VIEW_SQL) and single-input (flat, through FLAT_VIEW_SQL); every query must succeed and return rows.
 * It also checks that the notebooks were saved with their outputs (plots as PNG), so they read on GitHub.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { convert } from '../../src/pipeline/convert.js';
import { ROOT, TRACES } from '../helpers/fixtures.js';
import { hasKeys, readJson } from '../helpers/json.js';
import { convertMany } from '../../src/pipeline/convert-many.js';
import { tmp } from './helpers.js';

const DIR = join(ROOT, 'notebooks');
const NOTEBOOKS = readdirSync(DIR)
  .filter((f) => f.endsWith('.ipynb'))
  .sort();

interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: { output_type: string; data?: Record<string, unknown>; ename?: string }[];
}

const cells = (nb: string): Cell[] => readJson(join(DIR, nb), hasKeys<{ cells: Cell[] }>('cells')).cells;
const text = (c: Cell): string => (Array.isArray(c.source) ? c.source.join('') : c.source);
const code = (nb: string): string[] =>
  cells(nb)
    .filter((c) => c.cell_type === 'code')
    .map(text);

/** The `NAME_SQL = """..."""` statements of a notebook, in order. */
function statements(nb: string): { name: string; sql: string }[] {
  const out: { name: string; sql: string }[] = [];
  for (const src of code(nb))
    for (const m of src.matchAll(/^([A-Z][A-Z0-9_]*_SQL)\s*=\s*"""([\s\S]*?)"""/gm))
      out.push({ name: m[1], sql: m[2] });
  return out;
}

/** Python's str.format for the `{name}` placeholders of the view templates. */
function format(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (!(k in values)) throw new Error(`no value for {${k}}`);
    return values[k];
  });
}

/** The tables the notebook makes views of: its `TABLES = [...]` list. */
function tablesOf(nb: string): string[] {
  const m = code(nb)
    .join('\n')
    .match(/^TABLES\s*=\s*\[([^\]]*)\]/m);
  if (!m) throw new Error(`${nb}: no TABLES list`);
  return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
}

const isDir = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

let batch: string;
let flat: string;
beforeAll(async () => {
  const root = tmp();
  batch = join(root, 'batch');
  flat = join(root, 'eth-npm');
  const [many] = await Promise.all([
    convertMany({ inputs: [`${TRACES}eth-npm.ns.txt`], outDir: batch }),
    convert({ input: `${TRACES}eth-npm.ns.txt`, outDir: flat }),
  ]);
  expect(many.outcomes.every((o) => o.ok)).toBe(true);
});

it('there are notebooks, each with SQL statements', () => {
  expect(NOTEBOOKS.length).toBeGreaterThanOrEqual(2);
  for (const nb of NOTEBOOKS) expect(statements(nb).length, nb).toBeGreaterThanOrEqual(4);
});

describe.each(NOTEBOOKS)('%s', (nb) => {
  it('passes only *_SQL names to con.sql / con.execute (so this test sees every statement)', () => {
    const calls = code(nb).flatMap((src) =>
      [...src.matchAll(/\bcon\.(?:sql|execute)\(\s*([^,)]+)/g)].map((m) => m[1].trim()),
    );
    expect(calls.length).toBeGreaterThan(0);
    for (const arg of calls) expect(arg, nb).toMatch(/^[A-Z][A-Z0-9_]*_SQL(\.format\(.*)?$/);
    const names = new Set(statements(nb).map((s) => s.name));
    for (const arg of calls) expect(names.has(arg.replace(/\.format\(.*$/, '')), arg).toBe(true);
  });

  it.each(['batch', 'flat'])(
    'every statement runs in DuckDB on a %s dataset of eth-npm and every query returns rows',
    async (kind) => {
      const dataset = kind === 'batch' ? batch : flat;
      const source = kind === 'batch' ? 'eth-npm.ns.txt' : basename(flat);
      const con = await (await DuckDBInstance.create(':memory:')).connect();
      const all = statements(nb);
      const template = (name: string): string => {
        const t = all.find((s) => s.name === name);
        if (!t) throw new Error(`${nb}: no ${name}`);
        return t.sql;
      };
      // The setup cell's loop: a view per table, partitioned or flat.
      for (const table of tablesOf(nb)) {
        const sql = isDir(join(dataset, table))
          ? format(template('VIEW_SQL'), { dataset, table })
          : format(template('FLAT_VIEW_SQL'), { dataset, table, source });
        await con.run(sql);
      }
      expect(isDir(join(dataset, 'events'))).toBe(kind === 'batch');
      let queries = 0;
      for (const { name, sql } of all) {
        if (name === 'VIEW_SQL' || name === 'FLAT_VIEW_SQL') continue;
        expect(sql, `${name} has placeholders only the view templates may have`).not.toMatch(/\{\w+\}/);
        const params = sql.includes('$source') ? { source } : undefined;
        const r = await con.runAndReadAll(sql, params).catch((e: unknown) => {
          throw new Error(`${nb}: ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
        });
        if (/^\s*(SELECT|WITH)\b/i.test(sql)) {
          queries++;
          expect(r.currentRowCount, `${nb}: ${name} returns rows`).toBeGreaterThan(0);
        }
      }
      expect(queries).toBeGreaterThanOrEqual(3);
    },
  );

  it('is saved with its outputs: every code cell ran, no error, the plots are PNG images', () => {
    const codeCells = cells(nb).filter((c) => c.cell_type === 'code');
    for (const c of codeCells) {
      expect(c.outputs?.some((o) => o.output_type === 'error') ?? false, text(c).slice(0, 60)).toBe(false);
    }
    expect(
      codeCells.slice(1).every((c) => (c.outputs?.length ?? 0) > 0),
      'every cell after the setup shows something',
    ).toBe(true);
    const images = codeCells.flatMap((c) => c.outputs ?? []).filter((o) => typeof o.data?.['image/png'] === 'string');
    expect(images.length).toBeGreaterThanOrEqual(2);
    const md = cells(nb)
      .filter((c) => c.cell_type === 'markdown')
      .map(text)
      .join('\n');
    expect(md).toMatch(/How the saved outputs were produced/);
  });
});
