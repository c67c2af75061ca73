/**
 * Datasets joined into one hive-partitioned dataset: each input of each dataset becomes a partition of the
 * result under a name unique in it, its files hard-linked (copied across file systems), and the manifest
 * rewritten to list them. An input whose content (SHA-256) is already there is skipped, and said.
 *
 * Atomic by the manifest: the files are placed under temporary names, renamed into new partition folders,
 * and only then is the new manifest renamed over the old one. A failure or a signal before that removes what
 * was placed; a process killed outright leaves partitions the manifest does not list, which the readers
 * ignore (they go by the manifest) and the next writer removes (sweep.ts). Either way the dataset reads as
 * the old one or as the new one.
 */
import { copyFileSync, linkSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { NetdevTimesError } from '../core/errors.js';
import { toolVersion } from '../core/version.js';
import { makeDirs, removeEmptyUpTo, tempName, writeFileAtomic } from '../formats/byte-sink.js';
import { tableNames, tableSpec } from '../tables/schema.js';
import { partitionFolder, tableFilePath, type Format } from './layout.js';
import { partitionValue, uniqueValue } from './partition-name.js';
import { createAndLock } from './lock.js';
import {
  contentKey,
  isPartitioned,
  manifestFormats,
  MANIFEST,
  readManifest,
  readManifestIfAny,
  schemaMismatch,
} from './manifest-file.js';
import type { InputSummary, Json, Manifest } from './manifest.js';
import { readTableFile } from './read-table.js';
import { sweepDataset } from './sweep.js';

/** Exit code of datasets that cannot be joined (schema versions, formats): as of input that is not usable. */
const INCOMPATIBLE = 1;

export interface MergeOptions {
  outDir: string;
  /** Dataset folders whose inputs are added. */
  from: readonly string[];
  /** The dataset already in outDir (read under its lock), kept and added to; null for a new one. */
  base: Manifest | null;
  /** Lines for stderr: inputs skipped as already there. */
  onNote?: (line: string) => void;
  /** Called before each step that changes the file system (tests make one fail, or kill the process there). */
  step?: (what: string) => void;
}

export interface MergeResult {
  manifest: Manifest;
  /** Partitions added, skipped as already in the dataset, files hard-linked and copied. */
  added: number;
  skipped: number;
  linked: number;
  copied: number;
}

/** One input of one dataset, becoming partition `source` of the result. */
interface Part {
  dir: string;
  manifest: Manifest;
  input: InputSummary;
  /** Its partition in its dataset; null in a flat one. */
  from: string | null;
  source: string;
}

interface Placement {
  src: string;
  dst: string;
  table: string;
  format: Format;
  rows: number;
}

const sourceOf = (input: InputSummary): string | null => input.source ?? null;

/** The datasets' manifests, checked: this version's schemas, one set of formats. One line (exit 1) if not. */
export function loadMergeable(dirs: readonly string[], base: Manifest | null, outDir: string): Manifest[] {
  const all = dirs.map((d) => ({ dir: d, m: readManifest(d) }));
  if (base !== null) all.unshift({ dir: outDir, m: base });
  for (const { dir, m } of all) {
    const why = schemaMismatch(m);
    if (why !== null)
      throw new NetdevTimesError(
        `${dir}: written with other table schema versions than this netdev-times (${toolVersion()}) writes (${why}); convert its inputs again with this version`,
        INCOMPATIBLE,
      );
  }
  const first = all[0];
  const formats = (m: Manifest): string => manifestFormats(m).join(',');
  for (const { dir, m } of all.slice(1))
    if (formats(m) !== formats(first.m))
      throw new NetdevTimesError(
        `${dir}: holds ${formats(m)} files, ${first.dir} ${formats(first.m)}: join datasets converted with the same -f`,
        INCOMPATIBLE,
      );
  return all.slice(base === null ? 0 : 1).map((x) => x.m);
}

/** An input path of the manifest of `dir`, as the user would type it from here. */
const shown = (dir: string, path: string): string => (path === '<stdin>' ? path : relative('.', resolve(dir, path)));

/** A path of a manifest (relative to its dataset `dir`) relative to `outDir` instead. */
const rebase = (path: string, dir: string, outDir: string): string =>
  path === '<stdin>' ? path : relative(outDir, resolve(dir, path)) || '.';

/** Rows of a file whose manifest entry does not say (datasets written before it did): read and counted. */
function rowsOf(path: string, table: string): number {
  return readTableFile(path, table).reduce((n, c) => n + c.chunk.length, 0);
}

/** The table files of one input of a dataset, each with its rows. */
function filesOf(
  dir: string,
  m: Manifest,
  from: string | null,
): { table: string; format: Format; path: string; rows: number }[] {
  const out: { table: string; format: Format; path: string; rows: number }[] = [];
  for (const t of m.tables)
    for (const f of t.files) {
      if (f.format !== 'parquet' && f.format !== 'arrow') continue;
      if (from !== null && !f.path.split(/[\\/]/).includes(partitionFolder(from))) continue;
      const path = join(dir, f.path);
      try {
        statSync(path);
      } catch {
        throw new NetdevTimesError(`${path}: listed in ${join(dir, MANIFEST)} but missing; convert it again`, 1);
      }
      out.push({
        table: t.name,
        format: f.format,
        path,
        rows: f.rows ?? (from === null ? t.rows : rowsOf(path, t.name)),
      });
    }
  return out;
}

/** `src` hard-linked to `dst` where both are on one file system (no bytes copied), copied otherwise. */
function linkOrCopy(src: string, dst: string): 'linked' | 'copied' {
  try {
    linkSync(src, dst);
    return 'linked';
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? e.code : '';
    // EXDEV: another file system; EPERM/ENOTSUP/EOPNOTSUPP: one without hard links; EMLINK: too many links.
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EMLINK')
      throw e;
    copyFileSync(src, dst);
    return 'copied';
  }
}

/** What this process placed and has not committed yet: removed on exit (a signal) if it never is. */
const pending = new Set<() => void>();
let exitHook = false;

/**
 * Adds the inputs of the datasets in `from` to the one in `outDir` (`base`, or none), the caller holding
 * outDir's lock (lock.ts). Throws (exit 1) on datasets of other schema versions or formats.
 */
export function mergeLocked(o: MergeOptions): MergeResult {
  const manifests = loadMergeable(o.from, o.base, o.outDir);
  const formats = manifestFormats(o.base ?? manifests[0]);
  const taken = new Set<string>(
    Object.keys(o.base?.partitions ?? {}).map((p) => p.slice('source='.length).toLowerCase()),
  );
  const seen = new Map<string, string>();
  const parts: Part[] = [];
  // A flat base becomes the first partition of the result, named as a many-input conversion would name it.
  if (o.base !== null && !isPartitioned(o.base)) {
    for (const input of o.base.inputs)
      parts.push({
        dir: o.outDir,
        manifest: o.base,
        input,
        from: null,
        source: uniqueValue(nameOf(input.path), taken),
      });
  }
  const baseInputs = o.base === null ? [] : isPartitioned(o.base) ? o.base.inputs : [];
  for (const p of [...baseInputs, ...parts.map((x) => x.input)]) {
    const key = contentKey(p.sha256, p.filter);
    if (key !== null) seen.set(key, `${o.outDir} (${shown(o.outDir, p.path)})`);
  }
  let skipped = 0;
  manifests.forEach((m, k) => {
    const dir = o.from[k];
    for (const input of m.inputs) {
      const from = isPartitioned(m) ? sourceOf(input) : null;
      if (isPartitioned(m) && from === null)
        throw new NetdevTimesError(`${join(dir, MANIFEST)}: an input without its source`, 1);
      const key = contentKey(input.sha256, input.filter);
      const already = key === null ? undefined : seen.get(key);
      if (already !== undefined) {
        skipped++;
        const where = from === null ? dir : `${dir} (${partitionFolder(from)})`;
        o.onNote?.(
          `netdev-times: ${where}: its input ${shown(dir, input.path)} is already in ${already} (same SHA-256 and filter); skipped`,
        );
        continue;
      }
      if (key !== null) seen.set(key, `${dir} (${shown(dir, input.path)})`);
      const source = uniqueValue(from ?? nameOf(resolve(dir, input.path)), taken);
      parts.push({ dir, manifest: m, input, from, source });
    }
  });
  const placements: Placement[] = parts.flatMap((p) =>
    filesOf(p.dir, p.manifest, p.from).map((f) => ({
      src: f.path,
      dst: tableFilePath(o.outDir, f.table, p.source, f.format, formats),
      table: f.table,
      format: f.format,
      rows: f.rows,
    })),
  );
  const manifest = mergedManifest(o, manifests, parts, placements, formats);
  const counts = commit(o, placements, manifest);
  const added = parts.length - (o.base !== null && !isPartitioned(o.base) ? o.base.inputs.length : 0);
  return { manifest, added, skipped, ...counts };
}

/** The partition name of an input named by `path` (a flat dataset's, which has none yet). */
const nameOf = (path: string): string => partitionValue(path === '<stdin>' ? '-' : path);

function mergedManifest(
  o: MergeOptions,
  manifests: Manifest[],
  parts: Part[],
  placements: Placement[],
  formats: Format[],
): Manifest {
  const base = o.base !== null && isPartitioned(o.base) ? o.base : null;
  const inputs: InputSummary[] = [...(base?.inputs ?? [])];
  const partitions: Record<string, string> = { ...(base?.partitions ?? {}) };
  const correlation: Record<string, Json> = {};
  const baseCorrelation = base?.correlation;
  if (typeof baseCorrelation === 'object' && baseCorrelation !== null && !Array.isArray(baseCorrelation))
    Object.assign(correlation, baseCorrelation);
  for (const p of parts) {
    const path = rebase(p.input.path, p.dir, o.outDir);
    inputs.push({ ...p.input, path, source: p.source });
    partitions[partitionFolder(p.source)] = path;
    const c = p.manifest.correlation;
    const own = p.from === null ? c : typeof c === 'object' && c !== null && !Array.isArray(c) ? c[p.from] : undefined;
    if (own !== undefined) correlation[p.source] = own;
  }
  const tables = new Map<string, Manifest['tables'][number]>();
  for (const t of base?.tables ?? []) tables.set(t.name, { ...t, files: [...t.files] });
  for (const pl of placements) {
    const t = tables.get(pl.table) ?? { name: pl.table, rows: 0, files: [] };
    // A table's rows once, however many formats hold them.
    if (pl.format === formats[0]) t.rows += pl.rows;
    const bytes = statSync(pl.src).size;
    t.files.push({ format: pl.format, path: relative(o.outDir, pl.dst), bytes, rows: pl.rows });
    tables.set(pl.table, t);
  }
  // Inputs that failed where their dataset was converted stay listed: their partitions are absent.
  const failed = [
    ...(base?.failed ?? []),
    ...manifests.flatMap((m, k) => (m.failed ?? []).map((f) => ({ ...f, path: rebase(f.path, o.from[k], o.outDir) }))),
  ];
  const first = o.base ?? parts[0]?.manifest;
  return {
    ...first,
    tool: { name: 'netdev-times', version: toolVersion() },
    schema_versions: Object.fromEntries(tableNames().map((t) => [t, tableSpec(t).version])),
    created: new Date().toISOString(),
    lost_events: inputs.reduce((n, i) => n + i.lost_events, 0),
    inputs,
    failed,
    tables: [...tables.values()],
    partitions,
    correlation,
  };
}

/**
 * Places every file under its temporary name, renames them into their (new) partition folders, then
 * renames the manifest into place; on failure before that last rename, removes all it placed.
 */
function commit(o: MergeOptions, placements: Placement[], manifest: Manifest): { linked: number; copied: number } {
  const step = o.step ?? (() => undefined);
  const temps: string[] = [];
  const placed: string[] = [];
  const made: [string, string][] = [];
  let committed = false;
  const rollback = (): void => {
    if (committed) return;
    for (const p of [...temps, ...placed]) {
      try {
        unlinkSync(p);
      } catch {
        // already gone
      }
    }
    for (const [deepest, first] of made.reverse()) removeEmptyUpTo(deepest, first);
  };
  pending.add(rollback);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const r of pending) r();
    });
  }
  let linked = 0;
  let copied = 0;
  try {
    for (const pl of placements) {
      const dir = dirname(pl.dst);
      const first = makeDirs(dir);
      if (first !== undefined) made.push([dir, first]);
      step(`place ${pl.dst}`);
      const tmp = tempName(pl.dst);
      temps.push(tmp);
      if (linkOrCopy(pl.src, tmp) === 'linked') linked++;
      else copied++;
    }
    for (const pl of placements) {
      step(`rename ${pl.dst}`);
      renameSync(tempName(pl.dst), pl.dst);
      temps.splice(temps.indexOf(tempName(pl.dst)), 1);
      placed.push(pl.dst);
    }
    step('manifest');
    writeFileAtomic(join(o.outDir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    committed = true;
  } catch (e) {
    rollback();
    throw e;
  } finally {
    pending.delete(rollback);
  }
  // Committed: a flat base's files now live in its partition; the old names go (sweep.ts does it if this dies).
  if (o.base !== null && !isPartitioned(o.base))
    for (const t of o.base.tables)
      for (const f of t.files) {
        step(`unlink ${f.path}`);
        try {
          unlinkSync(join(o.outDir, f.path));
        } catch {
          // already gone
        }
      }
  return { linked, copied };
}

/**
 * `merge A B ... -o OUT`: the datasets joined into OUT, a new folder, or with `append` the dataset already
 * there (kept, added to). Holds OUT's lock; the datasets read are not changed.
 */
export function mergeDatasets(o: Omit<MergeOptions, 'base'> & { append?: boolean }): MergeResult {
  if (o.from.length === 0) throw new NetdevTimesError('merge needs at least one dataset', 2);
  for (const d of o.from)
    if (resolve(d) === resolve(o.outDir))
      throw new NetdevTimesError(`${d}: is the output folder too; merge into another folder, or use --append`, 2);
  const { lock, made } = createAndLock(o.outDir);
  let done = false;
  try {
    const base = readManifestIfAny(o.outDir);
    if (base !== null && !o.append)
      throw new NetdevTimesError(
        `${o.outDir}: already holds a dataset (manifest.json); merge into a new folder, or add --append to add to it`,
        2,
      );
    sweepDataset(o.outDir, base);
    const result = mergeLocked({ ...o, base });
    done = true;
    return result;
  } finally {
    lock.release();
    if (!done && made) removeEmptyUpTo(made[0], made[1]);
  }
}
