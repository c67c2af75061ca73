/**
 * netdev-times as a library: the same pipeline the CLI runs, stage by stage or end to end.
 *
 *   import { convert, reportFromText } from 'netdev-times';
 *   await convert({ input: 'trace.txt', outDir: 'out', formats: ['parquet'] });
 */
export { TraceDecoder, type DecoderOptions, type LineCounts, type RejectedLine } from './decode/decoder.js';
export { openTextInput, sniff, type InputKind, type OpenedInput } from './decode/input.js';
export type { RawBatch } from './decode/raw-batch.js';
export { StringTable } from './decode/strings.js';
export { NetdevTimesError, type LineNo, type Nanoseconds, type SkbAddr } from './decode/types.js';

export { Normaliser } from './normalise/normaliser.js';
export type { EventBatch } from './normalise/event-batch.js';
export { EventKind, EVENT_NAMES } from './normalise/kinds.js';
export { eventsChunk } from './normalise/events-table.js';
export type { Column, TableChunk } from './normalise/columns.js';

export { Correlator, DEFAULT_BUDGET, TABLE_NAMES, correlateFile, type CorrelationStats, type CorrelatorOptions } from './correlate/index.js';

export { convert, type ConvertOptions, type ConvertResult, type Placement } from './emit/convert.js';
export { convertMany, type InputOutcome, type ManyOptions } from './emit/convert-many.js';
export type { Manifest, InputSummary } from './emit/manifest.js';
export { tableSpec, tableNames, type TableSpec, type ColumnSpec } from './emit/schema.js';
export { arrowSchema } from './emit/arrow-types.js';
export { TableOutput, type OutputFormat, type WrittenFile } from './emit/table-output.js';
export { ReportRenderer, readTableFile, renderReport, reportFromText, type ReportOptions } from './emit/report/index.js';
