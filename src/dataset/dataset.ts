/**
 * A converted dataset read back: the files of each table in a folder written by `convert`, flat
 * (`<dir>/<table>.parquet|.arrow`) or hive-partitioned (`<dir>/<table>/source=<name>/part-0.*`).
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NetdevTimesError } from '../core/errors.js';
import { tableNames } from '../tables/schema.js';
import { ARROW_TREE } from './layout.js';
import { readManifestIfAny } from './manifest-file.js';
import type { Manifest } from './manifest.js';

export function isDataset(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The partition names (`source=` values) of a batch dataset; empty for a flat one. The manifest says which
 * they are: a partition it does not list was left by a merge or append that died before committing (and is
 * not part of the dataset). Without a manifest, the folders say.
 */
export function datasetSources(dir: string, table = 'events'): string[] {
  let m: Manifest | null = null;
  try {
    m = readManifestIfAny(dir);
  } catch {
    // A manifest that cannot be read: the folders say, and reading the tables tells what is wrong.
  }
  if (m !== null)
    return Object.keys(m.partitions ?? {})
      .map((d) => d.slice('source='.length))
      .sort();
  const t = join(dir, table);
  if (!isDataset(t)) return [];
  return readdirSync(t)
    .filter((d) => d.startsWith('source='))
    .map((d) => d.slice('source='.length))
    .sort();
}

/** The file holding `table` (Parquet preferred, Arrow IPC otherwise) for one source, or null when absent. */
export function tableFile(dir: string, table: string, source?: string): string | null {
  const sources = datasetSources(dir);
  if (sources.length > 0) {
    const s = source ?? (sources.length === 1 ? sources[0] : undefined);
    if (s === undefined) {
      throw new NetdevTimesError(
        `${dir}: holds ${sources.length} inputs (${sources.join(', ')}); choose one with --source NAME`,
        2,
      );
    }
    if (!sources.includes(s))
      throw new NetdevTimesError(`${dir}: no source '${s}' (there are: ${sources.join(', ')})`, 2);
    // Arrow beside Parquet in its own tree (both formats), or in the partition (one format, or older datasets).
    for (const p of [
      join(dir, table, `source=${s}`, 'part-0.parquet'),
      join(dir, table, `source=${s}`, 'part-0.arrow'),
      join(dir, ARROW_TREE, table, `source=${s}`, 'part-0.arrow'),
    ])
      if (existsSync(p)) return p;
    return null;
  }
  for (const ext of ['parquet', 'arrow']) {
    const p = join(dir, `${table}.${ext}`);
    if (existsSync(p)) return p;
  }
  return null;
}

/**
 * After a dataset was replaced (`--force`): removes the table files of the previous one that `keep` (the
 * files just written) does not name — flat `<table>.<fmt>` files, `source=` partitions of inputs not in this
 * run, a format not written this time — so that globs and readers see only the new dataset. Only names this
 * tool writes are touched. Returns the removed paths.
 */
export function pruneDataset(dir: string, keep: Iterable<string>): string[] {
  const kept = new Set([...keep].map((p) => resolve(p)));
  const removed: string[] = [];
  const drop = (p: string): void => {
    if (!existsSync(p) || kept.has(resolve(p))) return;
    try {
      unlinkSync(p);
      removed.push(p);
    } catch {
      // gone already, or not ours to remove: leave it
    }
  };
  const rmdirIfEmpty = (d: string): void => {
    try {
      rmdirSync(d);
    } catch {
      // not empty: keep it
    }
  };
  for (const table of tableNames()) {
    for (const ext of ['parquet', 'arrow']) drop(join(dir, `${table}.${ext}`));
    for (const tableDir of [join(dir, table), join(dir, ARROW_TREE, table)]) {
      if (!isDataset(tableDir)) continue;
      for (const part of readdirSync(tableDir)) {
        if (!part.startsWith('source=')) continue;
        for (const ext of ['parquet', 'arrow']) drop(join(tableDir, part, `part-0.${ext}`));
        rmdirIfEmpty(join(tableDir, part));
      }
      rmdirIfEmpty(tableDir);
    }
  }
  rmdirIfEmpty(join(dir, ARROW_TREE));
  return removed;
}

/** The manifest's inputs (those of partition `source`, when given), as recorded. */
function manifestInputs(dir: string, source?: string): object[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  } catch {
    throw new NetdevTimesError(`${join(dir, 'manifest.json')}: missing or not JSON`, 1);
  }
  if (typeof parsed !== 'object' || parsed === null || !('inputs' in parsed) || !Array.isArray(parsed.inputs)) {
    throw new NetdevTimesError(`${join(dir, 'manifest.json')}: not a netdev-times manifest`, 1);
  }
  const inputs: unknown[] = parsed.inputs;
  return inputs.filter(
    (input): input is object =>
      typeof input === 'object' &&
      input !== null &&
      (source === undefined || ('source' in input && input.source === source)),
  );
}

/**
 * The events the kernel reported lost, as the dataset's manifest counts them: over every input, or those of
 * one partition `source`. 0 for a dataset written before lost events were counted.
 */
export function lostEventsOf(dir: string, source?: string): number {
  let total = 0;
  for (const input of manifestInputs(dir, source))
    if ('lost_events' in input && typeof input.lost_events === 'number') total += input.lost_events;
  return total;
}

/**
 * The filters a dataset's input was converted with (perf script's, and --dev), as the manifest records them;
 * null when its tables hold every event (or the dataset has several inputs and no `source` was given).
 */
export function filterOf(dir: string, source?: string): Readonly<Record<string, string | number>> | null {
  const inputs = manifestInputs(dir, source);
  if (inputs.length !== 1) return null;
  const input = inputs[0];
  if (!('filter' in input) || typeof input.filter !== 'object' || input.filter === null) return null;
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(input.filter)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}
