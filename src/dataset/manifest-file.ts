/**
 * manifest.json read back, checked enough to build on it (merge, append): a JSON object that says it is
 * netdev-times', with inputs, tables and schema versions of the shapes this version writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NetdevTimesError } from '../core/errors.js';
import { tableNames, tableSpec } from '../tables/schema.js';
import type { Format } from './layout.js';
import type { Manifest } from './manifest.js';

export const MANIFEST = 'manifest.json';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const isStringRecord = (v: unknown): v is Record<string, string> =>
  isObject(v) && Object.values(v).every((x) => typeof x === 'string');

function isInput(v: unknown): v is Manifest['inputs'][number] {
  return isObject(v) && typeof v.path === 'string' && typeof v.lost_events === 'number' && isObject(v.lines);
}

function isTable(v: unknown): v is Manifest['tables'][number] {
  return (
    isObject(v) &&
    typeof v.name === 'string' &&
    typeof v.rows === 'number' &&
    Array.isArray(v.files) &&
    v.files.every((f) => isObject(f) && typeof f.format === 'string' && typeof f.path === 'string')
  );
}

/** The keys merge and append rely on, with the types they rely on. */
export function isManifest(v: unknown): v is Manifest {
  return (
    isObject(v) &&
    isObject(v.tool) &&
    v.tool.name === 'netdev-times' &&
    isStringRecord(v.schema_versions) &&
    Array.isArray(v.inputs) &&
    v.inputs.every(isInput) &&
    Array.isArray(v.tables) &&
    v.tables.every(isTable) &&
    (v.partitions === undefined || isStringRecord(v.partitions))
  );
}

/** The manifest of the dataset in `dir`, or null when there is none; one line (exit 1) when it is not one. */
export function readManifestIfAny(dir: string): Manifest | null {
  const path = join(dir, MANIFEST);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof Error && 'code' in e && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return null;
    throw new NetdevTimesError(`${path}: cannot read (${e instanceof Error ? e.message : String(e)})`, 1);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new NetdevTimesError(`${path}: not JSON (cut short?); convert the dataset again`, 1);
  }
  if (!isManifest(v)) throw new NetdevTimesError(`${path}: not a netdev-times manifest`, 1);
  return v;
}

/** The manifest of the dataset in `dir`; one line (exit 1) when there is none. */
export function readManifest(dir: string): Manifest {
  const m = readManifestIfAny(dir);
  if (m === null) throw new NetdevTimesError(`${dir}: not a netdev-times dataset (no ${MANIFEST})`, 1);
  return m;
}

/** The formats a dataset's tables are written in, in the order convert's -f names them. */
export function manifestFormats(m: Manifest): Format[] {
  const seen = new Set(m.tables.flatMap((t) => t.files.map((f) => f.format)));
  const out: Format[] = [];
  if (seen.has('parquet')) out.push('parquet');
  if (seen.has('arrow')) out.push('arrow');
  return out;
}

/** Whether the dataset is hive-partitioned (`<table>/source=<name>/`), not flat (one input, `<table>.<fmt>`). */
export const isPartitioned = (m: Manifest): boolean => m.partitions !== undefined;

/**
 * Why a dataset's tables cannot be read or extended by this version (its schema versions are not this
 * version's: another column set, which a directory reader would have to reconcile), or null when they can.
 */
export function schemaMismatch(m: Manifest): string | null {
  const diffs: string[] = [];
  for (const t of tableNames()) {
    const have = Object.hasOwn(m.schema_versions, t) ? m.schema_versions[t] : undefined;
    const want = tableSpec(t).version;
    if (have !== want) diffs.push(have === undefined ? `no ${t} table` : `${t} ${have}, not ${want}`);
  }
  return diffs.length === 0 ? null : diffs.join(', ');
}

/**
 * What makes two inputs the same rows: the same file content (SHA-256) converted with the same filter (an
 * input filtered otherwise holds other rows). null when the content hash is unknown (stdin, older datasets).
 */
export function contentKey(
  sha256: string | null | undefined,
  filter: Readonly<Record<string, string | number>> | undefined,
): string | null {
  if (!sha256) return null;
  const chosen = Object.entries(filter ?? {})
    .filter(([k]) => k !== 'events_filtered_out')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return chosen.length === 0 ? sha256 : `${sha256} ${JSON.stringify(chosen)}`;
}
