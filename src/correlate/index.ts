/** The correlate stage: the reference's matching, as tables. */
import type { RejectedLine } from '../decode/decoder.js';
import { notATrace } from '../decode/looks-like.js';
import { openTraceSource } from '../normalise/source.js';
import { Correlator, type CorrelatorOptions } from './correlator.js';
import type { ChunkSink } from './row-chunks.js';
import type { CorrelationStats } from './stats.js';

export { Correlator, DEFAULT_BUDGET, type CorrelatorOptions } from './correlator.js';
export type { ChunkSink, OutColumnDef } from './row-chunks.js';
export type { Anomalies, BufferStatus, CorrelationStats } from './stats.js';
export {
  TABLE_NAMES, rxHunkColumns, rxIrqColumns, rxIrqEventColumns, rxNapiPollColumns, rxPacketColumns, txPacketColumns,
  type CorrelateTable, type SourceTables,
} from './tables.js';
export { FREED_BY_WORDS, HANDLED_BY_WORDS, IRQ_EVENT_WORDS, TX_STATUS_WORDS, type TxStatus } from './labels.js';

export interface CorrelateFileOptions extends CorrelatorOptions {
  onReject?: (r: RejectedLine) => void;
  /** The perf binary that renders a perf.data input (default `perf`). */
  perf?: string;
}

/** Decodes, normalises and correlates one trace (`perf script` text, plain, .gz or .xz, or a perf.data), streaming. */
export async function correlateFile(path: string, sink: ChunkSink, options: CorrelateFileOptions = {}): Promise<CorrelationStats> {
  const correlator = new Correlator(sink, options);
  const input = await openTraceSource(path, { onReject: options.onReject, perf: options.perf, recycle: true });
  for await (const batch of input.batches()) correlator.push(batch);
  const error = notATrace(path, input.counts, input.head);
  if (error) throw error;
  return correlator.finish();
}
