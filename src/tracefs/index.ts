/**
 * The tracing part of the perf.data reader: tracepoint formats from the tracing data, payloads rendered as
 * perf 6.1 script prints them, kernel symbols for %pS. The container part uses only what is exported here.
 */
import type { KernelSymbols as KernelSymbolsType } from './symbols.js';
import type { TraceFormats } from './tracing-data.js';
import { TracingData } from './tracing-data.js';

export type { ByteWriter } from './byte-writer.js';
export { ByteBuffer } from './byte-writer.js';
export type { EventFormat } from './event-format.js';
export { KernelSymbols } from './symbols.js';
export type { TraceFormats } from './tracing-data.js';
export { parseTracingData } from './tracing-data.js';

/** The resolver %pS/%ps/%pF/%pf use; null prints addresses as 0x…, as perf does without symbols. */
export function setSymbols(formats: TraceFormats, symbols: Pick<KernelSymbolsType, 'resolve'> | null): void {
  if (!(formats instanceof TracingData)) return;
  const resolve = symbols ? (a: bigint): string | null => symbols.resolve(a) : null;
  for (const e of formats.events) {
    e.ctx.resolve = resolve;
    e.ctx.symbolCache.clear();
  }
}
