/**
 * A converted dataset read back: the files of each table in a folder written by `convert`, flat
 * (`<dir>/<table>.parquet|.arrow`) or hive-partitioned (`<dir>/<table>/source=<name>/part-0.*`).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NetdevTimesError } from '../decode/types.js';

export function isDataset(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The partition names (`source=` values) of a batch dataset; empty for a flat one. */
export function datasetSources(dir: string, table = 'events'): string[] {
  const t = join(dir, table);
  if (!isDataset(t)) return [];
  return readdirSync(t).filter((d) => d.startsWith('source=')).map((d) => d.slice('source='.length)).sort();
}

/** The file holding `table` (Parquet preferred, Arrow IPC otherwise) for one source, or null when absent. */
export function tableFile(dir: string, table: string, source?: string): string | null {
  const sources = datasetSources(dir);
  if (sources.length > 0) {
    const s = source ?? (sources.length === 1 ? sources[0] : undefined);
    if (s === undefined) {
      throw new NetdevTimesError(`${dir}: holds ${sources.length} inputs (${sources.join(', ')}); choose one with --source NAME`, 2);
    }
    if (!sources.includes(s)) throw new NetdevTimesError(`${dir}: no source '${s}' (there are: ${sources.join(', ')})`, 2);
    for (const ext of ['parquet', 'arrow']) {
      const p = join(dir, table, `source=${s}`, `part-0.${ext}`);
      if (existsSync(p)) return p;
    }
    return null;
  }
  for (const ext of ['parquet', 'arrow']) {
    const p = join(dir, `${table}.${ext}`);
    if (existsSync(p)) return p;
  }
  return null;
}
