/** `convert ... --append`: the inputs added to the dataset in the output folder (pipeline/append.ts). */
import { NetdevTimesError } from '../core/errors.js';
import type { FilterSpec } from '../filter/index.js';
import type { OutputFormat } from '../dataset/table-output.js';
import { appendInputs } from '../pipeline/append.js';
import { batchExit, batchOptions, type ConvertArgs } from './convert-command.js';
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
    ...batchOptions(a, inputs, formats, filter),
    onNote: (l) => process.stderr.write(`${l}\n`),
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
  return batchExit(outcomes);
}
