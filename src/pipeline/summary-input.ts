/**
 * The summary's inputs: a converted dataset (flat, or one block per `source=` partition), or a trace run
 * through decode -> normalise -> correlate in memory (only the summary's accumulators are kept, no files).
 */
import { LostEvents } from '../core/lost.js';
import type { ReadMeter } from '../input/meter.js';
import { filterOf, lostEventsOf } from '../dataset/dataset.js';
import { inputLabel } from '../input/open.js';
import { NetdevTimesError } from '../core/errors.js';
import { describeFilter, type FilterSpec } from '../filter/index.js';
import { correlateFile, filtersNeedATrace } from './correlate-file.js';
import { datasetSources, isDataset } from '../dataset/dataset.js';
import { SummaryBuilder, type SourceSummary, type SummaryOptions } from '../summary/summary.js';

const TABLES = ['tx_packets', 'rx_packets'] as const;

/** Reading table files needs apache-arrow and parquet-wasm (~0.2 s to load): only a dataset's summary loads them. */
type ReadTable = typeof import('../dataset/read-table.js');

function summaryOfFiles(
  { datasetChunks }: ReadTable,
  dir: string,
  source: string | undefined,
  label: string,
  options: SummaryOptions,
): SourceSummary {
  const builder = new SummaryBuilder(options);
  for (const { table, chunk } of datasetChunks(dir, TABLES, source)) builder.push(table, chunk);
  return {
    source: label,
    by: builder.sliceKey,
    slices: builder.finish(),
    lost_events: lostEventsOf(dir, source),
    filter: filterOf(dir, source),
  };
}

/** One summary per source of a dataset folder (all partitions, or only `source`). */
export async function summaryOfDataset(
  dir: string,
  source?: string,
  options: SummaryOptions = {},
): Promise<SourceSummary[]> {
  const read = await import('../dataset/read-table.js');
  const sources = datasetSources(dir, 'tx_packets');
  if (sources.length === 0) {
    if (source !== undefined) throw new NetdevTimesError(`${dir}: is not partitioned by source; drop --source`, 2);
    return [summaryOfFiles(read, dir, undefined, dir, options)];
  }
  const chosen = source === undefined ? sources : [source];
  return chosen.map((s) => summaryOfFiles(read, dir, s, s, options));
}

/** The summary of a trace (text, .gz/.xz, perf.data or '-'), correlated in memory. */
export interface TraceSummaryOptions extends SummaryOptions {
  perf?: string;
  viaPerf?: boolean;
  kallsyms?: string;
  onWarning?: (warning: string) => void;
  /** Counts the trace's bytes as stored (compressed, or from a stream): for progress. */
  meter?: ReadMeter;
  /** Called after each batch with the bytes read (decoded) and events decoded so far. */
  onProgress?: (bytes: number, events: number) => void;
  /** perf script's event filters (--time, --cpu, --comm, --pid, --tid), applied before correlating. */
  filter?: FilterSpec | null;
}

export async function summaryOfTrace(path: string, options: TraceSummaryOptions = {}): Promise<SourceSummary> {
  const builder = new SummaryBuilder(options);
  const lost = new LostEvents();
  let filteredOut = 0;
  await correlateFile(path, (table, chunk) => builder.push(table, chunk), {
    perf: options.perf,
    viaPerf: options.viaPerf,
    kallsyms: options.kallsyms,
    onWarning: options.onWarning,
    meter: options.meter,
    onProgress: options.onProgress,
    filter: options.filter,
    onFilteredOut: (n) => (filteredOut = n),
    lost,
    // The builder copies what it counts and ranks from each chunk as it is pushed.
    reuseChunks: true,
  });
  return {
    source: inputLabel(path),
    by: builder.sliceKey,
    slices: builder.finish(),
    lost_events: lost.total,
    // In the manifest's words (convert.ts), so that the summary of a trace and of its filtered dataset agree.
    filter: options.filter ? { ...describeFilter(options.filter), events_filtered_out: filteredOut } : null,
  };
}

/** A dataset folder or a trace, whichever `path` is. */
export async function summaryOf(
  path: string,
  options: TraceSummaryOptions & { source?: string } = {},
): Promise<SourceSummary[]> {
  if (path !== '-' && isDataset(path)) {
    if (options.filter) throw filtersNeedATrace(path);
    return summaryOfDataset(path, options.source, options);
  }
  if (options.source !== undefined)
    throw new NetdevTimesError('--source chooses an input of a dataset folder, not of a trace', 2);
  return [await summaryOfTrace(path, options)];
}
