/** One trace file, correlated: input -> decode -> normalise -> correlate, the tables handed to a sink. */
import type { RejectedLine } from '../decode/text/decoder.js';
import { notATrace } from '../decode/text/looks-like.js';
import { openTraceSource } from './source.js';
import { Correlator, type CorrelatorOptions } from '../correlate/correlator.js';
import { flaggedWarnings } from '../correlate/stats.js';
import type { ChunkSink } from '../correlate/row-chunks.js';
import type { CorrelationStats } from '../correlate/stats.js';
import type { LostEvents } from '../core/lost.js';
import { NetdevTimesError } from '../core/errors.js';
import type { FilterSpec } from '../filter/index.js';
import type { ReadMeter } from '../input/meter.js';

export interface CorrelateFileOptions extends CorrelatorOptions {
  onReject?: (r: RejectedLine) => void;
  /** The perf binary that renders a perf.data input (default `perf`). */
  perf?: string;
  /** perf.data through `perf script` instead of the native reader. */
  viaPerf?: boolean;
  /** A kallsyms file of the recording's kernel (perf.data). */
  kallsyms?: string;
  /** Filled with the kernel's lost-event records of the trace. */
  lost?: LostEvents;
  /** Told what the reader had to work around (a recording cut short, unknown records), once the input is read. */
  onWarning?: (warning: string) => void;
  /** perf script's event filters (--time, --cpu, --comm, --pid, --tid), applied before correlating. */
  filter?: FilterSpec | null;
  /** Counts the input's bytes as stored (compressed, or from a stream): for progress. */
  meter?: ReadMeter;
  /** Called after each batch with the bytes read (decoded) and events decoded so far. */
  onProgress?: (bytes: number, events: number) => void;
  /** With a filter: told at the end how many events it dropped. */
  onFilteredOut?: (events: number) => void;
}

/** --time and the like select events before correlating: a dataset was correlated already. */
export function filtersNeedATrace(path: string): NetdevTimesError {
  return new NetdevTimesError(
    `${path}: --time, --cpu, --comm, --pid and --tid select a trace's events before they are matched; give the trace, or convert it with them`,
    2,
  );
}

/** Decodes, normalises and correlates one trace (`perf script` text, plain, .gz or .xz, or a perf.data), streaming. */
export async function correlateFile(
  path: string,
  sink: ChunkSink,
  options: CorrelateFileOptions = {},
): Promise<CorrelationStats> {
  const input = await openTraceSource(path, {
    onReject: options.onReject,
    perf: options.perf,
    viaPerf: options.viaPerf,
    kallsyms: options.kallsyms,
    recycle: true,
    lost: options.lost,
    filter: options.filter,
    meter: options.meter,
  });
  // The correlator reads the lost records as the decoder adds them, to flag the rows near them.
  const correlator = new Correlator(sink, { ...options, lost: input.lost });
  for await (const batch of input.batches()) {
    correlator.push(batch);
    options.onProgress?.(input.bytes, input.counts.events);
  }
  for (const w of input.warnings) options.onWarning?.(w);
  if (options.filter) options.onFilteredOut?.(input.filteredOut);
  const error = notATrace(path, input.counts, input.head);
  if (error) throw error;
  const stats = correlator.finish();
  for (const w of flaggedWarnings(stats)) options.onWarning?.(w);
  return stats;
}
