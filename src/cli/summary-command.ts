import { NetdevTimesError } from '../core/errors.js';
import { formatSummary, summaryJson, type SummaryUnit } from '../summary/format.js';
import { SLICE_KEYS, type SliceKey } from '../summary/summary.js';
import { stdinAware } from './stdio.js';
import { inputLabel } from '../input/open.js';
import { EXIT } from './errors.js';
import { Progress } from './progress.js';
import { parseFilterArgs, type FilterArgs } from '../filter/parse.js';

export interface SummaryArgs extends FilterArgs {
  input: string;
  json: boolean;
  unit: string;
  source?: string;
  top?: number;
  by: string;
  quiet: boolean;
  perf: string;
  viaPerf: boolean;
  kallsyms?: string;
}

const isSliceKey = (k: string): k is SliceKey => SLICE_KEYS.some((s) => s === k);

export async function runSummary(a: SummaryArgs): Promise<number> {
  if (a.unit !== 'ms' && a.unit !== 'us')
    throw new NetdevTimesError(`unknown unit '${a.unit}' (use ms or us)`, EXIT.usage);
  const unit: SummaryUnit = a.unit;
  const by = a.by;
  if (!isSliceKey(by)) throw new NetdevTimesError(`unknown --by '${by}' (use ${SLICE_KEYS.join(', ')})`, EXIT.usage);
  const input = stdinAware(a.input);
  const filter = parseFilterArgs(a);
  // Loaded here: reading a dataset back needs apache-arrow and parquet-wasm, which other commands never load.
  const { summaryOf } = await import('../pipeline/summary-input.js');
  const { isDataset } = await import('../dataset/dataset.js');
  // A dataset is read table by table, not as a stream of bytes: the line is for traces.
  const progress = input !== '-' && isDataset(input) ? null : Progress.start(input, a);
  let sources;
  try {
    sources = await summaryOf(input, {
      source: a.source,
      by,
      top: a.top,
      perf: a.perf,
      viaPerf: a.viaPerf,
      kallsyms: a.kallsyms,
      filter,
      meter: progress?.meter,
      onProgress: progress ? (bytes, events) => progress.update(bytes, events) : undefined,
      onWarning: (w) => {
        const line = `netdev-times: ${inputLabel(a.input)}: warning: ${w}\n`;
        if (progress) progress.note(line);
        else process.stderr.write(line);
      },
    });
  } finally {
    progress?.done();
  }
  process.stdout.write(
    a.json ? JSON.stringify(summaryJson(sources, a.top), null, 2) + '\n' : formatSummary(sources, unit),
  );
  return EXIT.ok;
}
