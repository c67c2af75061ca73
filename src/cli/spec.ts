/**
 * The commands and their options, defined once, as data: the fast path (fast-path.ts) parses with it, and the
 * yargs program (yargs-cli.ts) is built from it for help, --version and usage errors. Nothing heavy is imported
 * here: each command's implementation is loaded by its own run, so `report` never loads the Parquet writers
 * and `schema` never loads the pipeline.
 */
import { tableNames } from '../tables/schema.js';
import type { ArgReader } from './arg-reader.js';
import type { ConvertArgs } from './convert-command.js';
import type { MergeArgs } from './merge-command.js';
import type { RecordArgs } from './record-command.js';
import type { ReportArgs } from './report-command.js';
import type { SchemaArgs } from './schema-command.js';
import type { SummaryArgs } from './summary-command.js';
import type { FilterArgs } from '../filter/parse.js';
import type { TimelineArgs } from './timeline-command.js';

export type OptionType = 'string' | 'boolean' | 'number';

export interface OptionSpec {
  readonly name: string;
  readonly type: OptionType;
  readonly alias?: string;
  readonly array?: boolean;
  readonly default?: string | boolean | readonly string[];
  readonly describe?: string;
  readonly demandOption?: boolean;
  readonly choices?: readonly string[];
  readonly hidden?: boolean;
}

/** A positional word of a command; always a string (or, variadic, a list of them). */
export interface PositionalSpec {
  readonly name: string;
  readonly required: boolean;
  readonly variadic: boolean;
  /** A function where the text needs a look at the installed files (only help shows it). */
  readonly describe: string | (() => string);
  readonly default?: readonly string[];
}

export interface CommandData {
  readonly name: string;
  readonly describe: string;
  readonly positionals: readonly PositionalSpec[];
  readonly options: readonly OptionSpec[];
  readonly usage?: string;
  readonly epilogue?: string;
  /** The words after `--` are the command's (`record -- COMMAND`); elsewhere `--` is left to yargs. */
  readonly dashDash?: boolean;
}

/** A command line turned into one command's typed arguments, ready to run. */
export interface Bound {
  readonly command: string;
  /** The typed arguments run() passes on (tests compare the fast path's with yargs'). */
  readonly args: unknown;
  run(): Promise<number>;
}

export interface CommandSpec extends CommandData {
  /** Reads the typed arguments (throws ArgTypeError for a value of the wrong type) without running anything. */
  bind(r: ArgReader): Bound;
}

function command<A>(data: CommandData, read: (r: ArgReader) => A, run: (a: A) => Promise<number>): CommandSpec {
  return {
    ...data,
    bind(r) {
      const args = read(r);
      return { command: data.name, args, run: () => run(args) };
    },
  };
}

/** How convert, report and summary read perf.data: the same three options on each. */
const PERF_DATA_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'kallsyms',
    type: 'string',
    describe: "a kallsyms file of the recording's kernel: perf.data kernel addresses as symbols",
  },
  {
    name: 'via-perf',
    type: 'boolean',
    default: false,
    describe: 'read perf.data through `perf script` instead of natively',
  },
  { name: 'perf', type: 'string', default: 'perf', describe: 'perf binary for --via-perf' },
];

/** perf script's event filters, with its syntax and meaning, on each command that reads a trace. */
const FILTER_OPTIONS: readonly OptionSpec[] = [
  { name: 'time', type: 'string', describe: "only events in START,END (seconds; perf script's --time, also 10%/2)" },
  { name: 'cpu', type: 'string', describe: 'only events of these CPUs (0-2,4)' },
  { name: 'comm', alias: 'comms', type: 'string', describe: 'only events of threads with these names (a,b)' },
  { name: 'pid', type: 'string', describe: 'only events of these process ids (1,2)' },
  { name: 'tid', type: 'string', describe: 'only events of these thread ids (1,2)' },
];

const filterArgs = (r: ArgReader): FilterArgs => ({
  time: r.optionalString('time'),
  cpu: r.optionalString('cpu'),
  comm: r.optionalString('comm'),
  pid: r.optionalString('pid'),
  tid: r.optionalString('tid'),
});

const perfDataArgs = (r: ArgReader): { perf: string; viaPerf: boolean; kallsyms: string | undefined } => ({
  perf: r.string('perf'),
  viaPerf: r.boolean('via-perf'),
  kallsyms: r.optionalString('kallsyms'),
});

const convert = command<ConvertArgs>(
  {
    name: 'convert',
    describe: 'convert perf traces (text, perf.data, folders) into tables',
    positionals: [
      {
        name: 'inputs',
        required: true,
        variadic: true,
        describe: "perf script text (.gz/.xz ok), perf.data, folders of them, or '-' for stdin",
      },
    ],
    options: [
      {
        name: 'output',
        alias: 'o',
        type: 'string',
        demandOption: true,
        describe: "output folder, or '-' for an Arrow IPC stream of one table on stdout",
      },
      { name: 'format', alias: 'f', type: 'string', default: 'parquet', describe: 'comma-separated: parquet, arrow' },
      { name: 'table', alias: 't', type: 'string', default: 'events', describe: "the table streamed with '-o -'" },
      { name: 'payload', type: 'boolean', default: false, describe: 'keep the raw payload text of every event' },
      { name: 'json', type: 'boolean', default: false, describe: 'print the manifest as JSON on stdout' },
      { name: 'quiet', alias: 'q', type: 'boolean', default: false, describe: 'no progress or summary on stderr' },
      ...PERF_DATA_OPTIONS,
      ...FILTER_OPTIONS,
      {
        name: 'dev',
        type: 'string',
        describe: "only rows of this device, as the report's dev=NAME (substring of devices and IRQ names)",
      },
      {
        name: 'strict',
        type: 'boolean',
        default: false,
        describe: 'fail (exit 1) on the first line that is not an event',
      },
      { name: 'force', type: 'boolean', default: false, describe: 'replace a dataset already in the output folder' },
      {
        name: 'append',
        type: 'boolean',
        default: false,
        describe: 'add the inputs to the dataset in the output folder as partitions (those already in it are skipped)',
      },
      { name: 'jobs', alias: 'j', type: 'number', describe: 'worker threads for many inputs (default: one per core)' },
    ],
  },
  (r) => ({
    inputs: r.strings('inputs'),
    output: r.string('output'),
    format: r.string('format'),
    table: r.string('table'),
    payload: r.boolean('payload'),
    json: r.boolean('json'),
    quiet: r.boolean('quiet'),
    ...perfDataArgs(r),
    ...filterArgs(r),
    dev: r.optionalString('dev'),
    jobs: r.optionalCount('jobs'),
    force: r.boolean('force'),
    append: r.boolean('append'),
    strict: r.boolean('strict'),
  }),
  async (a) => (await import('./convert-command.js')).runConvert(a),
);

const report = command<ReportArgs>(
  {
    name: 'report',
    describe: "print netdev-times.py's report (from a trace or a converted dataset)",
    positionals: [
      {
        name: 'input',
        required: true,
        variadic: false,
        describe: "perf script text (.gz/.xz), perf.data, a converted dataset folder, or '-'",
      },
      {
        name: 'words',
        required: false,
        variadic: true,
        default: [],
        describe: "the reference's own words: tx, rx, dev=NAME, debug",
      },
    ],
    options: [
      { name: 'tx', type: 'boolean', default: false, describe: 'show only the transmit chart' },
      { name: 'rx', type: 'boolean', default: false, describe: 'show only the receive chart' },
      {
        name: 'dev',
        type: 'string',
        describe: 'only what relates to this device (substring of IRQ names and devices)',
      },
      { name: 'debug', type: 'boolean', default: false, describe: 'also print the buffer status' },
      { name: 'source', type: 'string', describe: 'which input of a many-input dataset' },
      { name: 'quiet', alias: 'q', type: 'boolean', default: false, describe: 'no progress on stderr' },
      ...PERF_DATA_OPTIONS,
      ...FILTER_OPTIONS,
    ],
  },
  (r) => ({
    input: r.string('input'),
    words: r.strings('words'),
    tx: r.boolean('tx'),
    rx: r.boolean('rx'),
    dev: r.optionalString('dev'),
    debug: r.boolean('debug'),
    source: r.optionalString('source'),
    quiet: r.boolean('quiet'),
    ...perfDataArgs(r),
    ...filterArgs(r),
  }),
  async (a) => (await import('./report-command.js')).runReport(a),
);

const record = command<RecordArgs>(
  {
    name: 'record',
    describe: 'record the tracepoints netdev-times needs with perf (-- COMMAND)',
    usage: '$0 record [-o perf.data] [-g] [--duration SECONDS] [-- COMMAND [ARGS...]]',
    positionals: [],
    options: [
      { name: 'output', alias: 'o', type: 'string', default: 'perf.data', describe: 'perf.data file to write' },
      { name: 'perf', type: 'string', default: 'perf', describe: 'perf binary' },
      { name: 'callgraph', alias: 'g', type: 'boolean', default: false, describe: 'record callchains too' },
      {
        name: 'duration',
        alias: 'd',
        type: 'number',
        describe: 'stop after SECONDS; without a command, record the whole system that long',
      },
      // Known to strict mode, never shown: the command is what follows `--`.
      { name: 'command', type: 'string', array: true, default: [], hidden: true },
    ],
    dashDash: true,
  },
  (r) => ({
    output: r.string('output'),
    perf: r.string('perf'),
    callgraph: r.boolean('callgraph'),
    command: r.trailing(),
    duration: r.optionalNumber('duration'),
  }),
  async (a) => (await import('./record-command.js')).runRecord(a),
);

/** The input of the commands that read a converted dataset as well as a trace (summary, timeline). */
const DATASET_OR_TRACE: PositionalSpec = {
  name: 'input',
  required: true,
  variadic: false,
  describe: "a converted dataset folder, or a trace (text, .gz/.xz, perf.data, '-')",
};

const summary = command<SummaryArgs>(
  {
    name: 'summary',
    describe: 'packets, drops and latency percentiles per device and direction',
    positionals: [DATASET_OR_TRACE],
    options: [
      {
        name: 'json',
        type: 'boolean',
        default: false,
        describe: 'print JSON (latencies in integer ns) instead of the table',
      },
      {
        name: 'unit',
        type: 'string',
        default: 'ms',
        choices: ['ms', 'us'],
        describe: 'latency unit of the table (3 decimals)',
      },
      { name: 'source', type: 'string', describe: 'only this input of a many-input dataset (default: each in turn)' },
      {
        name: 'top',
        type: 'number',
        describe: 'also list the N slowest packets (total latency) of each device (or --by key) and direction',
      },
      {
        name: 'by',
        type: 'string',
        default: 'dev',
        choices: ['dev', 'cpu', 'comm'],
        describe: 'slice counts, percentiles and --top by device, CPU or command',
      },
      { name: 'quiet', alias: 'q', type: 'boolean', default: false, describe: 'no progress on stderr' },
      ...PERF_DATA_OPTIONS,
      ...FILTER_OPTIONS,
    ],
    epilogue:
      'Per device and direction: packets, drops by reason, and p50/p90/p99/p99.9/max of the qdisc and device (tx) ' +
      'and IRQ->receive and receive->handled (rx) latencies. Percentiles are nearest-rank: pP is the value at rank ' +
      "ceil(P*n/100) of the n sorted values (DuckDB's quantile_disc). --top ranks by total latency (tx queue -> " +
      'free, rx first IRQ -> handled), slowest first, ties by time then skbaddr; flagged rows are not ranked.',
  },
  (r) => ({
    input: r.string('input'),
    json: r.boolean('json'),
    unit: r.string('unit'),
    source: r.optionalString('source'),
    top: r.optionalCount('top'),
    by: r.string('by'),
    quiet: r.boolean('quiet'),
    ...perfDataArgs(r),
    ...filterArgs(r),
  }),
  async (a) => (await import('./summary-command.js')).runSummary(a),
);

const merge = command<MergeArgs>(
  {
    name: 'merge',
    describe: 'join converted datasets (from other jobs or machines) into one partitioned dataset',
    positionals: [{ name: 'datasets', required: true, variadic: true, describe: 'dataset folders written by convert' }],
    options: [
      { name: 'output', alias: 'o', type: 'string', demandOption: true, describe: 'the dataset folder to write' },
      {
        name: 'append',
        type: 'boolean',
        default: false,
        describe: 'add to the dataset already in the output folder',
      },
      { name: 'json', type: 'boolean', default: false, describe: 'print the manifest as JSON on stdout' },
      { name: 'quiet', alias: 'q', type: 'boolean', default: false, describe: 'no summary line on stderr' },
    ],
  },
  (r) => ({
    datasets: r.strings('datasets'),
    output: r.string('output'),
    append: r.boolean('append'),
    json: r.boolean('json'),
    quiet: r.boolean('quiet'),
  }),
  async (a) => (await import('./merge-command.js')).runMerge(a),
);

const schema = command<SchemaArgs>(
  {
    name: 'schema',
    describe: 'print the schema of the tables (JSON or --markdown)',
    positionals: [
      {
        name: 'table',
        required: false,
        variadic: false,
        describe: () => `one table (${tableNames().join(', ')}); all when omitted`,
      },
    ],
    options: [
      { name: 'markdown', type: 'boolean', default: false, describe: 'print a markdown table instead of JSON' },
    ],
  },
  (r) => ({ table: r.optionalString('table'), markdown: r.boolean('markdown') }),
  async (a) => (await import('./schema-command.js')).runSchema(a),
);

const timeline = command<TimelineArgs>(
  {
    name: 'timeline',
    describe: 'write a timeline (Chrome trace-event JSON) for ui.perfetto.dev or chrome://tracing',
    positionals: [DATASET_OR_TRACE],
    options: [
      {
        name: 'output',
        alias: 'o',
        type: 'string',
        demandOption: true,
        describe: "the JSON file (gzip when it ends in .gz), or '-' for stdout",
      },
      { name: 'source', type: 'string', describe: 'which input of a many-input dataset' },
      { name: 'quiet', alias: 'q', type: 'boolean', default: false, describe: 'no notes or warnings on stderr' },
      ...FILTER_OPTIONS,
      ...PERF_DATA_OPTIONS,
    ],
    epilogue:
      'One track per CPU with its hard IRQ, NET_RX softirq and napi_poll slices; per packet a flow arrow from ' +
      'the IRQ to netif_receive_skb to the copy or free (rx) and from net_dev_queue to net_dev_xmit to the free ' +
      '(tx); kfree_skb drops as instants with their reason. docs/timeline.md says how each is drawn.',
  },
  (r) => ({
    input: r.string('input'),
    output: r.string('output'),
    source: r.optionalString('source'),
    quiet: r.boolean('quiet'),
    ...filterArgs(r),
    ...perfDataArgs(r),
  }),
  async (a) => (await import('./timeline-command.js')).runTimeline(a),
);

/** In the order help lists them. */
export const COMMANDS: readonly CommandSpec[] = [convert, merge, report, record, summary, timeline, schema];

export const USAGE =
  '$0 <command> [options]\n\nTurn perf network traces (netdev-times tracepoints) into Parquet/Arrow tables,\nthe report of netdev-times.py, summaries and timelines.';
export const NO_COMMAND = 'name a command: convert, merge, report, summary, timeline, schema, record';
