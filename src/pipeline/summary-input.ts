/**
 * The summary's inputs: a converted dataset (flat, or one block per `source=` partition), or a trace run
 * through decode -> normalise -> correlate in memory (only the summary's accumulators are kept, no files).
 */
import { LostEvents } from '../core/lost.js';
import { lostEventsOf } from '../dataset/dataset.js';
import { inputLabel } from '../input/open.js';
import { NetdevTimesError } from '../core/errors.js';
import { correlateFile } from './correlate-file.js';
import { datasetSources, isDataset, tableFile } from '../dataset/dataset.js';
import { SummaryBuilder, type SourceSummary } from '../summary/summary.js';

const TABLES = ['tx_packets', 'rx_packets'] as const;

/** Reading table files needs apache-arrow and parquet-wasm (~0.2 s to load): only a dataset's summary loads them. */
type ReadTable = typeof import('../dataset/read-table.js');

function summaryOfFiles(
  { readTableFile, missingTableFile }: ReadTable,
  dir: string,
  source: string | undefined,
  label: string,
): SourceSummary {
  const builder = new SummaryBuilder();
  for (const table of TABLES) {
    const file = tableFile(dir, table, source);
    if (file === null)
      throw new NetdevTimesError(
        `${missingTableFile(dir, table, source)}: the ${table} table is missing; convert the trace again`,
        1,
      );
    for (const { chunk } of readTableFile(file, table)) builder.push(table, chunk);
  }
  return { source: label, devices: builder.finish(), lost_events: lostEventsOf(dir, source) };
}

/** One summary per source of a dataset folder (all partitions, or only `source`). */
export async function summaryOfDataset(dir: string, source?: string): Promise<SourceSummary[]> {
  const read = await import('../dataset/read-table.js');
  const sources = datasetSources(dir, 'tx_packets');
  if (sources.length === 0) {
    if (source !== undefined) throw new NetdevTimesError(`${dir}: is not partitioned by source; drop --source`, 2);
    return [summaryOfFiles(read, dir, undefined, dir)];
  }
  const chosen = source === undefined ? sources : [source];
  return chosen.map((s) => summaryOfFiles(read, dir, s, s));
}

/** The summary of a trace (text, .gz/.xz, perf.data or '-'), correlated in memory. */
export interface TraceSummaryOptions {
  perf?: string;
  viaPerf?: boolean;
  kallsyms?: string;
  onWarning?: (warning: string) => void;
}

export async function summaryOfTrace(path: string, options: TraceSummaryOptions = {}): Promise<SourceSummary> {
  const builder = new SummaryBuilder();
  const lost = new LostEvents();
  await correlateFile(path, (table, chunk) => builder.push(table, chunk), {
    ...options,
    lost,
  });
  return { source: inputLabel(path), devices: builder.finish(), lost_events: lost.total };
}

/** A dataset folder or a trace, whichever `path` is. */
export async function summaryOf(
  path: string,
  options: TraceSummaryOptions & { source?: string } = {},
): Promise<SourceSummary[]> {
  if (path !== '-' && isDataset(path)) return summaryOfDataset(path, options.source);
  if (options.source !== undefined)
    throw new NetdevTimesError('--source chooses an input of a dataset folder, not of a trace', 2);
  return [await summaryOfTrace(path, options)];
}
