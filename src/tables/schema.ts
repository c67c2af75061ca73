/**
 * `schemas/*.json` is the single definition of every table: this module reads them (arrow-types.ts turns
 * one into an Arrow schema). Code, docs and tests all read the same files.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NetdevTimesError } from '../core/errors.js';

export type ColumnType = 'int32' | 'int64' | 'uint64' | 'utf8' | 'list<utf8>';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  dictionary?: boolean;
  nullable: boolean;
  unit?: string;
  description: string;
}

export interface TableSpec {
  table: string;
  version: string;
  description: string;
  columns: ColumnSpec[];
}

/** Folder of the schema files, next to dist/ and src/ in the package. */
export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

const TYPES: ReadonlySet<string> = new Set(['int32', 'int64', 'uint64', 'utf8', 'list<utf8>']);
const cache = new Map<string, TableSpec>();

function isTableSpec(v: unknown): v is TableSpec {
  if (typeof v !== 'object' || v === null) return false;
  const o: Record<string, unknown> = { ...v };
  return (
    typeof o.table === 'string' &&
    typeof o.version === 'string' &&
    Array.isArray(o.columns) &&
    o.columns.every((c: unknown) => {
      if (typeof c !== 'object' || c === null) return false;
      const f: Record<string, unknown> = { ...c };
      return (
        typeof f.name === 'string' && typeof f.type === 'string' && TYPES.has(f.type) && typeof f.nullable === 'boolean'
      );
    })
  );
}

export function tableSpec(table: string): TableSpec {
  const hit = cache.get(table);
  if (hit) return hit;
  let text: string;
  try {
    text = readFileSync(`${SCHEMA_DIR}${table}.json`, 'utf8');
  } catch {
    throw new NetdevTimesError(`unknown table '${table}' (no schemas/${table}.json)`);
  }
  const parsed: unknown = JSON.parse(text);
  if (!isTableSpec(parsed)) throw new NetdevTimesError(`schemas/${table}.json is not a valid table schema`);
  cache.set(table, parsed);
  return parsed;
}

/** schemas/ files that describe something other than a table: summary.json is the shape of `summary --json`. */
const NOT_TABLES = new Set(['summary.json']);

/** Names of every table that has a schema file. */
export function tableNames(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.json') && !NOT_TABLES.has(f))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** Metadata key carrying the schema version in every written file (Arrow schema and Parquet key-value). */
export const SCHEMA_VERSION_KEY = 'netdev_times.schema_version';
export const TABLE_KEY = 'netdev_times.table';

/** The Arrow schema of a table is in arrow-types.ts: loading apache-arrow is left to what needs it. */
