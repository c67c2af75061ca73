/** The correlate stage: the reference's matching, as tables. */
import { TraceDecoder, type RejectedLine } from '../decode/decoder.js';
import { openTextInput } from '../decode/input.js';
import { Normaliser } from '../normalise/normaliser.js';
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
}

/** Decodes, normalises and correlates one `perf script` text file (plain, .gz or .xz), streaming. */
export async function correlateFile(path: string, sink: ChunkSink, options: CorrelateFileOptions = {}): Promise<CorrelationStats> {
  const normaliser = new Normaliser();
  const correlator = new Correlator(sink, options);
  const decoder = new TraceDecoder((raw) => correlator.push(normaliser.normalise(raw)), { onReject: options.onReject });
  const input = await openTextInput(path);
  for await (const chunk of input.chunks) decoder.push(chunk);
  decoder.end();
  return correlator.finish();
}
