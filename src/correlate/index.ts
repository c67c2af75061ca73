/** The correlate stage: the reference's matching, as tables. */
import { TraceDecoder, type RejectedLine } from '../decode/decoder.js';
import { openTextInput } from '../decode/input.js';
import { looksLike } from '../decode/looks-like.js';
import { NetdevTimesError } from '../decode/types.js';
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
  let head: Uint8Array | null = null;
  for await (const chunk of input.chunks) {
    if (head === null) head = chunk.slice(0, 4096);
    decoder.push(chunk);
  }
  decoder.end();
  const c = decoder.counts;
  // As convert: a file in which no line is an event is not a trace (an empty one is an empty trace).
  if (c.events === 0 && c.lines > c.blank) {
    const label = path === '-' ? '<stdin>' : path;
    throw new NetdevTimesError(
      `${label}: no perf event line in ${c.lines} lines (${c.rejected} rejected); it looks like ${looksLike(head ?? new Uint8Array(0))}`,
      1,
    );
  }
  return correlator.finish();
}
