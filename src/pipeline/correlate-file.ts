/** One trace file, correlated: input -> decode -> normalise -> correlate, the tables handed to a sink. */
import type { RejectedLine } from '../decode/text/decoder.js';
import { notATrace } from '../decode/text/looks-like.js';
import { openTraceSource } from './source.js';
import { Correlator, type CorrelatorOptions } from '../correlate/correlator.js';
import { flaggedWarnings } from '../correlate/stats.js';
import type { ChunkSink } from '../correlate/row-chunks.js';
import type { CorrelationStats } from '../correlate/stats.js';
import type { LostEvents } from '../core/lost.js';

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
  });
  // The correlator reads the lost records as the decoder adds them, to flag the rows near them.
  const correlator = new Correlator(sink, { ...options, lost: input.lost });
  for await (const batch of input.batches()) correlator.push(batch);
  for (const w of input.warnings) options.onWarning?.(w);
  const error = notATrace(path, input.counts, input.head);
  if (error) throw error;
  const stats = correlator.finish();
  for (const w of flaggedWarnings(stats)) options.onWarning?.(w);
  return stats;
}
