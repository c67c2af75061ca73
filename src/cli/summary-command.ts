import { NetdevTimesError } from '../core/errors.js';
import { formatSummary, summaryJson, type SummaryUnit } from '../summary/format.js';
import { stdinAware } from './stdio.js';
import { inputLabel } from '../input/open.js';
import { EXIT } from './errors.js';

export interface SummaryArgs {
  input: string;
  json: boolean;
  unit: string;
  source?: string;
  perf: string;
  viaPerf: boolean;
  kallsyms?: string;
}

export async function runSummary(a: SummaryArgs): Promise<number> {
  if (a.unit !== 'ms' && a.unit !== 'us')
    throw new NetdevTimesError(`unknown unit '${a.unit}' (use ms or us)`, EXIT.usage);
  const unit: SummaryUnit = a.unit;
  // Loaded here: reading a dataset back needs apache-arrow and parquet-wasm, which other commands never load.
  const { summaryOf } = await import('../pipeline/summary-input.js');
  const sources = await summaryOf(stdinAware(a.input), {
    source: a.source,
    perf: a.perf,
    viaPerf: a.viaPerf,
    kallsyms: a.kallsyms,
    onWarning: (w) => process.stderr.write(`netdev-times: ${inputLabel(a.input)}: warning: ${w}\n`),
  });
  process.stdout.write(a.json ? JSON.stringify(summaryJson(sources), null, 2) + '\n' : formatSummary(sources, unit));
  return EXIT.ok;
}
