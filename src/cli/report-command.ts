import { TABLE_NAMES } from '../tables/tables.js';
import { NetdevTimesError } from '../core/errors.js';
import { isDataset, lostEventsOf } from '../dataset/dataset.js';
import { LostEvents } from '../core/lost.js';
import { inputLabel } from '../input/open.js';
import type { ReportOptions } from '../report/index.js';
import { renderReport, reportFromText } from '../pipeline/report.js';
import { EXIT } from './errors.js';
import { Progress } from './progress.js';
import { stdinAware } from './stdio.js';
import { parseFilterArgs, type FilterArgs } from '../filter/parse.js';
import { filtersNeedATrace } from '../pipeline/correlate-file.js';
import { reportBytes } from '../core/strings.js';

export interface ReportArgs extends FilterArgs {
  input: string;
  words: string[];
  tx: boolean;
  rx: boolean;
  dev?: string;
  debug: boolean;
  source?: string;
  quiet: boolean;
  viaPerf: boolean;
  kallsyms?: string;
  perf: string;
}

/** Folds the reference's bare words (`tx rx dev=NAME debug`) into the options, as netdev-times.py reads them. */
export function reportOptions(a: Pick<ReportArgs, 'words' | 'tx' | 'rx' | 'dev' | 'debug'>): ReportOptions {
  const o: ReportOptions = { tx: a.tx, rx: a.rx, dev: a.dev, debug: a.debug };
  for (const w of a.words) {
    if (w === 'tx') o.tx = true;
    else if (w === 'rx') o.rx = true;
    else if (w === 'debug') o.debug = true;
    else if (w.startsWith('dev=')) o.dev = w.slice(4);
    else throw new NetdevTimesError(`unknown report word '${w}' (use tx, rx, dev=NAME, debug)`, EXIT.usage);
  }
  return o;
}

export async function runReport(a: ReportArgs): Promise<number> {
  const input = stdinAware(a.input);
  const options = reportOptions(a);
  const filter = parseFilterArgs(a);
  // The bytes perf printed: a name's byte that is not UTF-8 is written as that byte (core/strings.ts).
  const write = (s: string): void => {
    process.stdout.write(reportBytes(s));
  };
  if (input !== '-' && isDataset(input)) {
    if (filter) throw filtersNeedATrace(input);
    // Loaded here: apache-arrow and parquet-wasm are needed only to read a dataset back.
    const { datasetChunks } = await import('../dataset/read-table.js');
    write(renderReport(datasetChunks(input, TABLE_NAMES, a.source), options));
    warnLost(lostEventsOf(input, a.source));
    return EXIT.ok;
  }
  const lost = new LostEvents();
  const progress = Progress.start(input, { quiet: a.quiet, viaPerf: a.viaPerf });
  try {
    // The report is written as it is made: on the same terminal, the progress line gives way to it first.
    const shown =
      progress && process.stdout.isTTY
        ? (s: string): void => {
            progress.clear();
            write(s);
          }
        : write;
    await reportFromText(input, shown, options, {
      lost,
      viaPerf: a.viaPerf,
      kallsyms: a.kallsyms,
      filter,
      perf: a.perf,
      meter: progress?.meter,
      onProgress: progress ? (bytes, events) => progress.update(bytes, events) : undefined,
      onWarning: (w) => {
        const line = `netdev-times: ${inputLabel(input)}: warning: ${w}\n`;
        if (progress) progress.note(line);
        else process.stderr.write(line);
      },
    });
  } finally {
    progress?.done();
  }
  warnLost(lost.total);
  return EXIT.ok;
}

/** The report is the reference's, byte for byte, on stdout: what the kernel lost is said on stderr. */
function warnLost(n: number): void {
  if (n > 0)
    process.stderr.write(
      `netdev-times: warning: ${n} events lost by the kernel (PERF_RECORD_LOST): packets near them may be incomplete\n`,
    );
}
