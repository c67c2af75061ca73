/**
 * `npm run bench`: times the real CLI (`convert` to every table in Parquet, `report` from text) as child
 * processes on the real tcp-bulk trace, on synthetic traces from the model and on tcp-bulk made 10x longer,
 * next to `perf script --ns` and the reference analyser on the same recording when they are available.
 *
 *   node dist/bench/run.js [--json] [--runs N] [--events N] [--seed N] [--scale N] [--dir DIR]
 *                          [--reference PATH] [--no-reference] [--no-perf]
 *
 * Inputs are made once in DIR (default $TMPDIR/netdev-times-bench) and reused; --scale 0 skips the long one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, repeated, synthetic, tcpBulkData, tcpBulkText, type Input } from './inputs.js';
import { measureCommand, measureNode, type Measurement } from './measure.js';
import { summarise, type CaseResult } from './report.js';

const BIN = join(ROOT, 'bin/netdev-times.js');

const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    events: { type: 'string', default: '547540' },
    seed: { type: 'string', default: '1' },
    scale: { type: 'string', default: '10' },
    dir: { type: 'string', default: join(tmpdir(), 'netdev-times-bench') },
    reference: { type: 'string', default: join(ROOT, '../shared/reference/netdev-times-reference.py') },
    'no-reference': { type: 'boolean', default: false },
    'no-perf': { type: 'boolean', default: false },
  },
});

const runs = Math.max(1, Number(opts.runs));
const dir = opts.dir;
mkdirSync(dir, { recursive: true });
const notes: string[] = [];
const log = (s: string): void => {
  if (!opts.json) process.stderr.write(`bench: ${s}\n`);
};

async function repeatRuns(n: number, f: () => Promise<Measurement & { stderr: string }>, what: string, before?: () => void): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (let i = 0; i < n; i++) {
    before?.();
    const m = await f();
    if (m.exitCode !== 0) throw new Error(`${what} failed (exit ${m.exitCode}): ${m.stderr.trim().slice(0, 2000)}`);
    const { stderr: _, ...rest } = m;
    out.push(rest);
  }
  return out;
}

/**
 * Each command as it runs by default, next to a thread count forced by NETDEV_TIMES_THREADS: convert on one
 * thread (by default it encodes Parquet on a second one for plain text of 32 MiB or more), the report with
 * segment decoding on a second thread (off by default).
 */
type Threads = 'default' | 1 | 2;

const threadsEnv = (t: Threads): Record<string, string> => (t === 'default' ? {} : { NETDEV_TIMES_THREADS: String(t) });
const withThreads = (name: string, t: Threads): string => (t === 'default' ? name : `${name}, ${t} thread${t > 1 ? 's' : ''}`);

async function convertCase(input: Input, n = runs, threads: Threads = 'default'): Promise<CaseResult> {
  const out = join(dir, `out-${input.name}`);
  const name = withThreads('convert', threads);
  log(`${name} ${input.name} (${n} run${n > 1 ? 's' : ''})`);
  // Each run into a new folder: replacing the previous output (--force) is not what is measured.
  const fresh = (): void => rmSync(out, { recursive: true, force: true });
  const m = await repeatRuns(n, () => measureNode(BIN, ['convert', input.path, '-o', out, '-q'], threadsEnv(threads)), `${name} ${input.name}`, fresh);
  rmSync(out, { recursive: true, force: true });
  return { name, input: input.name, events: input.events, bytes: input.bytes, runs: m };
}

async function reportCase(input: Input, threads: Threads = 'default'): Promise<CaseResult> {
  const name = withThreads('report', threads);
  log(`${name} ${input.name} (${runs} run${runs > 1 ? 's' : ''})`);
  const m = await repeatRuns(runs, () => measureNode(BIN, ['report', input.path], threadsEnv(threads)), `${name} ${input.name}`);
  return { name, input: input.name, events: input.events, bytes: input.bytes, runs: m };
}

function perfWorks(): boolean {
  const r = spawnSync('perf', ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

async function externalCase(name: string, input: Input, cmd: string, args: string[]): Promise<CaseResult | null> {
  log(`${name} (1 run)`);
  const m = await measureCommand(cmd, args);
  if (m.exitCode !== 0) {
    notes.push(`${name}: skipped, it failed (exit ${m.exitCode}): ${m.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
    return null;
  }
  const { stderr: _, ...rest } = m;
  return { name, input: 'tcp-bulk.data', events: input.events, bytes: input.bytes, runs: [rest] };
}

async function main(): Promise<void> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing`);
  const bulk = tcpBulkText(dir);
  const synthNs = synthetic(dir, Number(opts.events), Number(opts.seed), 'ns');
  const synthUs = synthetic(dir, Number(opts.events), Number(opts.seed), 'us');
  const cases: CaseResult[] = [];
  cases.push(await convertCase(bulk));
  cases.push(await reportCase(bulk));
  cases.push(await convertCase(bulk, runs, 1));
  cases.push(await reportCase(bulk, 2));
  cases.push(await convertCase(synthNs));
  cases.push(await convertCase(synthUs));
  cases.push(await reportCase(synthNs));
  const scale = Number(opts.scale);
  if (scale > 1) {
    log(`making ${scale}x tcp-bulk`);
    const big = repeated(dir, bulk, scale);
    cases.push(await convertCase(big, 1));
  }
  if (opts['no-perf'] || !perfWorks()) {
    notes.push(opts['no-perf'] ? 'perf script: skipped (--no-perf)' : 'perf script: skipped (perf is not installed)');
  } else {
    const data = tcpBulkData(dir);
    const ps = await externalCase('perf script --ns', bulk, 'perf', ['script', '--ns', '-i', data]);
    if (ps) cases.push(ps);
    if (opts['no-reference']) notes.push('reference: skipped (--no-reference)');
    else if (!existsSync(opts.reference)) notes.push(`reference: skipped (${opts.reference} not found)`);
    else {
      const ref = await externalCase('reference', bulk, 'perf', ['script', '-i', data, '-s', opts.reference]);
      if (ref) cases.push(ref);
    }
  }
  const machine = { cpus: availableParallelism(), model: cpus()[0]?.model ?? 'unknown', node: process.version };
  const result = summarise(cases, machine, notes, runs);
  process.stdout.write(opts.json ? JSON.stringify(result.json, null, 2) + '\n' : result.text + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
