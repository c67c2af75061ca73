/** `convert ... --append`: the inputs added to the dataset in the output folder (pipeline/append.ts). */
import { NetdevTimesError } from '../core/errors.js';
import type { FilterSpec } from '../filter/index.js';
import type { OutputFormat } from '../dataset/table-output.js';
import { appendInputs } from '../pipeline/append.js';
import type { ConvertArgs } from './convert-command.js';
import { EXIT } from './errors.js';

export async function runAppend(
  a: ConvertArgs,
  inputs: string[],
  formats: OutputFormat[],
  filter: FilterSpec | null,
): Promise<number> {
  const t0 = performance.now();
  if (a.output === '-') throw new NetdevTimesError("--append adds to a dataset folder, not to '-o -'", EXIT.usage);
  if (a.force) throw new NetdevTimesError('--append keeps the dataset, --force replaces it: choose one', EXIT.usage);
  if (inputs.includes('-'))
    throw new NetdevTimesError("--append needs files: stdin ('-') has no content hash to recognise it by", EXIT.usage);
  const { manifest, outcomes, skipped, merge } = await appendInputs({
    inputs,
    outDir: a.output,
    formats,
    payload: a.payload,
    perf: a.perf,
    viaPerf: a.viaPerf,
    kallsyms: a.kallsyms,
    filter,
    dev: a.dev,
    jobs: a.jobs,
    strict: a.strict,
    onNote: (l) => process.stderr.write(`${l}\n`),
    onInputDone: (o) => {
      if (!o.ok) process.stderr.write(`netdev-times: ${o.error}\n`);
      else if (!a.quiet && process.stderr.isTTY) process.stderr.write(`netdev-times: ${o.input}: done\n`);
    },
  });
  if (a.json) process.stdout.write(JSON.stringify(manifest, null, 2) + '\n');
  const failed = outcomes.filter((o) => !o.ok).length;
  if (!a.quiet) {
    const secs = ((performance.now() - t0) / 1000).toFixed(2);
    const added = merge?.added ?? 0;
    process.stderr.write(
      `netdev-times: ${added} inputs added, ${skipped} skipped (already there), ${failed} failed -> ${a.output} ` +
        `(${manifest.inputs.length} inputs; ${manifest.tables.map((t) => `${t.name} ${t.rows}`).join(', ')}) in ${secs} s\n`,
    );
  }
  if (failed === 0) return EXIT.ok;
  process.stderr.write(`netdev-times: ${failed} of ${outcomes.length} inputs failed\n`);
  return failed === outcomes.length ? EXIT.badInput : EXIT.someInputsFailed;
}
