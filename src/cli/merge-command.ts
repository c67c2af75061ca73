import { NetdevTimesError } from '../core/errors.js';
import { mergeDatasets } from '../dataset/merge.js';
import { stdinAware } from './stdio.js';
import { EXIT } from './errors.js';

export interface MergeArgs {
  datasets: string[];
  output: string;
  append: boolean;
  json: boolean;
  quiet: boolean;
}

export async function runMerge(a: MergeArgs): Promise<number> {
  const t0 = performance.now();
  const outDir = stdinAware(a.output);
  if (outDir === '-') throw new NetdevTimesError("merge writes a dataset folder, not '-o -'", EXIT.usage);
  const r = mergeDatasets({
    outDir,
    from: a.datasets,
    append: a.append,
    onNote: (l) => process.stderr.write(`${l}\n`),
  });
  if (a.json) process.stdout.write(JSON.stringify(r.manifest, null, 2) + '\n');
  if (!a.quiet) {
    const secs = ((performance.now() - t0) / 1000).toFixed(2);
    const skipped = r.skipped > 0 ? `, ${r.skipped} already there skipped` : '';
    process.stderr.write(
      `netdev-times: ${a.datasets.length} datasets: ${r.added} inputs added${skipped} -> ${outDir} ` +
        `(${r.manifest.inputs.length} inputs; files: ${r.linked} hard-linked, ${r.copied} copied) in ${secs} s\n`,
    );
  }
  return Promise.resolve(EXIT.ok);
}
