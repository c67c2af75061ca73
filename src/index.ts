/**
 * netdev-times as a library: the same pipeline the CLI runs, stage by stage or end to end.
 *
 *   import { convert, reportFromText } from 'netdev-times';
 *   await convert({ input: 'trace.txt', outDir: 'out', formats: ['parquet'] });
 */
export { TraceDecoder, type DecoderOptions, type LineCounts, type RejectedLine } from './decode/text/decoder.js';
export { openTextInput, sniff, type InputKind, type OpenedInput } from './input/open.js';
export type { RawBatch } from './decode/raw-batch.js';
export { StringTable } from './core/strings.js';
export { NetdevTimesError } from './core/errors.js';
export type { LineNo, Nanoseconds, SkbAddr } from './core/units.js';

export { Normaliser } from './normalise/normaliser.js';
export type { EventBatch } from './normalise/event-batch.js';
export { EventKind, EVENT_NAMES } from './normalise/kinds.js';
export { eventsChunk } from './normalise/events-table.js';
export type { Column, TableChunk } from './core/columns.js';

export { Correlator, DEFAULT_BUDGET, type CorrelationStats, type CorrelatorOptions } from './correlate/index.js';
export { TABLE_NAMES } from './tables/tables.js';
export { correlateFile } from './pipeline/correlate-file.js';
export { EventSelector, parseFilterArgs, type FilterArgs, type FilterSpec } from './filter/index.js';

export { convert, type ConvertOptions, type ConvertResult, type Placement } from './pipeline/convert.js';
export { convertMany, type InputOutcome, type ManyOptions } from './pipeline/convert-many.js';
export { appendInputs, type AppendOptions, type AppendResult } from './pipeline/append.js';
export { mergeDatasets, type MergeOptions, type MergeResult } from './dataset/merge.js';
export type { Manifest, InputSummary } from './dataset/manifest.js';
export { tableSpec, tableNames, type TableSpec, type ColumnSpec } from './tables/schema.js';
export { arrowSchema } from './formats/arrow/types.js';
export { TableOutput, type OutputFormat, type WrittenFile } from './dataset/table-output.js';
export { ReportRenderer, type ReportOptions } from './report/index.js';
export { readTableFile } from './dataset/read-table.js';
export { renderReport, reportFromText } from './pipeline/report.js';
export { timelineOf, writeTimeline, type TimelineInputOptions } from './pipeline/timeline.js';
export type { Timeline, TimelineCounts } from './timeline/timeline.js';
export { parseTimeWindow, type TimeWindow } from './timeline/window.js';
