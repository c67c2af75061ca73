/**
 * schemas/*.json is the contract: every file a conversion writes (Parquet and Arrow IPC, every table, flat and
 * hive-partitioned) has exactly its columns, in order, with its types and nullability, and carries the schema
 * version in its metadata (Parquet key-value `netdev_times.schema_version`, Arrow schema metadata); the
 * manifest lists the versions (`schema_versions`) and every file.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { DataType, tableFromIPC, type Field, type Schema } from 'apache-arrow';
import type { FileMetaData, SchemaElement } from 'hyparquet';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION_KEY, TABLE_KEY, tableNames, tableSpec, type ColumnSpec } from '../../src/tables/schema.js';
import { rows } from '../helpers/duck.js';
import { readManifest } from '../helpers/json.js';
import { batchDataset, ethNpmWithRejects, hyparquetMetadata, tmp } from './helpers.js';
import { convert } from '../../src/pipeline/convert.js';

/** Every file under a folder, relative to it. */
function walk(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p, base) : [relative(base, p)];
  });
}

/**
 * The table a written file belongs to: `<table>.<fmt>`, `<table>/source=<name>/part-0.<fmt>`, or (Arrow beside
 * Parquet in a partitioned dataset) `arrow/<table>/source=<name>/part-0.arrow`.
 */
const tableOf = (rel: string): string =>
  rel
    .replace(/^arrow\/(?=[^/]+\/source=)/, '')
    .split('/')[0]
    .replace(/\.(parquet|arrow)$/, '');

let flat: string;
let batch: string;
beforeAll(async () => {
  const root = tmp();
  flat = join(root, 'flat');
  await convert({ input: ethNpmWithRejects(root), outDir: flat, formats: ['parquet', 'arrow'] });
  batch = await batchDataset();
});

const datasets = (): [string, string][] => [
  ['flat', flat],
  ['batch', batch],
];

// ---- Arrow IPC -------------------------------------------------------------------------------------------

function checkArrowField(f: Field, c: ColumnSpec): void {
  const where = `column ${c.name}`;
  expect(f.name, where).toBe(c.name);
  expect(f.nullable, `${where} nullable`).toBe(c.nullable);
  const t: unknown = f.type;
  switch (c.type) {
    case 'int32':
      expect(DataType.isInt(t) && t.bitWidth === 32 && t.isSigned, `${where}: ${String(t)}`).toBe(true);
      break;
    case 'int64':
      expect(DataType.isInt(t) && t.bitWidth === 64 && t.isSigned, `${where}: ${String(t)}`).toBe(true);
      break;
    case 'uint64':
      expect(DataType.isInt(t) && t.bitWidth === 64 && !t.isSigned, `${where}: ${String(t)}`).toBe(true);
      break;
    case 'utf8':
      if (c.dictionary) {
        expect(
          DataType.isDictionary(t) && DataType.isUtf8(t.dictionary) && t.indices.bitWidth === 32,
          `${where}: ${String(t)}`,
        ).toBe(true);
      } else {
        expect(DataType.isUtf8(t), `${where}: ${String(t)}`).toBe(true);
      }
      break;
    case 'list<utf8>':
      expect(DataType.isList(t) && DataType.isUtf8(t.children[0].type), `${where}: ${String(t)}`).toBe(true);
      break;
  }
}

function checkArrowSchema(schema: Schema, table: string): void {
  const spec = tableSpec(table);
  expect(schema.fields.map((f) => f.name)).toEqual(spec.columns.map((c) => c.name));
  schema.fields.forEach((f, i) => checkArrowField(f, spec.columns[i]));
  expect(schema.metadata.get(SCHEMA_VERSION_KEY)).toBe(spec.version);
  expect(schema.metadata.get(TABLE_KEY)).toBe(table);
}

// ---- Parquet ---------------------------------------------------------------------------------------------

/** The column's schema elements: itself, then (for a list) its repeated group and the element. */
function elementsOf(md: FileMetaData, name: string): SchemaElement[] {
  let i = 1;
  while (i < md.schema.length) {
    const e = md.schema[i];
    const size = subtreeSize(md, i);
    if (e.name === name) return md.schema.slice(i, i + size);
    i += size;
  }
  throw new Error(`no column ${name}`);
}

function subtreeSize(md: FileMetaData, i: number): number {
  let size = 1;
  for (let c = 0; c < (md.schema[i].num_children ?? 0); c++) size += subtreeSize(md, i + size);
  return size;
}

function checkParquetColumn(md: FileMetaData, c: ColumnSpec): void {
  const [e, ...nested] = elementsOf(md, c.name);
  const where = `column ${c.name}`;
  expect(e.repetition_type, `${where} nullability`).toBe(c.nullable ? 'OPTIONAL' : 'REQUIRED');
  const intOf = (x: SchemaElement): unknown =>
    x.logical_type && x.logical_type.type === 'INTEGER' ? [x.logical_type.bitWidth, x.logical_type.isSigned] : null;
  switch (c.type) {
    case 'int32':
      expect([e.type, e.converted_type ?? 'INT_32', intOf(e) ?? [32, true]], where).toEqual([
        'INT32',
        'INT_32',
        [32, true],
      ]);
      break;
    case 'int64':
      expect([e.type, e.converted_type ?? 'INT_64', intOf(e) ?? [64, true]], where).toEqual([
        'INT64',
        'INT_64',
        [64, true],
      ]);
      break;
    case 'uint64':
      expect([e.type, e.converted_type, intOf(e)], where).toEqual(['INT64', 'UINT_64', [64, false]]);
      break;
    case 'utf8':
      expect([e.type, e.converted_type], where).toEqual(['BYTE_ARRAY', 'UTF8']);
      break;
    case 'list<utf8>': {
      expect(e.converted_type, where).toBe('LIST');
      const [group, item] = nested;
      expect(group.repetition_type, `${where} list group`).toBe('REPEATED');
      expect([item.type, item.converted_type], `${where} list item`).toEqual(['BYTE_ARRAY', 'UTF8']);
      break;
    }
  }
}

/** The Arrow schema arrow-rs stores in the Parquet footer (ARROW:schema): one IPC message, read as a stream. */
function embeddedArrowSchema(md: FileMetaData): Schema {
  const b64 = md.key_value_metadata?.find((kv) => kv.key === 'ARROW:schema')?.value;
  if (!b64) throw new Error('no ARROW:schema');
  const msg = Buffer.from(b64, 'base64');
  const eos = Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
  return tableFromIPC(Buffer.concat([msg, eos])).schema;
}

function checkParquetFile(path: string, table: string): void {
  const spec = tableSpec(table);
  const md = hyparquetMetadata(path);
  const kv = Object.fromEntries((md.key_value_metadata ?? []).map((x) => [x.key, x.value]));
  expect(kv[SCHEMA_VERSION_KEY], `${path}: ${SCHEMA_VERSION_KEY}`).toBe(spec.version);
  expect(kv[TABLE_KEY]).toBe(table);
  const top: string[] = [];
  for (let i = 1; i < md.schema.length; i += subtreeSize(md, i)) top.push(md.schema[i].name);
  expect(top).toEqual(spec.columns.map((c) => c.name));
  for (const c of spec.columns) checkParquetColumn(md, c);
  // Dictionary columns are dictionary-encoded in every row group, and declared as dictionaries for Arrow readers.
  for (const rg of md.row_groups) {
    for (const chunk of rg.columns) {
      const c = spec.columns.find((x) => x.name === chunk.meta_data?.path_in_schema[0]);
      if (c?.dictionary && chunk.meta_data && chunk.meta_data.num_values > 0n) {
        expect(
          chunk.meta_data.encodings.some((e) => e === 'RLE_DICTIONARY' || e === 'PLAIN_DICTIONARY'),
          `${c.name} encodings`,
        ).toBe(true);
      }
    }
  }
  checkArrowSchema(embeddedArrowSchema(md), table);
}

describe.each(datasets().map(([k]) => k))('%s dataset', (kind) => {
  const dir = (): string => (kind === 'flat' ? flat : batch);

  it('has every table in both formats (and nothing else)', () => {
    const files = walk(dir()).filter((f) => f !== 'manifest.json');
    const perTable = new Map<string, string[]>();
    for (const f of files) perTable.set(tableOf(f), [...(perTable.get(tableOf(f)) ?? []), f]);
    expect([...perTable.keys()].sort()).toEqual(tableNames());
    for (const [, fs] of perTable) expect(fs.length).toBe(kind === 'flat' ? 2 : 4);
  });

  it('every Parquet file: names, order, types, nullability, dictionaries and schema version in its key-value metadata', () => {
    const files = walk(dir()).filter((f) => f.endsWith('.parquet'));
    expect(files.length).toBe(tableNames().length * (kind === 'flat' ? 1 : 2));
    for (const f of files) checkParquetFile(join(dir(), f), tableOf(f));
  });

  it('every Arrow IPC file: names, order, types, nullability, dictionaries and schema version in its schema metadata', () => {
    const files = walk(dir()).filter((f) => f.endsWith('.arrow'));
    expect(files.length).toBe(tableNames().length * (kind === 'flat' ? 1 : 2));
    for (const f of files) checkArrowSchema(tableFromIPC(readFileSync(join(dir(), f))).schema, tableOf(f));
  });

  it('DuckDB reads the schema version from every Parquet file (parquet_kv_metadata)', async () => {
    const r = await rows(
      `SELECT file_name, decode(value) AS v FROM parquet_kv_metadata('${dir()}/**/*.parquet') WHERE decode(key) = '${SCHEMA_VERSION_KEY}'`,
    );
    expect(r.length).toBe(tableNames().length * (kind === 'flat' ? 1 : 2));
    for (const x of r) expect(x.v).toBe(tableSpec(tableOf(relative(dir(), String(x.file_name)))).version);
  });

  it('the manifest names the schema version of every table and every file written', () => {
    const m = readManifest(join(dir(), 'manifest.json'));
    expect(m.schema_versions).toEqual(Object.fromEntries(tableNames().map((t) => [t, tableSpec(t).version])));
    const listed = m.tables
      .flatMap((t: { files: { path: string }[] }) => t.files.map((f) => resolve(dir(), f.path)))
      .sort();
    const onDisk = walk(dir())
      .filter((f) => f !== 'manifest.json')
      .map((f) => resolve(dir(), f))
      .sort();
    expect(listed).toEqual(onDisk);
  });
});
