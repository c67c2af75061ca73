/**
 * `convert NEW... -o DATASET --append`: the new inputs become partitions of the dataset already there. An
 * input whose content (SHA-256 of the file) is already in it is skipped and said. The others are converted
 * into a hidden staging dataset inside DATASET (same file system: its files are hard-linked into place), which
 * is then merged in (dataset/merge.ts: the manifest is the commit point) and removed. A flat dataset becomes
 * a partitioned one, its input the first partition; a folder with no dataset gets a partitioned one.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { NetdevTimesError } from '../core/errors.js';
import { fileSha256 } from '../dataset/content-hash.js';
import { createAndLock } from '../dataset/lock.js';
import { contentKey, manifestFormats, readManifestIfAny, schemaMismatch } from '../dataset/manifest-file.js';
import { describeFilter } from '../filter/index.js';
import type { Manifest } from '../dataset/manifest.js';
import { mergeLocked, type MergeResult } from '../dataset/merge.js';
import { stagingName, sweepDataset } from '../dataset/sweep.js';
import { removeEmptyUpTo } from '../formats/byte-sink.js';
import { convertMany, expandInputs, type InputOutcome, type ManyOptions } from './convert-many.js';

/** `formats`, when given, must be the dataset's (one dataset, one set of formats); omitted, the dataset's are used. */
export type AppendOptions = Omit<ManyOptions, 'force'> & {
  onNote?: (line: string) => void;
};

export interface AppendResult {
  manifest: Manifest;
  outcomes: InputOutcome[];
  /** Inputs left out as already in the dataset (or named twice). */
  skipped: number;
  merge: MergeResult | null;
}

/** Staging folders of appends running now: removed on exit (a signal) with whatever they hold. */
const staging = new Set<string>();
let exitHook = false;

export async function appendInputs(o: AppendOptions): Promise<AppendResult> {
  const { lock, made } = createAndLock(o.outDir);
  const stage = join(o.outDir, stagingName(process.pid));
  let done = false;
  try {
    const result = await appendLocked(o, stage);
    done = true;
    return result;
  } finally {
    rmSync(stage, { recursive: true, force: true });
    staging.delete(stage);
    lock.release();
    // A new folder that got nothing (every input skipped or failed) is removed again.
    if (!done && made) removeEmptyUpTo(made[0], made[1]);
  }
}

async function appendLocked(o: AppendOptions, stage: string): Promise<AppendResult> {
  const note = o.onNote ?? ((l: string) => process.stderr.write(`${l}\n`));
  const base = readManifestIfAny(o.outDir);
  // Checked before converting anything: the merge would refuse it after the work.
  const mismatch = base === null ? null : schemaMismatch(base);
  if (mismatch !== null)
    throw new NetdevTimesError(
      `${o.outDir}: written with other table schema versions than this netdev-times writes (${mismatch}); convert its inputs again with this version`,
      1,
    );
  if (base !== null && o.formats !== undefined) {
    const have = manifestFormats(base).join(',');
    if (o.formats.join(',') !== have)
      throw new NetdevTimesError(`${o.outDir}: holds ${have} files; append with -f ${have}`, 2);
  }
  // Leftovers of a writer killed outright: partitions the manifest does not list, temporary files.
  sweepDataset(o.outDir, base);
  const { files, unreadable } = expandInputs(o.inputs, o.outDir);
  if (files.length === 0 && unreadable.length === 0) throw new NetdevTimesError('no input files found', 2);
  const known = new Map<string, string>();
  for (const i of base?.inputs ?? []) {
    const key = contentKey(i.sha256, i.filter);
    if (key !== null) known.set(key, i.source ?? i.path);
  }
  // The new inputs are converted with this filter: the same content filtered otherwise is other rows. As the
  // manifest records it (convert.ts): the filters' words and --dev.
  const filter =
    o.filter || o.dev !== undefined
      ? { ...(o.filter && describeFilter(o.filter)), ...(o.dev !== undefined && { dev: o.dev }) }
      : undefined;
  const fresh: string[] = [];
  // Hashed once here: the conversion records these rather than reading each input a second time.
  const knownSha256: Record<string, string | null> = {};
  let skipped = 0;
  for (const f of files) {
    const sha256 = await fileSha256(f);
    knownSha256[f] = sha256;
    const key = contentKey(sha256, filter);
    const there = key === null ? undefined : known.get(key);
    if (there !== undefined) {
      skipped++;
      note(`netdev-times: ${f}: already in ${o.outDir} (as ${there}, same SHA-256); skipped`);
      continue;
    }
    if (key !== null) known.set(key, f);
    fresh.push(f);
  }
  // Folder entries that could not be read go to the conversion, which reports each (a failed input).
  const toConvert = [...fresh, ...unreadable.map((u) => u.path)];
  if (toConvert.length === 0) {
    note(`netdev-times: ${o.outDir}: nothing new to append`);
    if (base === null) throw new NetdevTimesError('no input to append', 2);
    return { manifest: base, outcomes: [], skipped, merge: null };
  }
  staging.add(stage);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const s of staging) rmSync(s, { recursive: true, force: true });
    });
  }
  const { onNote: _note, ...many } = o;
  const { outcomes } = await convertMany({
    ...many,
    formats: base === null ? (o.formats ?? ['parquet']) : manifestFormats(base),
    inputs: toConvert,
    outDir: stage,
    knownSha256,
  });
  if (!outcomes.some((x) => x.ok)) {
    // Nothing converted: the dataset stays as it was (each failure was reported).
    if (base === null) throw new NetdevTimesError(`every input failed; nothing written to ${o.outDir}`, 1);
    return { manifest: base, outcomes, skipped, merge: null };
  }
  const merge = mergeLocked({ outDir: o.outDir, from: [stage], base, onNote: note });
  return { manifest: merge.manifest, outcomes, skipped, merge };
}
