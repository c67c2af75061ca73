/** One trace file, correlated: input -> decode -> normalise -> correlate, the tables handed to a sink. */
import type { RejectedLine } from '../decode/text/decoder.js';
import { notATrace } from '../decode/text/looks-like.js';
import { openTraceSource } from './source.js';
import { Correlator, type CorrelatorOptions } from '../correlate/correlator.js';
import type { ChunkSink } from '../correlate/row-chunks.js';
import type { CorrelationStats } from '../correlate/stats.js';

export interface CorrelateFileOptions extends CorrelatorOptions {
  onReject?: (r: RejectedLine) => void;
  /** The perf binary that renders a perf.data input (default `perf`). */
  perf?: string;
}

/** Decodes, normalises and correlates one trace (`perf script` text, plain, .gz or .xz, or a perf.data), streaming. */
export async function correlateFile(
  path: string,
  sink: ChunkSink,
  options: CorrelateFileOptions = {},
): Promise<CorrelationStats> {
  const correlator = new Correlator(sink, options);
  const input = await openTraceSource(path, { onReject: options.onReject, perf: options.perf, recycle: true });
  for await (const batch of input.batches()) correlator.push(batch);
  const error = notATrace(path, input.counts, input.head);
  if (error) throw error;
  return correlator.finish();
}
