/**
 * The whole pipeline for one input: decode -> normalise -> correlate -> emit, streamed batch by batch.
 * Memory holds one input chunk's batches, the correlator's bounded state and the encoders' row groups.
 */
import {
  correlationJson,
  datasetRelative,
  lineAccounting,
  tablesOf,
  type InputSummary,
  type Manifest,
  recordingMetadata,
} from '../dataset/manifest.js';
import { existsSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import type { RejectedLine } from '../decode/text/decoder.js';
import { isRegularFile, xzSize, type InputKind } from '../input/open.js';
import type { ReadMeter } from '../input/meter.js';
import { notATrace } from '../decode/text/looks-like.js';
import { TraceStats } from '../normalise/trace-stats.js';
import { NetdevTimesError } from '../core/errors.js';
import { Correlator, DevFilter, devEvents, flaggedWarnings } from '../correlate/index.js';
import { TABLE_NAMES } from '../tables/tables.js';
import type { TableChunk } from '../core/columns.js';
import { eventsChunk } from '../normalise/events-table.js';
import { lostChunk } from '../tables/lost-rows.js';
import { REJECT_CHUNK_ROWS, RejectRows } from '../tables/reject-rows.js';
import { openTraceSource } from './source.js';
import { describeFilter, type FilterSpec } from '../filter/index.js';
import { tableSpec } from '../tables/schema.js';
import { pruneDataset } from '../dataset/dataset.js';
import { lockOutput, type OutputLock } from '../dataset/lock.js';
import { fileSha256 } from '../dataset/content-hash.js';
import { partitionDir } from '../dataset/layout.js';
import { TableOutput, type OutputFormat, type WrittenFile } from '../dataset/table-output.js';
import { EncoderThread } from '../formats/parquet/encoder-thread.js';
import {
  CommitGroup,
  StreamSink,
  describeFsError,
  forgetMadeFolder,
  makeDirs,
  noteMadeFolder,
  removeEmptyUpTo,
  writeFileAtomic,
} from '../formats/byte-sink.js';
import { toolVersion } from '../core/version.js';

/** Where a table's files go: `<outDir>/<table>.<fmt>`, or hive-style `<outDir>/<table>/source=<name>/part-0.<fmt>`. */
export type Placement = { kind: 'flat' } | { kind: 'partition'; source: string };

export function tableDir(outDir: string, table: string, placement: Placement): { dir: string; file: string } {
  return placement.kind === 'flat'
    ? { dir: outDir, file: table }
    : { dir: join(outDir, table, `source=${placement.source}`), file: 'part-0' };
}

export interface ConvertOptions {
  /** A file path, or '-' for stdin. */
  input: string;
  outDir: string;
  placement?: Placement;
  /** Write the manifest (single-input conversions do; a batch writes one for all). */
  writeManifest?: boolean;
  formats?: OutputFormat[];
  /** Keep the raw payload of every event, not only of those without typed columns. */
  /** The input's SHA-256 when the caller has hashed it already (append): recorded, not computed again. */
  sha256?: string | null;
  payload?: boolean;
  batchSize?: number;
  /** Instead of files: one table as an Arrow IPC stream to `sink` (stdout for `-o -`). */
  stream?: { table: string; sink: NodeJS.WritableStream };
  /** Called after each input chunk with the bytes read and events decoded so far. */
  onProgress?: (bytes: number, events: number) => void;
  /** Counts the input's bytes as stored (compressed, or from a stream): for progress. */
  meter?: ReadMeter;
  /** Entries per matching list (the reference's 65,536). */
  budget?: number;
  /** Fail on the first rejected line instead of recording it in the rejects table. */
  strict?: boolean;
  /** Replace a dataset already in outDir (otherwise refused). */
  force?: boolean;
  /** perf binary for perf.data inputs. */
  perf?: string;
  /** perf.data through `perf script` instead of the native reader. */
  viaPerf?: boolean;
  /** A kallsyms file of the recording's kernel (perf.data). */
  kallsyms?: string;
  onReject?: (r: RejectedLine) => void;
  /** perf script's event filters (--time, --cpu, --comm, --pid, --tid): the tables hold what they select. */
  filter?: FilterSpec | null;
  /** Only the rows of this device (a substring of device and IRQ names, as the report's dev=): DevFilter. */
  dev?: string;
}

export interface ConvertResult {
  manifest: Manifest;
  manifestPath: string;
}

const keyed = (names: string[], counts: ArrayLike<number | undefined>): Record<string, number> => {
  const out: Record<string, number> = {};
  for (let id = 0; id < names.length; id++) {
    const c = counts[id];
    if (c) out[names[id]] = c;
  }
  return out;
};

/**
 * NETDEV_TIMES_THREADS as set: 1 keeps convert on this thread, 2 (or more) encodes Parquet on a second one;
 * undefined when unset or not a positive integer (the default then decides).
 */
function threadsSetting(): number | undefined {
  const v = Number(process.env.NETDEV_TIMES_THREADS);
  return process.env.NETDEV_TIMES_THREADS !== undefined && Number.isInteger(v) && v >= 1 ? v : undefined;
}

/** Text from this size on (plain, or .xz decompressed) gets the Parquet thread by default. */
const PARQUET_THREAD_BYTES = 32 << 20;

/**
 * Parquet encoding on a second thread: as NETDEV_TIMES_THREADS says (1 or >= 2) when it is set, else where it
 * was measured to pay (README, Performance), with a second core: plain text of 32 MiB or more (tcp-bulk's
 * 60 MB converted in 10-17% less wall time, ten of it in 30% less; at 20 MB it broke even and below it was
 * slower, the thread's start-up and its own compiling costing more than it took over), and .xz of as much
 * text (its size from the xz index; tcp-bulk's 3 MB .xz: ~10% less). Not for .gz (measured no faster). perf.data of 32 MiB or
 * more, read natively, gets it as text does: tcp-bulk.data (45 MB) 1.89-2.35 s with it, 2.08-2.77 s without
 * (3 interleaved pairs, 2026-12-04). Never inside a worker thread (convertMany's
 * workers each convert an input of their own).
 */
export async function parquetThreadPays(path: string, kind: InputKind): Promise<boolean> {
  if (!isMainThread) return false;
  const set = threadsSetting();
  if (set !== undefined) return set >= 2;
  // A pipe (`<(...)`, a FIFO, /dev/stdin) has no size to go by, and `xz --list` would read it.
  if (!isRegularFile(path) || availableParallelism() < 2) return false;
  if (kind === 'xz') return ((await xzSize(path)) ?? 0) >= PARQUET_THREAD_BYTES;
  // perf.data is read natively now: no perf script takes the second core, so a large one gets the thread too.
  if (kind !== 'text' && kind !== 'perf-data') return false;
  return stat(path).then(
    (s) => s.isFile() && s.size >= PARQUET_THREAD_BYTES,
    () => false,
  );
}

export async function convert(options: ConvertOptions): Promise<ConvertResult> {
  const formats = options.formats ?? ['parquet'];
  const stream = options.stream;
  if (stream) tableSpec(stream.table);
  if (!stream && (options.writeManifest ?? true)) refuseExistingDataset(options.outDir, options.force ?? false);
  const rejectedByReason: Record<string, number> = {};
  const rejects = new RejectRows(options.input);
  // The file's bytes as stored: what says that an input is already in a dataset (append, merge). Hashed
  // while it is decoded, not before: awaited first, the hash put 0.15-0.25 s in front of tcp-bulk's 1.4 s.
  const sha256Soon =
    stream || options.sha256 !== undefined ? Promise.resolve(options.sha256 ?? null) : fileSha256(options.input);
  const input = await openTraceSource(options.input, {
    // Every output has copied or written a batch before the next is asked for, except a stream (stdout),
    // which may still hold views of it.
    recycle: !stream,
    perf: options.perf,
    viaPerf: options.viaPerf,
    kallsyms: options.kallsyms,
    meter: options.meter,
    filter: options.filter,
    batchSize: options.batchSize,
    keepAllPayloads: options.payload ?? false,
    onReject: (r) => {
      if (options.strict) throw new NetdevTimesError(`${options.input}:${r.line}: ${r.reason}`, 1);
      rejectedByReason[r.reason] = (rejectedByReason[r.reason] ?? 0) + 1;
      rejects.add(r);
      options.onReject?.(r);
    },
  });
  // Started before the first batch is decoded: its start-up (a V8 isolate, parquet-wasm loaded and compiled)
  // overlaps this thread's first batches.
  const encoder =
    !stream && formats.includes('parquet') && (await parquetThreadPays(options.input, input.kind))
      ? EncoderThread.start()
      : null;
  /** Folders this run created, as [deepest, first created]: removed again (when empty) if it fails. */
  const createdDirs: [string, string][] = [];
  const makeDir = (dir: string): void => {
    let first: string | undefined;
    try {
      first = makeDirs(dir);
    } catch (e) {
      throw new NetdevTimesError(`${dir}: cannot create the output folder (${describeFsError(e)})`, 3);
    }
    if (first !== undefined) {
      const made: [string, string] = [dir, first];
      createdDirs.push(made);
      noteMadeFolder(made);
    }
  };
  /** One writer per output folder: held from before the first file to after the manifest. */
  let lock: OutputLock | null = null;
  if (!stream) {
    try {
      makeDir(options.outDir);
      if (options.writeManifest ?? true) {
        lock = lockOutput(options.outDir, createdDirs[0]);
        try {
          // Taken, the folder may have been completed by another run just before: refused as before.
          refuseExistingDataset(options.outDir, options.force ?? false);
        } catch (e) {
          lock.release();
          throw e;
        }
      }
    } catch (e) {
      await encoder?.stop();
      throw e;
    }
  }
  const placement = options.placement ?? { kind: 'flat' };
  const outputs: TableOutput[] = [];
  /** Every file of this run is renamed into place together, once all are complete (the manifest last). */
  const group = new CommitGroup();
  /** On failure: no temporary file, no new folder, and the previous dataset (if any) as it was. */
  const cleanUp = (): void => {
    lock?.release();
    for (const o of outputs) o.abort();
    void encoder?.stop();
    group.abort();
    for (const made of createdDirs.reverse()) {
      removeEmptyUpTo(made[0], made[1]);
      forgetMadeFolder(made);
    }
  };
  /** The output of a table, or null when this run does not write it (streaming another table). */
  const target = (table: string): TableOutput | null => {
    let out: TableOutput;
    try {
      if (stream) {
        if (stream.table !== table) return null;
        out = new TableOutput(table).toStream(new StreamSink(stream.sink), '-');
      } else {
        const { file } = tableDir(options.outDir, table, placement);
        out = new TableOutput(table, encoder, recordingMetadata(input.metadata));
        for (const format of formats) {
          // Partitioned in both formats, Arrow has a tree of its own (dataset/layout.ts).
          const dir =
            placement.kind === 'flat'
              ? options.outDir
              : partitionDir(options.outDir, table, placement.source, format, formats);
          makeDir(dir);
          out.toFiles(dir, [format], file, group);
        }
      }
    } catch (e) {
      cleanUp();
      throw e;
    }
    outputs.push(out);
    return out;
  };
  const events = target('events');
  const correlated = new Map<string, TableOutput | null>();
  for (const t of TABLE_NAMES) correlated.set(t, target(t));
  const chunks: { table: string; chunk: TableChunk }[] = [];
  const keep = (table: string, chunk: TableChunk): void => {
    if (correlated.get(table)) chunks.push({ table, chunk });
  };
  const devFilter = options.dev === undefined ? null : new DevFilter(options.dev, keep);
  const correlator = new Correlator(
    devFilter ? (table, chunk) => devFilter.push(table, chunk) : keep,
    // The lost records, as the decoder adds them: rows near them are flagged (lost_near).
    { budget: options.budget, lost: input.lost },
  );
  const stats = new TraceStats();
  const rejectsOut = target('rejects');
  const lostOut = target('lost');
  // One write at a time per table: each writer awaits its encoder before it takes the next batch.
  const flushChunks = async (): Promise<void> => {
    for (const { table, chunk } of chunks.splice(0)) await correlated.get(table)?.write(chunk);
  };
  try {
    for await (const batch of input.batches()) {
      stats.add(batch.raw);
      correlator.push(batch);
      if (events) {
        const all = eventsChunk(batch);
        const rows = options.dev === undefined ? all : devEvents(options.dev, all);
        if (rows) await events.write(rows);
      }
      await flushChunks();
      if (rejects.length >= REJECT_CHUNK_ROWS) await rejectsOut?.write(rejects.take());
      options.onProgress?.(input.bytes, input.counts.events);
    }
    if (rejects.length > 0) await rejectsOut?.write(rejects.take());
    if (input.lost.records > 0) await lostOut?.write(lostChunk(input.lost));
    options.onProgress?.(input.bytes, input.counts.events);
    const correlation = correlator.finish();
    devFilter?.finish();
    await flushChunks();
    const notTrace = notATrace(options.input, input.counts, input.head);
    if (notTrace) throw notTrace;
    const files: WrittenFile[] = [];
    for (const o of outputs) files.push(...(await o.close()));
    await encoder?.stop();
    const range = stats.range();
    const str = (v: bigint | null): string | null => (v === null ? null : v.toString());
    const summary: InputSummary = {
      path: datasetRelative(options.outDir, options.input),
      bytes: isRegularFile(options.input) ? statSync(options.input).size : input.bytes,
      kind: input.kind,
      lines: lineAccounting(input.counts),
      events_by_type: keyed(input.events.values, stats.perEvent),
      unparsed_by_type: keyed(input.events.values, idsToArray(input.unparsed)),
      rejected_by_reason: rejectedByReason,
      first_time_ns: str(range.first),
      last_time_ns: str(range.last),
      min_time_ns: str(range.min),
      max_time_ns: str(range.max),
      out_of_order: stats.outOfOrder,
      lost_events: input.lost.total,
      lost_records: input.lost.records,
      lost_samples: input.lost.samples,
      recording: input.metadata,
      symbols: input.symbols,
      warnings: [...input.warnings, ...flaggedWarnings(correlation)],
      unterminated_last_line: input.unterminatedLastLine,
      ...((options.filter || options.dev !== undefined) && {
        filter: {
          ...(options.filter && describeFilter(options.filter)),
          ...(options.dev !== undefined && { dev: options.dev }),
          events_filtered_out: input.filteredOut,
        },
      }),
      sha256: await sha256Soon,
    };
    const manifest: Manifest = {
      tool: { name: 'netdev-times', version: toolVersion() },
      schema_versions: Object.fromEntries(outputs.map((o) => [o.spec.table, tableSpec(o.spec.table).version])),
      created: new Date().toISOString(),
      lost_events: summary.lost_events,
      inputs: [summary],
      tables: tablesOf(files, options.outDir),
      correlation: correlationJson(correlation),
    };
    const manifestPath = join(options.outDir, 'manifest.json');
    if (!stream && (options.writeManifest ?? true))
      writeFileAtomic(manifestPath, JSON.stringify(manifest, null, 2) + '\n', group);
    group.commit();
    for (const made of createdDirs) forgetMadeFolder(made);
    // A replaced dataset keeps nothing of the previous one, removed while the folder is still this run's.
    if (lock !== null && options.force)
      pruneDataset(
        options.outDir,
        files.map((f) => f.path),
      );
    lock?.release();
    return { manifest, manifestPath };
  } catch (e) {
    cleanUp();
    throw e;
  }
}

function idsToArray(m: Map<number, number>): number[] {
  const out: number[] = [];
  for (const [id, n] of m) out[id] = n;
  return out;
}

/** A folder that already holds a dataset (a manifest) is only replaced when asked to. */
export function refuseExistingDataset(outDir: string, force: boolean): void {
  if (!force && existsSync(join(outDir, 'manifest.json'))) {
    throw new NetdevTimesError(`${outDir}: already holds a dataset (manifest.json); use --force to replace it`, 2);
  }
}
