/** manifest.json: what was read, what was written, and the line accounting that proves nothing was dropped. */
import type { LineCounts } from '../decode/text/decoder.js';
import type { WrittenFile } from './table-output.js';

export interface InputSummary {
  path: string;
  bytes: number;
  kind: string;
  lines: LineCounts;
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
  /** The last line had no newline after it: perf always ends its lines, so the file may have been cut short. */
  unterminated_last_line: boolean;
}

export interface Manifest {
  tool: { name: string; version: string };
  schema_versions: Record<string, string>;
  created: string;
  inputs: InputSummary[];
  /** Inputs of a batch conversion that failed (their tables are absent). */
  failed?: { path: string; source: string; error: string }[];
  tables: { name: string; rows: number; files: { format: string; path: string; bytes: number }[] }[];
  correlation?: unknown;
}

export function tablesOf(files: WrittenFile[]): Manifest['tables'] {
  const byName = new Map<string, Manifest['tables'][number]>();
  for (const f of files) {
    let t = byName.get(f.table);
    if (!t) {
      t = { name: f.table, rows: f.rows, files: [] };
      byName.set(f.table, t);
    }
    t.files.push({ format: f.format, path: f.path, bytes: f.bytes });
  }
  return [...byName.values()];
}
