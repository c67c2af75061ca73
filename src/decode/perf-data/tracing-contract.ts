/**
 * The tracing part's interface (src/tracefs/index.ts), as this container part uses it. The
 * types are the tracing part's own; the functions come in through PerfDataOptions.tracing.
 */
import type { TraceFormats } from '../../tracefs/tracing-data.js';

export type { ByteWriter } from '../../tracefs/byte-writer.js';
export type { EventFormat } from '../../tracefs/event-format.js';
export type { TraceFormats } from '../../tracefs/tracing-data.js';

export interface KernelSymbols {
  resolve(addr: bigint): string | null;
  /** The same symbols moved by delta (another boot's KASLR). */
  withOffset(delta: bigint): KernelSymbols;
  /** The kallsyms' own `_text` address, or null. */
  readonly textStart: bigint | null;
}

/** What this part calls of the tracing part. */
export interface TracingApi {
  parseTracingData(bytes: Uint8Array): TraceFormats;
  setSymbols(formats: TraceFormats, symbols: KernelSymbols | null): void;
}
