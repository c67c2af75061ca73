/**
 * --time, --cpu, --comm, --pid and --tid select what perf script's options of the same names select: the
 * report under each equals, byte for byte, the reference analyser run under `perf script` with that option
 * (test/fixtures/filters/MADE-BY.txt says how each expected file was made), from perf.data read natively and
 * from perf script's --ns text of the same recording. A converted dataset and the summary follow the same
 * selection, and a filter that cannot mean what perf means is a one-line usage error.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, TRACES } from '../helpers/fixtures.js';
import { rows } from '../helpers/duck.js';

const FILTERS = `${ROOT}test/fixtures/filters/`;
const dir = mkdtempSync(join(tmpdir(), 'ndt-filters-'));
const hasXz = spawnSync('sh', ['-c', 'command -v xz'], { encoding: 'utf8' }).stdout.trim() !== '';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const expected = (name: string): string => readFileSync(`${FILTERS}${name}.report.txt`, 'utf8');

interface Case {
  /** test/fixtures/filters/<name>.report.txt */
  name: string;
  workload: string;
  args: string[];
  /** The same recording as perf script --ns text (with pid/tid for --pid); null: perf.data only. */
  text: string | null;
}

const ETH_NS = `${TRACES}eth-npm.ns.txt`;
const CASES: Case[] = [
  // Starts inside an IRQ whose NET_RX softirq_raise comes before any softirq_entry: the reference drops that
  // raise (perf has not defined softirq_entry's symbols yet), so the hunk is not printed.
  { name: 'eth-npm.time-range', workload: 'eth-npm', args: ['--time', '1521.3,1522.4'], text: ETH_NS },
  { name: 'eth-npm.time-two-ranges', workload: 'eth-npm', args: ['--time', '1520.5,1521 1522,1523'], text: ETH_NS },
  { name: 'eth-npm.time-from', workload: 'eth-npm', args: ['--time', '1521,'], text: ETH_NS },
  { name: 'eth-npm.time-to', workload: 'eth-npm', args: ['--time', ',1521.5'], text: ETH_NS },
  // The queue and the free of one packet, exactly: both ends are inclusive, so its line is there...
  { name: 'eth-npm.time-exact', workload: 'eth-npm', args: ['--time', '1520.843762144,1520.843984972'], text: ETH_NS },
  // ...and a nanosecond less on each side, it is not.
  {
    name: 'eth-npm.time-exact-inside',
    workload: 'eth-npm',
    args: ['--time', '1520.843762145,1520.843984971'],
    text: ETH_NS,
  },
  // Percents need the recording's first and last sample times: perf.data only.
  { name: 'eth-npm.time-slice', workload: 'eth-npm', args: ['--time', '10%/2'], text: null },
  { name: 'eth-npm.time-percent-ranges', workload: 'eth-npm', args: ['--time', '0%-10%,30%-40%'], text: null },
  { name: 'eth-npm.cpu-1', workload: 'eth-npm', args: ['--cpu', '1'], text: ETH_NS },
  { name: 'eth-npm.cpu-0', workload: 'eth-npm', args: ['--cpu', '0-0'], text: ETH_NS },
  { name: 'eth-npm.cpu-1-rx', workload: 'eth-npm', args: ['--cpu', '1', 'rx'], text: ETH_NS },
  { name: 'eth-npm.cpu-1-dev', workload: 'eth-npm', args: ['--cpu', '1', 'dev=virtio2'], text: ETH_NS },
  { name: 'eth-npm.comm', workload: 'eth-npm', args: ['--comms', 'npm pack is-num,swapper'], text: ETH_NS },
  {
    name: 'eth-npm.pid',
    workload: 'eth-npm',
    args: ['--pid', '14988,0'],
    text: hasXz ? `${FILTERS}eth-npm.tid.ns.txt.xz` : null,
  },
  { name: 'eth-npm.tid', workload: 'eth-npm', args: ['--tid', '14977'], text: ETH_NS },
  { name: 'http-lo.comm', workload: 'http-lo', args: ['--comm', 'curl,node'], text: `${TRACES}http-lo.ns.txt` },
  { name: 'udp-drop.cpu-time', workload: 'udp-drop', args: ['--cpu', '0', '--time', '1526,1527.5'], text: null },
];

describe('report under a filter: the reference under perf script with the same option', () => {
  it.each(CASES)('$name: perf.data, natively', ({ name, workload, args }) => {
    const want = expected(name);
    // The filter changes the report: a test of it that an ignored option would pass is no test.
    expect(want).not.toBe(readFileSync(`${TRACES}${workload}.report.txt`, 'utf8'));
    const r = cli(['report', `${TRACES}${workload}.data`, ...args]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout === want).toBe(true);
  });

  it.each(CASES.filter((c) => c.text !== null))('$name: perf script --ns text', ({ name, text, args }) => {
    const r = cli(['report', text ?? '', ...args]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout === expected(name)).toBe(true);
  });
});

describe('the tables and the summary follow the filter', () => {
  const out = join(dir, 'cpu-1');

  it('convert --cpu 1: the report of the dataset is the filtered one, and the manifest says it is a subset', () => {
    const r = cli(['convert', `${TRACES}eth-npm.data`, '-o', out, '-q', '--cpu', '1']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(cli(['report', out]).stdout === expected('eth-npm.cpu-1')).toBe(true);
    expect(cli(['report', out, 'rx']).stdout === expected('eth-npm.cpu-1-rx')).toBe(true);
    const manifest: unknown = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ inputs: [{ filter: { cpu: '1' } }] });
    const input = (manifest as { inputs: { filter: { events_filtered_out: number }; lines: { events: number } }[] })
      .inputs[0];
    // `lines` counts the whole recording; the filter, what it dropped (the CPU 0 events).
    expect(input.filter.events_filtered_out).toBeGreaterThan(0);
    expect(input.filter.events_filtered_out).toBeLessThan(input.lines.events);
  });

  it('many inputs: each worker applies the filter to its input', () => {
    const many = join(dir, 'many-cpu-1');
    const r = cli(['convert', `${TRACES}eth-npm.data`, `${TRACES}http-lo.ns.txt`, '-o', many, '-q', '--cpu', '1']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(cli(['report', many, '--source', 'eth-npm.data']).stdout === expected('eth-npm.cpu-1')).toBe(true);
    const manifest: unknown = JSON.parse(readFileSync(join(many, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ inputs: [{ filter: { cpu: '1' } }, { filter: { cpu: '1' } }] });
  });

  it('summary --cpu 1 of the trace is the summary of the dataset converted with --cpu 1', () => {
    expect(existsSync(join(out, 'manifest.json'))).toBe(true);
    const trace = `${TRACES}eth-npm.data`;
    const filtered = cli(['summary', trace, '--cpu', '1', '--json']);
    expect(filtered.status).toBe(0);
    const whole = cli(['summary', trace, '--json']);
    const ofDataset = cli(['summary', out, '--json']);
    expect(filtered.stdout.replaceAll(trace, 'X')).toBe(ofDataset.stdout.replaceAll(out, 'X'));
    expect(filtered.stdout).not.toBe(whole.stdout);
    // Each says it covers a subset, and which: nothing in a summary may pass for the whole trace.
    const said = JSON.parse(filtered.stdout) as { sources: { filter: Record<string, unknown> | null }[] };
    expect(said.sources[0].filter).toMatchObject({ cpu: '1' });
    expect(said.sources[0].filter?.events_filtered_out).toBeGreaterThan(0);
    expect((JSON.parse(whole.stdout) as { sources: { filter: unknown }[] }).sources[0].filter).toBeNull();
    const text = cli(['summary', out]);
    expect(text.stdout).toMatch(/\n {2}subset: only the events of --cpu 1 \(\d+ events filtered out\)\n/);
  });
});

describe('convert --dev: the tables keep what the report keeps under dev=NAME', () => {
  const converted = (input: string, dev: string): string => {
    const out = join(dir, `dev-${dev}-${input.replace(/\W/g, '')}`);
    if (existsSync(join(out, 'manifest.json'))) return out;
    const r = cli(['convert', `${TRACES}${input}`, '-o', out, '-q', '--dev', dev]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return out;
  };

  it.each(['virtio2', 'eth0'])('--dev %s: the report of the dataset is the reference with dev=NAME', (dev) => {
    const out = converted('eth-npm.data', dev);
    const want = readFileSync(`${TRACES}eth-npm.dev-${dev}.txt`, 'utf8');
    expect(want).not.toBe(readFileSync(`${TRACES}eth-npm.report.txt`, 'utf8'));
    expect(cli(['report', out]).stdout === want).toBe(true);
    const manifest: unknown = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ inputs: [{ filter: { dev, events_filtered_out: 0 } }] });
  });

  it('--dev virtio2: every receive row belongs to a kept hunk, no transmit (eth0), events of that name only', async () => {
    const out = converted('eth-npm.data', 'virtio2');
    const one = async (sql: string): Promise<unknown> => (await rows(sql))[0].n;
    expect(await one(`SELECT count(*)::INTEGER AS n FROM '${out}/rx_hunks.parquet'`)).toBeGreaterThan(0);
    for (const t of ['rx_irqs', 'rx_irq_events', 'rx_napi_polls', 'rx_packets'])
      expect(
        await one(
          `SELECT count(*)::INTEGER AS n FROM '${out}/${t}.parquet' WHERE hunk_id IS NULL OR hunk_id NOT IN (SELECT hunk_id FROM '${out}/rx_hunks.parquet')`,
        ),
      ).toBe(0);
    expect(
      await one(
        `SELECT count(DISTINCT hunk_id)::INTEGER AS n FROM '${out}/rx_irqs.parquet' WHERE irq_name LIKE '%virtio2%'`,
      ),
    ).toBe(await one(`SELECT count(*)::INTEGER AS n FROM '${out}/rx_hunks.parquet'`));
    expect(await one(`SELECT count(*)::INTEGER AS n FROM '${out}/tx_packets.parquet'`)).toBe(0);
    expect(
      await one(
        `SELECT count(*)::INTEGER AS n FROM '${out}/events.parquet' WHERE coalesce(dev, '') NOT LIKE '%virtio2%' AND coalesce(irq_name, '') NOT LIKE '%virtio2%'`,
      ),
    ).toBe(0);
  });

  it('--dev lo: loopback packets, which have no hunk, keep their own device', async () => {
    const all = join(dir, 'http-lo-all');
    expect(cli(['convert', `${TRACES}http-lo.data`, '-o', all, '-q']).status).toBe(0);
    const out = converted('http-lo.data', 'lo');
    const count = async (dataset: string, t: string): Promise<unknown> =>
      (await rows(`SELECT count(*)::INTEGER AS n FROM '${dataset}/${t}.parquet' WHERE dev = 'lo'`))[0].n;
    expect(await count(out, 'rx_packets')).toBeGreaterThan(0);
    expect(await count(out, 'rx_packets')).toBe(await count(all, 'rx_packets'));
    expect(await count(out, 'tx_packets')).toBe(await count(all, 'tx_packets'));
    expect(cli(['report', out]).stdout === readFileSync(`${TRACES}http-lo.report.txt`, 'utf8')).toBe(true);
  });
});

describe('a filter that cannot mean what it means in perf is a usage error', () => {
  const refused: [string, string[], RegExp][] = [
    ['--pid on text with no pid column', ['report', ETH_NS, '--pid', '14988'], /^netdev-times: --pid: /],
    ['--time with no comma', ['report', ETH_NS, '--time', '1520.5'], /^netdev-times: --time '1520.5': /],
    ['--time END before START', ['summary', ETH_NS, '--time', '1521,1520'], /END is before START/],
    ['a percent on text', ['report', ETH_NS, '--time', '10%'], /perf\.data/],
    ['a CPU the recording lacks', ['report', `${TRACES}eth-npm.data`, '--cpu', '2'], /CPU 2 is not in the recording/],
    ['a CPU listed twice', ['report', ETH_NS, '--cpu', '0,0'], /listed twice/],
    ['a filter on a converted dataset', ['report', join(dir, 'cpu-1'), '--cpu', '0'], /give the trace/],
  ];
  it.each(refused)('%s', (_what, args, message) => {
    const r = cli(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
