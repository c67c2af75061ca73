import type { Argv } from 'yargs';
import { NetdevTimesError } from '../decode/types.js';
import { formatSummary, summaryJson, type SummaryUnit } from '../emit/summary-format.js';
import { stdinAware } from './convert-command.js';
import { EXIT } from './errors.js';

export interface SummaryArgs {
  input: string;
  json: boolean;
  unit: string;
  source?: string;
  perf: string;
}

export function summaryBuilder(y: Argv): Argv<SummaryArgs> {
  return y
    .positional('input', { type: 'string', demandOption: true, describe: "a converted dataset folder, or a trace (text, .gz/.xz, perf.data, '-')" })
    .option('json', { type: 'boolean', default: false, describe: 'print JSON (latencies in integer ns) instead of the table' })
    .option('unit', { type: 'string', default: 'ms', choices: ['ms', 'us'], describe: 'latency unit of the table (3 decimals)' })
    .option('source', { type: 'string', describe: 'only this input of a many-input dataset (default: each in turn)' })
    .option('perf', { type: 'string', default: 'perf', describe: 'perf binary used to read a perf.data input' })
    .epilogue(
      'Per device and direction: packets, drops by reason, and p50/p90/p99/max of the qdisc and device (tx) and ' +
        'IRQ->receive and receive->handled (rx) latencies. Percentiles are nearest-rank: pP is the value at rank ' +
        "ceil(P*n/100) of the n sorted values (DuckDB's quantile_disc).",
    );
}

export async function runSummary(a: SummaryArgs): Promise<number> {
  if (a.unit !== 'ms' && a.unit !== 'us') throw new NetdevTimesError(`unknown unit '${a.unit}' (use ms or us)`, EXIT.usage);
  const unit: SummaryUnit = a.unit;
  // Loaded here: reading a dataset back needs apache-arrow and parquet-wasm, which other commands never load.
  const { summaryOf } = await import('../emit/summary-input.js');
  const sources = await summaryOf(stdinAware(a.input), { source: a.source, perf: a.perf });
  process.stdout.write(a.json ? JSON.stringify(summaryJson(sources), null, 2) + '\n' : formatSummary(sources, unit));
  return EXIT.ok;
}
