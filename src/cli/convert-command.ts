import { inputLabel } from '../input/open.js';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { NetdevTimesError } from '../core/errors.js';
import { abortAllFileSinks } from '../formats/byte-sink.js';
import {
  abortAllBatches,
  convertMany,
  stopAllBatches,
  type InputOutcome,
  type ManyOptions,
} from '../pipeline/convert-many.js';
import { convert } from '../pipeline/convert.js';
import { pruneDataset } from '../dataset/dataset.js';
import { tableNames } from '../tables/schema.js';
import type { Manifest } from '../dataset/manifest.js';
import type { OutputFormat } from '../dataset/table-output.js';
import { EXIT } from './errors.js';
import { writersLoaded } from './process-handlers.js';
import { Progress } from './progress.js';
import { stdinAware } from './stdio.js';
import { parseFilterArgs, type FilterArgs } from '../filter/parse.js';
import type { FilterSpec } from '../filter/index.js';

export interface ConvertArgs extends FilterArgs {
  dev?: string;
  inputs: string[];
  output: string;
  format: string;
  table: string;
  payload: boolean;
  json: boolean;
  quiet: boolean;
  perf: string;
  viaPerf: boolean;
  kallsyms?: string;
  jobs?: number;
  force: boolean;
  /** Add the inputs to the dataset in `output` (pipeline/append.ts) instead of writing a new one. */
  append: boolean;
  strict: boolean;
}

const FORMATS: ReadonlySet<string> = new Set(['parquet', 'arrow']);

export function parseFormats(spec: string): OutputFormat[] {
  const out: OutputFormat[] = [];
  for (const f of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (f !== 'parquet' && f !== 'arrow')
      throw new NetdevTimesError(`unknown format '${f}' (use ${[...FORMATS].join(', ')})`, EXIT.usage);
    if (!out.includes(f)) out.push(f);
  }
  if (out.length === 0) throw new NetdevTimesError('--format needs at least one of parquet, arrow', EXIT.usage);
  return out;
}

const isDir = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** `inputs` as typed: the manifest names them relative to the dataset instead. */
/** What the readers had to work around, and what the kernel lost: on stderr, one line each. */
function warnings(m: Manifest, inputs: readonly string[]): string {
  let out = '';
  m.inputs.forEach((input, k) => {
    const label = inputLabel(inputs.length === m.inputs.length ? inputs[k] : input.path);
    for (const w of input.warnings) out += `netdev-times: ${label}: warning: ${w}\n`;
    if (input.lost_events > 0)
      out += `netdev-times: ${label}: warning: ${input.lost_events} events lost by the kernel (PERF_RECORD_LOST): packets near them may be incomplete\n`;
  });
  return out;
}

function summaryLine(m: Manifest, inputs: readonly string[], out: string, secs: number): string {
  const events = m.inputs.reduce((n, i) => n + i.lines.events, 0);
  const rejected = m.inputs.reduce((n, i) => n + i.lines.rejected, 0);
  const tables = m.tables.map((t) => `${t.name} ${t.rows}`).join(', ');
  const what = inputs.length === 1 ? inputLabel(inputs[0]) : `${inputs.length} inputs`;
  return `netdev-times: ${what}: ${events} events, ${rejected} rejected lines -> ${out} (${tables}) in ${secs.toFixed(2)} s\n`;
}

/** What every conversion takes from the command line, one input or many. */
function settings(a: ConvertArgs, formats: OutputFormat[], filter: FilterSpec | null) {
  return {
    formats,
    payload: a.payload,
    perf: a.perf,
    viaPerf: a.viaPerf,
    kallsyms: a.kallsyms,
    filter,
    dev: a.dev,
    strict: a.strict,
  };
}

/** What a conversion of many inputs takes from the command line (a new dataset, or --append). */
export function batchOptions(
  a: ConvertArgs,
  inputs: string[],
  formats: OutputFormat[],
  filter: FilterSpec | null,
): Omit<ManyOptions, 'force'> {
  return {
    ...settings(a, formats, filter),
    inputs,
    outDir: a.output,
    jobs: a.jobs,
    onInputDone: (o) => {
      if (!o.ok) process.stderr.write(`netdev-times: ${o.error}\n`);
      else if (!a.quiet && process.stderr.isTTY) process.stderr.write(`netdev-times: ${o.input}: done\n`);
    },
  };
}

/** A batch's exit: 0, or how many inputs failed (said on stderr), all of them (1) or some (4). */
export function batchExit(outcomes: readonly InputOutcome[]): number {
  const failed = outcomes.filter((o) => !o.ok).length;
  if (failed === 0) return EXIT.ok;
  process.stderr.write(`netdev-times: ${failed} of ${outcomes.length} inputs failed\n`);
  return failed === outcomes.length ? EXIT.badInput : EXIT.someInputsFailed;
}

export async function runConvert(a: ConvertArgs): Promise<number> {
  writersLoaded({ abortAllFileSinks, abortAllBatches, stopAllBatches });
  const inputs = a.inputs.map(stdinAware);
  const formats = parseFormats(a.format);
  const filter = parseFilterArgs(a);
  a = { ...a, output: stdinAware(a.output) };
  const toStdout = a.output === '-';
  if (toStdout && a.json) throw new NetdevTimesError("--json and '-o -' both want stdout: choose one", EXIT.usage);
  if (toStdout && !tableNames().includes(a.table)) {
    throw new NetdevTimesError(`unknown table '${a.table}' (use ${tableNames().join(', ')})`, EXIT.usage);
  }
  const t0 = performance.now();
  if (a.append) return (await import('./append-command.js')).runAppend(a, inputs, formats, filter);
  const single = inputs.length === 1 && !isDir(inputs[0]);
  if (!single) {
    if (toStdout) throw new NetdevTimesError("'-o -' streams one input; write many inputs to a folder", EXIT.usage);
    if (inputs.includes('-')) throw new NetdevTimesError("stdin ('-') can only be converted alone", EXIT.usage);
    const { manifest, outcomes } = await convertMany({ ...batchOptions(a, inputs, formats, filter), force: a.force });
    if (a.json) process.stdout.write(JSON.stringify(manifest, null, 2) + '\n');
    process.stderr.write(warnings(manifest, []));
    if (!a.quiet) process.stderr.write(summaryLine(manifest, inputs, a.output, (performance.now() - t0) / 1000));
    return batchExit(outcomes);
  }
  const input = inputs[0];
  const rejects: string[] = [];
  const progress = Progress.start(input, { quiet: a.quiet, viaPerf: a.viaPerf });
  try {
    const { manifest, manifestPath } = await convert({
      input,
      outDir: toStdout ? '' : a.output,
      stream: toStdout ? { table: a.table, sink: process.stdout } : undefined,
      ...settings(a, formats, filter),
      force: a.force,
      onProgress: progress ? (bytes, events) => progress.update(bytes, events) : undefined,
      meter: progress?.meter,
      onReject: (r) => {
        if (rejects.length < 5) rejects.push(`${input}:${r.line}: ${r.reason}`);
      },
    });
    progress?.done();
    // A replaced dataset keeps nothing of the previous one (partitions of a batch, a format not written now).
    if (a.force && !toStdout)
      pruneDataset(
        a.output,
        manifest.tables.flatMap((t) => t.files.map((f) => join(a.output, f.path))),
      );
    if (a.json) process.stdout.write(JSON.stringify(manifest, null, 2) + '\n');
    process.stderr.write(warnings(manifest, inputs));
    if (!a.quiet) {
      process.stderr.write(
        summaryLine(
          manifest,
          inputs,
          toStdout ? 'stdout' : manifestPath.replace(/manifest\.json$/, ''),
          (performance.now() - t0) / 1000,
        ),
      );
      const rejected = manifest.inputs[0].lines.rejected;
      if (rejected > 0) {
        process.stderr.write(`netdev-times: ${rejected} rejected lines (per reason in the manifest), first ones:\n`);
        for (const r of rejects) process.stderr.write(`  ${r}\n`);
      }
      if (manifest.inputs[0].unterminated_last_line) {
        process.stderr.write(
          `netdev-times: ${input}:${manifest.inputs[0].lines.lines}: the last line has no newline (was the file cut short?)\n`,
        );
      }
    }
  } finally {
    progress?.done();
  }
  return EXIT.ok;
}
