import yargs from 'yargs';
import { NetdevTimesError } from '../decode/types.js';
import { abortAllFileSinks } from '../emit/byte-sink.js';
import { abortAllBatches, stopAllBatches } from '../emit/convert-many.js';
import { toolVersion } from '../emit/version.js';
import { STDIO_ARG, convertBuilder, runConvert } from './convert-command.js';
import { EXIT, reportError } from './errors.js';
import { recordBuilder, runRecord } from './record-command.js';
import { reportBuilder, runReport } from './report-command.js';
import { runSchema, schemaBuilder } from './schema-command.js';
import { runSummary, summaryBuilder } from './summary-command.js';

/** The words after `--` (yargs' populate--), as strings. */
function trailing(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/**
 * Signals and closed pipes: an interrupted conversion removes its temporary files (the previous output, if
 * any, stays as it was); a reader that goes away (`| head`) ends the run quietly.
 */
let handlersInstalled = false;

function installProcessHandlers(): void {
  // main() may run more than once in a process (the library, tests): one set of handlers serves them all.
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      abortAllFileSinks();
      void stopAllBatches().finally(() => {
        process.stderr.write(`netdev-times: interrupted (${sig}); no partial output was left\n`);
        process.exit(sig === 'SIGINT' ? EXIT.interrupted : 143);
      });
    });
  }
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') {
      abortAllFileSinks();
      abortAllBatches();
      process.exit(0);
    }
    throw e;
  });
}

/** Runs the CLI on argv (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  installProcessHandlers();
  let code: number = EXIT.ok;
  const run = (p: Promise<number>): Promise<void> =>
    p.then(
      (c) => {
        code = c;
      },
      (e: unknown) => {
        code = reportError(e);
      },
    );
  // yargs drops a lone '-' (stdin / stdout); carry it through as a word it keeps.
  const parser = yargs(argv.map((w) => (w === '-' ? STDIO_ARG : w)))
    .scriptName('netdev-times')
    .usage('$0 <command> [options]\n\nTurn perf network traces (netdev-times tracepoints) into Parquet/Arrow tables.')
    .command('convert <inputs..>', 'convert perf traces (text, perf.data, folders) into tables', convertBuilder, (a) => run(runConvert(a)))
    .command('report <input> [words..]', "print netdev-times.py's report (from a trace or a converted dataset)", reportBuilder, (a) =>
      run(runReport(a)),
    )
    .command('record', 'record the tracepoints netdev-times needs with perf (-- COMMAND)', recordBuilder, (a) =>
      run(runRecord({ ...a, command: trailing(a['--']) })),
    )
    .command('summary <input>', 'packets, drops and latency percentiles per device and direction', summaryBuilder, (a) =>
      run(runSummary(a)),
    )
    .command('schema [table]', 'print the schema of the tables (JSON or --markdown)', schemaBuilder, (a) => run(runSchema(a)))
    .demandCommand(1, 'name a command: convert, report, summary, schema, record')
    .strict()
    .version(toolVersion())
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      throw err ?? new NetdevTimesError(`${msg}\nRun 'netdev-times --help' for usage.`, EXIT.usage);
    });
  try {
    await parser.parseAsync();
  } catch (e) {
    return reportError(e);
  }
  return code;
}
