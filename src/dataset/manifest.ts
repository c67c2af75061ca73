/** manifest.json: what was read, what was written, and the line accounting that proves nothing was dropped. */
import { relative } from 'node:path';
import type { PerfDataMetadata } from '../decode/perf-data/index.js';
import type { LineCounts } from '../decode/text/decoder.js';
import type { CorrelationStats } from '../correlate/index.js';
import type { WrittenFile } from './table-output.js';

/** A JSON value: what the manifest and every --json output are made of. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Line accounting of one input: lines = events + header + callchain_frames + blank + lost + rejected. */
export interface LineAccounting {
  lines: number;
  events: number;
  header: number;
  callchain_frames: number;
  blank: number;
  /** Lines that are the kernel's lost-event records (perf script --show-lost-events). */
  lost: number;
  rejected: number;
}

export interface InputSummary {
  /** The input, relative to the dataset folder ('<stdin>' for standard input). */
  path: string;
  bytes: number;
  kind: string;
  lines: LineAccounting;
  /** Events per event name, as perf prints it. */
  events_by_type: Record<string, number>;
  /** Netdev events whose payload did not parse (kept with their raw payload), per event name. */
  unparsed_by_type: Record<string, number>;
  /** Rejected lines per reason. */
  rejected_by_reason: Record<string, number>;
  /** int64 nanoseconds as decimal strings: JSON numbers cannot hold them exactly. */
  first_time_ns: string | null;
  last_time_ns: string | null;
  min_time_ns: string | null;
  max_time_ns: string | null;
  /** Events whose time is smaller than the previous event's (processed in input order regardless). */
  out_of_order: number;
  /** Events the kernel reported lost (the sum of its PERF_RECORD_LOST counts): see the `lost` table. */
  lost_events: number;
  /** Rows of the `lost` table: the LOST and LOST_SAMPLES records. */
  lost_records: number;
  /** Samples the kernel could not write (PERF_RECORD_LOST_SAMPLES; perf.data only). */
  lost_samples: number;
  /** What a perf.data recording says of itself (its header features); null for text. */
  recording: PerfDataMetadata | null;
  /** Where kernel symbols came from: perf script (text), a kallsyms file, this machine's, or none (hex). */
  symbols: string;
  /** What the reader had to work around (a recording cut short, unknown records); also printed on stderr. */
  warnings: string[];
  /** The last line had no newline after it: perf always ends its lines, so the file may have been cut short. */
  unterminated_last_line: boolean;
  /**
   * SHA-256 of the input file's bytes as stored (compressed ones for .gz/.xz), hex: an input already in a
   * dataset is recognised by it (append, merge). null for standard input or a pipe; absent in older datasets.
   */
  sha256?: string | null;
  /** In a partitioned dataset: its partition (`source=<name>`). */
  source?: string;
  /**
   * Present when the tables hold a subset of the input: the options that chose it, in perf script's words
   * (`time`, `cpu`, `comm`, `pid`, `tid`: events dropped before correlating) and `dev` (rows of other
   * devices dropped after it), and `events_filtered_out`, how many events the first five dropped. `lines`
   * still counts the whole input.
   */
  filter?: Record<string, string | number>;
}

export interface Manifest {
  tool: { name: string; version: string };
  schema_versions: Record<string, string>;
  created: string;
  /** Events the kernel reported lost, over every input. */
  lost_events: number;
  inputs: InputSummary[];
  /** Inputs of a batch conversion that failed (their tables are absent); paths as in `inputs`. */
  failed?: { path: string; source: string; error: string }[];
  /** Each table's files, their paths relative to the dataset folder. */
  tables: { name: string; rows: number; files: { format: string; path: string; bytes: number; rows?: number }[] }[];
  /** A batch dataset's partition folders (`source=NAME`) and the input each holds, relative to the dataset. */
  partitions?: Record<string, string>;
  /** What the correlate stage counted (snake_case keys); per partition source in a batch dataset. */
  correlation?: Json;
}

export function lineAccounting(c: LineCounts): LineAccounting {
  return {
    lines: c.lines,
    events: c.events,
    header: c.header,
    callchain_frames: c.callchainFrames,
    blank: c.blank,
    lost: c.lost,
    rejected: c.rejected,
  };
}

/** A path as the manifest names it: relative to the dataset folder, so that a dataset can be moved or shared. */
export function datasetRelative(datasetDir: string, path: string): string {
  return path === '-' ? '<stdin>' : relative(datasetDir, path) || '.';
}

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The same value with every object key in snake_case (the TypeScript side names them in camelCase). */
export function snakeKeys(v: unknown): Json {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(snakeKeys);
  if (typeof v !== 'object') return null;
  const out: { [key: string]: Json } = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[snake(k)] = snakeKeys(x);
  return out;
}

/** The manifest's tables, the files named relative to `datasetDir`. */
export function tablesOf(files: WrittenFile[], datasetDir: string): Manifest['tables'] {
  const byName = new Map<string, Manifest['tables'][number]>();
  for (const f of files) {
    let t = byName.get(f.table);
    if (!t) {
      t = { name: f.table, rows: f.rows, files: [] };
      byName.set(f.table, t);
    }
    // Rows per file too: a partition's share of the table, which merge and append add up.
    t.files.push({ format: f.format, path: datasetRelative(datasetDir, f.path), bytes: f.bytes, rows: f.rows });
  }
  return [...byName.values()];
}

/** The correlate stage's counts for the manifest; out-of-order times are the input's `out_of_order`, once. */
export function correlationJson(stats: CorrelationStats): Json {
  const { outOfOrderTimestamps: _counted, ...rest } = stats;
  return snakeKeys(rest);
}

/** Key of a perf.data recording's metadata (JSON) in every Parquet file converted from it. */
export const RECORDING_KEY = 'netdev_times.recording';

/** The recording's metadata for Parquet key-value metadata: what identifies the host, kernel and run. */
export function recordingMetadata(m: PerfDataMetadata | null): ReadonlyMap<string, string> {
  if (m === null) return new Map();
  const keep = {
    hostname: m.hostname,
    os_release: m.os_release,
    arch: m.arch,
    nr_cpus_online: m.nr_cpus_online,
    perf_version: m.perf_version,
    cmdline: m.cmdline,
    clock_data: m.clock_data,
    sample_time: m.sample_time,
  };
  return new Map([[RECORDING_KEY, JSON.stringify(keep)]]);
}
