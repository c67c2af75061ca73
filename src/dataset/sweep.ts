/**
 * What a writer killed outright (SIGKILL, a crash, a power cut) can leave in a dataset, removed by the next
 * writer while it holds the lock: partition folders the manifest does not list (placed by a merge or an
 * append that died before its manifest was renamed into place), temporary files of processes that are gone,
 * an append's staging folder, and the flat files of a dataset whose manifest already says it is partitioned.
 * Only names this tool writes are touched.
 */
import { readdirSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tableNames } from '../tables/schema.js';
import { ARROW_TREE } from './layout.js';
import { isPartitioned } from './manifest-file.js';
import type { Manifest } from './manifest.js';

/** The staging folder of an append (`<dataset>/.append-<pid>`): hidden, so no directory reader descends into it. */
export const stagingName = (pid: number): string => `.append-${pid}`;
const STAGING = /^\.append-\d+$/;
const TEMP = /^\..+\.tmp-(\d+)$/;
const TABLE_FILE = /^part-0\.(parquet|arrow)$/;

const list = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

const remove = (path: string, removed: string[]): void => {
  try {
    unlinkSync(path);
    removed.push(path);
  } catch {
    // gone already, or not ours to remove
  }
};

/** A temporary file of another process: the caller holds the lock, so no other writer is running. */
const staleTemp = (name: string): boolean => {
  const m = TEMP.exec(name);
  return m !== null && Number(m[1]) !== process.pid;
};

/** Removes the leftovers of dead writers from `dir`, whose committed manifest is `m` (null: none). */
export function sweepDataset(dir: string, m: Manifest | null): string[] {
  const removed: string[] = [];
  const keep = new Set(Object.keys(m?.partitions ?? {}));
  const listed = new Set(m?.tables.flatMap((t) => t.files.map((f) => join(dir, f.path))) ?? []);
  for (const tree of [dir, join(dir, ARROW_TREE)]) {
    for (const table of tableNames()) {
      const tableDir = join(tree, table);
      for (const part of list(tableDir)) {
        if (!part.startsWith('source=')) continue;
        const partDir = join(tableDir, part);
        for (const f of list(partDir)) {
          const orphan = !keep.has(part) && TABLE_FILE.test(f) && !listed.has(join(partDir, f));
          if (orphan || staleTemp(f)) remove(join(partDir, f), removed);
        }
        rmdirQuiet(partDir);
      }
      rmdirQuiet(tableDir);
    }
  }
  rmdirQuiet(join(dir, ARROW_TREE));
  for (const name of list(dir)) {
    const path = join(dir, name);
    if (STAGING.test(name) && name !== stagingName(process.pid)) {
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } else if (staleTemp(name)) remove(path, removed);
  }
  if (m !== null && isPartitioned(m)) {
    // Flat files of a dataset an append turned into partitions (the manifest was renamed, the files not yet removed).
    for (const table of tableNames())
      for (const ext of ['parquet', 'arrow']) {
        const p = join(dir, `${table}.${ext}`);
        if (!listed.has(p) && list(dir).includes(`${table}.${ext}`)) remove(p, removed);
      }
  }
  return removed;
}

function rmdirQuiet(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty, or absent: keep it
  }
}
