/**
 * Many inputs into one hive-partitioned dataset (`<out>/<table>/source=<name>/part-0.parquet`), one input per
 * worker thread so both cores work. A failed input is reported and leaves the others intact.
 */
import { startWorker } from '../core/worker.js';
import { readdirSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { NetdevTimesError } from '../core/errors.js';
import { writeFileAtomic } from '../formats/byte-sink.js';
import { refuseExistingDataset, type ConvertOptions } from './convert.js';
import { pruneDataset } from '../dataset/dataset.js';
import { ARROW_TREE, partitionFolder } from '../dataset/layout.js';
import { partitionValues } from '../dataset/partition-name.js';
import { createAndLock } from '../dataset/lock.js';
import { datasetRelative, type InputSummary, type Json, type Manifest } from '../dataset/manifest.js';
import { toolVersion } from '../core/version.js';

export interface InputOutcome {
  input: string;
  source: string;
  ok: boolean;
  error?: string;
  exitCode?: number;
  manifest?: Manifest;
}

export type ManyOptions = Omit<ConvertOptions, 'input' | 'placement' | 'writeManifest' | 'onReject' | 'sha256'> & {
  inputs: string[];
  /** SHA-256s the caller has already, by input path (append hashes to skip duplicates): not computed again. */
  knownSha256?: Record<string, string | null>;
  /** Worker threads (default: one per core, at most one per input). */
  jobs?: number;
  onInputDone?: (o: InputOutcome) => void;
};

/** An entry of a folder walk that could not be read (a dangling link, a link loop, no permission). */
export interface Unreadable {
  path: string;
  error: string;
}

const codeOf = (e: unknown): string =>
  e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : String(e);

/**
 * Files named by the arguments: folders are walked (sorted, hidden entries skipped), each folder once
 * (a symbolic link back to a folder already walked is not followed again), never into `skipDir` (the output
 * folder, when it lies inside an input folder). A folder entry that cannot be read is listed in `unreadable`;
 * a path named on the command line stays an input (its conversion says why it cannot be read).
 */
export function expandInputs(args: string[], skipDir?: string): { files: string[]; unreadable: Unreadable[] } {
  const files: string[] = [];
  const unreadable: Unreadable[] = [];
  const idOf = (st: { dev: number; ino: number }): string => `${st.dev}:${st.ino}`;
  const seen = new Set<string>();
  let skip: string | null = null;
  if (skipDir !== undefined) {
    try {
      skip = idOf(statSync(skipDir));
    } catch {
      skip = null;
    }
  }
  const walk = (p: string, named: boolean): void => {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      if (named)
        files.push(p); // reported as unreadable by its own conversion
      else unreadable.push({ path: p, error: `cannot open (${codeOf(e)})` });
      return;
    }
    if (!st.isDirectory()) {
      files.push(p);
      return;
    }
    const id = idOf(st);
    if (id === skip || seen.has(id)) return;
    seen.add(id);
    let names: string[];
    try {
      names = readdirSync(p).sort();
    } catch (e) {
      unreadable.push({ path: p, error: `cannot read the folder (${codeOf(e)})` });
      return;
    }
    for (const name of names) if (!name.startsWith('.')) walk(join(p, name), false);
  };
  for (const a of args) walk(a, true);
  return { files, unreadable };
}

/** A hive partition value per input: see dataset/layout.ts. */
export const sourceNames = (inputs: string[]): string[] => partitionValues(inputs);

export async function convertMany(options: ManyOptions): Promise<{ manifest: Manifest; outcomes: InputOutcome[] }> {
  refuseExistingDataset(options.outDir, options.force ?? false);
  // The batch's folder exists before any worker starts: a failed input removes only the folders it created.
  const { lock } = createAndLock(options.outDir);
  try {
    // Taken, the folder may have been completed by another run just before: it is refused as before.
    refuseExistingDataset(options.outDir, options.force ?? false);
    return await convertLocked(options);
  } finally {
    lock.release();
  }
}

async function convertLocked(options: ManyOptions): Promise<{ manifest: Manifest; outcomes: InputOutcome[] }> {
  const { files: inputs, unreadable } = expandInputs(options.inputs, options.outDir);
  if (inputs.length === 0) throw new NetdevTimesError('no input files found', 2);
  const sources = partitionValues(inputs);
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), inputs.length));
  const outcomes: InputOutcome[] = new Array<InputOutcome>(inputs.length);
  const { inputs: _ignored, onInputDone, jobs: _jobs, knownSha256, ...common } = options;
  let next = 0;
  const fail = (i: number, error: string, exitCode: number): InputOutcome => ({
    input: inputs[i],
    source: sources[i],
    ok: false,
    error,
    exitCode,
  });
  /** One worker converts inputs one after another; a worker that dies fails its input and is replaced. */
  const runWorker = async (): Promise<void> => {
    let worker: Worker | null = null;
    try {
      for (;;) {
        const i = next++;
        if (i >= inputs.length) return;
        const task: ConvertOptions = {
          ...common,
          input: inputs[i],
          placement: { kind: 'partition', source: sources[i] },
          writeManifest: false,
          force: true,
          ...(knownSha256 !== undefined && inputs[i] in knownSha256 && { sha256: knownSha256[inputs[i]] }),
        };
        const w: Worker = worker ?? track(startWorker(import.meta.url, 'convert-worker'));
        worker = w;
        const outcome = await new Promise<InputOutcome>((resolve) => {
          const done = (o: InputOutcome): void => {
            w.off('message', onMessage);
            w.off('error', onError);
            w.off('exit', onExit);
            resolve(o);
          };
          const onMessage = (m: WorkerReply): void =>
            done(
              m.ok
                ? { input: inputs[i], source: sources[i], ok: true, manifest: m.manifest }
                : fail(i, m.message, m.exitCode),
            );
          const dead = (why: string): void => {
            worker = null;
            // It could not abort its outputs: remove its temporary files here.
            removeTempFiles(options.outDir, sources[i]);
            done(fail(i, `${inputs[i]}: ${why}`, 70));
          };
          const onError = (e: Error): void => dead(`internal error in the conversion worker: ${e.message}`);
          const onExit = (code: number): void => dead(`the conversion worker exited (code ${code})`);
          w.on('message', onMessage);
          w.on('error', onError);
          w.on('exit', onExit);
          w.postMessage(task);
        });
        outcomes[i] = outcome;
        onInputDone?.(outcome);
      }
    } finally {
      await worker?.terminate();
    }
  };
  active.add(options.outDir);
  try {
    await Promise.all(Array.from({ length: jobs }, runWorker));
  } finally {
    active.delete(options.outDir);
  }
  // Folder entries that could not be read: failed inputs, reported like the others; the rest are converted.
  for (const u of unreadable) {
    const o: InputOutcome = { input: u.path, source: '', ok: false, error: `${u.path}: ${u.error}`, exitCode: 2 };
    outcomes.push(o);
    onInputDone?.(o);
  }
  const manifest = mergeManifests(outcomes, options.outDir);
  writeFileAtomic(join(options.outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  // A replaced dataset keeps no partition of the previous one (nor of an input that failed this time).
  if (options.force)
    pruneDataset(
      options.outDir,
      manifest.tables.flatMap((t) => t.files.map((f) => join(options.outDir, f.path))),
    );
  return { manifest, outcomes };
}

/** Output folders of the batch conversions running now. */
const active = new Set<string>();

/**
 * For SIGINT/SIGTERM: the workers' temporary files live in their threads, out of reach of the main thread's
 * abortAllFileSinks, so they are removed by name (`.<file>.tmp-<pid>` in the partitions of running batches).
 */
export function abortAllBatches(): void {
  for (const dir of active) removeTempFiles(dir);
}

const workers = new Set<Worker>();

function track(w: Worker): Worker {
  workers.add(w);
  w.once('exit', () => workers.delete(w));
  return w;
}

/**
 * Stops every conversion worker, then removes their temporary files: a worker still running after the
 * sweep could open a new one.
 */
export async function stopAllBatches(): Promise<void> {
  await Promise.all([...workers].map((w) => w.terminate()));
  abortAllBatches();
}

const list = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

/** Removes this process's temporary files from the partitions (of one source, or all), then empty partitions. */
function removeTempFiles(outDir: string, source?: string): void {
  const suffix = `.tmp-${process.pid}`;
  // The table folders, and those of the Arrow tree of a dataset in both formats (dataset/layout.ts).
  const tables = [...list(outDir), ...list(join(outDir, ARROW_TREE)).map((t) => join(ARROW_TREE, t))];
  for (const table of tables) {
    const tableDir = join(outDir, table);
    for (const part of list(tableDir)) {
      if (!part.startsWith('source=') || (source !== undefined && part !== partitionFolder(source))) continue;
      const partDir = join(tableDir, part);
      for (const f of list(partDir)) {
        if (!f.startsWith('.') || !f.endsWith(suffix)) continue;
        try {
          unlinkSync(join(partDir, f));
        } catch {
          // already renamed or removed
        }
      }
      removeIfEmpty(partDir);
    }
    if (source === undefined) removeIfEmpty(tableDir);
  }
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (or not a folder): keep it
  }
}

export type WorkerReply = { ok: true; manifest: Manifest } | { ok: false; message: string; exitCode: number };

function mergeManifests(outcomes: InputOutcome[], outDir: string): Manifest {
  const inputs: (InputSummary & { source: string })[] = [];
  const tables = new Map<string, Manifest['tables'][number]>();
  let schemaVersions: Record<string, string> = {};
  let correlation: Record<string, Json> | undefined;
  for (const o of outcomes) {
    if (!o.manifest) continue;
    schemaVersions = { ...schemaVersions, ...o.manifest.schema_versions };
    for (const inp of o.manifest.inputs) inputs.push({ ...inp, source: o.source });
    for (const t of o.manifest.tables) {
      const m = tables.get(t.name) ?? { name: t.name, rows: 0, files: [] };
      m.rows += t.rows;
      m.files.push(...t.files);
      tables.set(t.name, m);
    }
    if (o.manifest.correlation !== undefined) (correlation ??= {})[o.source] = o.manifest.correlation;
  }
  return {
    tool: { name: 'netdev-times', version: toolVersion() },
    schema_versions: schemaVersions,
    created: new Date().toISOString(),
    lost_events: inputs.reduce((n, i) => n + i.lost_events, 0),
    inputs,
    failed: outcomes
      .filter((o) => !o.ok)
      .map((o) => ({ path: datasetRelative(outDir, o.input), source: o.source, error: o.error ?? '' })),
    tables: [...tables.values()],
    partitions: Object.fromEntries(
      outcomes.filter((o) => o.ok).map((o) => [partitionFolder(o.source), datasetRelative(outDir, o.input)]),
    ),
    ...(correlation ? { correlation } : {}),
  };
}
