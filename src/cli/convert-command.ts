import type { Argv } from 'yargs';
import { NetdevTimesError } from '../decode/types.js';
import { convert } from '../emit/convert.js';
import type { OutputFormat } from '../emit/table-output.js';

export interface ConvertArgs {
  input: string;
  output: string;
  format: string;
  payload: boolean;
  json: boolean;
  quiet: boolean;
  perf: string;
}

const FORMATS: ReadonlySet<string> = new Set(['parquet', 'arrow']);

export function parseFormats(spec: string): OutputFormat[] {
  const out: OutputFormat[] = [];
  for (const f of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (f !== 'parquet' && f !== 'arrow') throw new NetdevTimesError(`unknown format '${f}' (use ${[...FORMATS].join(', ')})`, 2);
    if (!out.includes(f)) out.push(f);
  }
  if (out.length === 0) throw new NetdevTimesError('--format needs at least one of parquet, arrow', 2);
  return out;
}

export function convertBuilder(y: Argv): Argv<ConvertArgs> {
  return y
    .positional('input', { type: 'string', demandOption: true, describe: "perf script text (.gz/.xz ok), or '-' for stdin" })
    .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'output folder' })
    .option('format', { alias: 'f', type: 'string', default: 'parquet', describe: 'comma-separated: parquet, arrow' })
    .option('payload', { type: 'boolean', default: false, describe: 'keep the raw payload text of every event' })
    .option('json', { type: 'boolean', default: false, describe: 'print the manifest as JSON on stdout' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no summary on stderr' })
    .option('perf', { type: 'string', default: 'perf', describe: 'perf binary used to read perf.data inputs' });
}

/** yargs hands a lone `-` positional over as an empty string. */
export const stdinAware = (path: string): string => (path === '' ? '-' : path);

export async function runConvert(a: ConvertArgs): Promise<number> {
  a = { ...a, input: stdinAware(a.input) };
  const formats = parseFormats(a.format);
  const t0 = performance.now();
  const rejects: string[] = [];
  const { manifest, manifestPath } = await convert({
    input: a.input,
    outDir: a.output,
    formats,
    payload: a.payload,
    perf: a.perf,
    onReject: (r) => {
      if (rejects.length < 5) rejects.push(`${a.input}:${r.line}: ${r.reason}`);
    },
  });
  const secs = (performance.now() - t0) / 1000;
  if (a.json) process.stdout.write(JSON.stringify(manifest, null, 2) + '\n');
  if (!a.quiet) {
    const inp = manifest.inputs[0];
    const tables = manifest.tables.map((t) => `${t.name} ${t.rows}`).join(', ');
    process.stderr.write(
      `netdev-times: ${inp.path}: ${inp.lines.events} events, ${inp.lines.rejected} rejected lines -> ${a.output} ` +
        `(${formats.join('+')}: ${tables}; ${manifestPath}) in ${secs.toFixed(2)} s\n`,
    );
    for (const r of rejects) process.stderr.write(`  rejected ${r}\n`);
  }
  return 0;
}
