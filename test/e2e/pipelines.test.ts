/**
 * The data-ecosystem items of the CLI, end to end through bin/netdev-times.js: perf.data input, batch
 * conversion into a hive-partitioned dataset (read by DuckDB), a failed input among good ones (exit 4),
 * `-o - --table` into apache-arrow's stream reader, `--json`, the `schema` command and `record`.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordBatchReader, tableFromIPC, type Schema, type TypeMap } from 'apache-arrow';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { Progress } from '../../src/cli/progress.js';
import { convert } from '../../src/pipeline/convert.js';
import { EVENT_NAMES } from '../../src/normalise/kinds.js';
import type { InputSummary, Manifest } from '../../src/dataset/manifest.js';
import { SCHEMA_DIR, tableNames } from '../../src/tables/schema.js';
import { rows } from '../helpers/duck.js';
import { BIN, TRACES } from '../helpers/fixtures.js';
import { hasKeys, parseManifest, readJson } from '../helpers/json.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ndt-pipes-'));
const cli = (args: string[], input?: Buffer): SpawnSyncReturns<Buffer> =>
  spawnSync('node', [BIN, ...args], { input, maxBuffer: 1 << 28 });

/** A batch dataset's manifest: each input names its partition source. */
type BatchManifest = Omit<Manifest, 'inputs'> & { inputs: (InputSummary & { source: string })[] };

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The compiled CLI's main() in this process, stdout and stderr captured: for commands that need no real process
 * (no pipe, no signal), without the start-up of one. From dist/, like bin/, so batch workers load compiled code.
 */
async function inProcess(args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const capture =
    (to: string[]) =>
    (chunk: string | Uint8Array): boolean => {
      to.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      return true;
    };
  const o = vi.spyOn(process.stdout, 'write').mockImplementation(capture(out));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(capture(err));
  try {
    const status = await main(args);
    return { status, stdout: out.join(''), stderr: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** The CLI as a child process, asynchronously: independent runs of one test go in parallel. */
function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('node', [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('close', (status) =>
      resolve({ status, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
    );
  });
}

const hasPerf = spawnSync('perf', ['--version']).status === 0;
const isRoot = process.getuid?.() === 0;

/** Every typed column but `location` and `callchain`, which perf script symbolises with the machine's own symbols. */
const COLS =
  'time_ns, cpu, tid, comm, event, dev, skbaddr, len, rc, irq, irq_name, ret, vec, vec_name, napi, work, budget, protocol, reason, rx_sk, payload';

/** perf prints the address of a symbol it cannot resolve here; the text fixture has the recording machine's symbol. */
function sameLocation(fromData: unknown, fromText: unknown): boolean {
  return (
    fromData === fromText ||
    (typeof fromData === 'string' && /^0x[0-9a-f]+$/.test(fromData) && typeof fromText === 'string')
  );
}

describe('perf.data input', () => {
  it.skipIf(!hasPerf)(
    'eth-npm.data gives the events of its perf script text, row by row, with pid from the pid/tid layout; --json prints the manifest',
    async () => {
      const dir = tmp();
      const [r] = await Promise.all([
        run(['convert', `${TRACES}eth-npm.data`, '-o', `${dir}/data`, '-q', '--json']),
        convert({ input: `${TRACES}eth-npm.ns.txt`, outDir: `${dir}/text` }),
      ]);
      expect(r.status, r.stderr).toBe(0);
      // --json: the manifest, and only it, on stdout.
      const manifest = parseManifest(r.stdout);
      expect(manifest).toEqual(JSON.parse(readFileSync(`${dir}/data/manifest.json`, 'utf8')));
      expect(manifest.inputs[0].kind).toBe('perf-data');
      const data = await rows(`SELECT ${COLS}, location, pid FROM '${dir}/data/events.parquet' ORDER BY line`);
      const texts = await rows(`SELECT ${COLS}, location FROM '${dir}/text/events.parquet' ORDER BY line`);
      expect(data.length).toBe(4842);
      expect(data.map(({ location: _l, pid: _p, ...x }) => x)).toEqual(texts.map(({ location: _l, ...x }) => x));
      expect(data.filter((d, i) => !sameLocation(d.location, texts[i].location))).toEqual([]);
      // The pid/tid layout of the same recording (eth-npm.tid.txt: "comm pid/tid [cpu] ...") has the same pids.
      const pids = readFileSync(`${TRACES}eth-npm.tid.txt`, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => Number(/ (-?\d+)\/-?\d+\s+\[/.exec(l)?.[1]));
      expect(data.map((d) => d.pid)).toEqual(pids);
    },
  );

  it.skipIf(!hasPerf)(
    'callchain.data: the same events and, frame by frame, the same callchain addresses as its text',
    async () => {
      const dir = tmp();
      await Promise.all([
        convert({ input: `${TRACES}callchain.data`, outDir: `${dir}/data` }),
        convert({ input: `${TRACES}callchain.ns.txt.xz`, outDir: `${dir}/text` }),
      ]);
      const q = (d: string): string =>
        `SELECT ${COLS}, list_transform(callchain, f -> split_part(f, ' ', 1)) AS frames FROM '${d}/events.parquet' ORDER BY time_ns, line`;
      const data = await rows(q(`${dir}/data`));
      const text = await rows(q(`${dir}/text`));
      expect(data.length).toBe(6466);
      expect(data).toEqual(text);
    },
  );
});

describe('batch conversion', () => {
  it('many inputs (files, a folder with a .xz and a broken file) -> one hive-partitioned dataset; the failure is exit 4', async () => {
    const dir = tmp();
    const folder = join(dir, 'more');
    mkdirSync(folder);
    copyFileSync(`${TRACES}callchain.txt.xz`, join(folder, 'c.txt.xz'));
    writeFileSync(join(folder, 'broken.txt'), 'this is not a perf script output\n');
    copyFileSync(`${TRACES}eth-npm.txt`, join(dir, 'a.txt'));
    copyFileSync(`${TRACES}http-lo.ns.txt`, join(dir, 'b.ns.txt'));
    const out = join(dir, 'out');
    const r = cli(['convert', join(dir, 'a.txt'), join(dir, 'b.ns.txt'), folder, '-o', out, '-j', '2']);
    expect(r.status).toBe(4);
    const err = r.stderr.toString();
    expect(err).toMatch(/broken\.txt: no perf event line/);
    expect(err).toMatch(/1 of 4 inputs failed/);

    const m = readJson(join(out, 'manifest.json'), hasKeys<BatchManifest>('inputs', 'failed', 'tables'));
    expect(m.inputs.map((i: { source: string }) => i.source)).toEqual(['a.txt', 'b.ns.txt', 'c.txt']);
    expect(m.failed?.map((f: { source: string }) => f.source)).toEqual(['broken.txt']);
    expect(existsSync(join(out, 'events', 'source=broken.txt'))).toBe(false);

    const perSource = await rows(
      `SELECT source, count(*)::INTEGER AS n FROM read_parquet('${out}/events/**/*.parquet', hive_partitioning = true) GROUP BY 1 ORDER BY 1`,
    );
    expect(perSource).toEqual(
      m.inputs.map((i: { source: string; lines: { events: number } }) => ({ source: i.source, n: i.lines.events })),
    );
    expect(perSource.find((p) => p.source === 'a.txt')?.n).toBe(4842);
    expect(perSource.find((p) => p.source === 'c.txt')?.n).toBe(6466);
    // Every table is one dataset with the source column, and its rows add up to the manifest's.
    for (const t of m.tables) {
      const [c] = await rows(
        `SELECT count(*)::INTEGER AS n, count(DISTINCT source)::INTEGER AS s FROM read_parquet('${out}/${t.name}/**/*.parquet', hive_partitioning = true)`,
      );
      expect(c.n, t.name).toBe(t.rows);
      if (t.rows > 0) expect(c.s).toBeGreaterThan(0);
    }
  });
});

describe('batch conversion: replacing and interrupting', () => {
  const tree = (dir: string): string[] =>
    existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : [];

  it('--force leaves only the new dataset: no partition of an input not converted again, no flat file of a single input', async () => {
    const out = join(tmp(), 'out');
    const a = `${TRACES}eth-npm.ns.txt`;
    const b = `${TRACES}http-lo.ns.txt`;
    expect((await inProcess(['convert', a, '-o', out, '-q', '-f', 'parquet,arrow'])).status).toBe(0);
    expect((await inProcess(['convert', a, b, '-o', out, '-q', '--force'])).status).toBe(0);
    expect(tree(out).filter((f) => !f.includes('/'))).not.toContain('events.parquet');
    expect(tree(join(out, 'events'))).toEqual([
      'source=eth-npm.ns.txt',
      'source=eth-npm.ns.txt/part-0.parquet',
      'source=http-lo.ns.txt',
      'source=http-lo.ns.txt/part-0.parquet',
    ]);
    expect((await inProcess(['convert', b, `${TRACES}udp-drop.ns.txt`, '-o', out, '-q', '--force'])).status).toBe(0);
    expect(tree(join(out, 'tx_packets'))).toEqual([
      'source=http-lo.ns.txt',
      'source=http-lo.ns.txt/part-0.parquet',
      'source=udp-drop.ns.txt',
      'source=udp-drop.ns.txt/part-0.parquet',
    ]);
    expect((await inProcess(['convert', a, '-o', out, '-q', '--force'])).status).toBe(0);
    expect(tree(out)).toEqual([...tableNames().map((t) => `${t}.parquet`), 'manifest.json'].sort());
  });

  it('SIGINT during a batch leaves no temporary file of its worker threads', async () => {
    const out = join(tmp(), 'out');
    const child = spawn(
      'node',
      [BIN, 'convert', `${TRACES}tcp-bulk.ns.txt.xz`, `${TRACES}tcp-bulk.txt.xz`, '-o', out, '-q'],
      { stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const temps = (): string[] => tree(out).filter((f) => /\.tmp-\d+$/.test(f));
    const t0 = Date.now();
    while (temps().length === 0 && child.exitCode === null && Date.now() - t0 < 20_000)
      await new Promise((r) => setTimeout(r, 20));
    expect(temps().length, 'the workers are writing').toBeGreaterThan(0);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(temps()).toEqual([]);
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
  });
});

describe('pipelines', () => {
  it("-o - --table tx_packets streams Arrow IPC that apache-arrow's stream reader reads, equal to the file", async () => {
    const dir = tmp();
    await convert({ input: `${TRACES}eth-npm.ns.txt`, outDir: dir, formats: ['arrow'] });
    const file = tableFromIPC<TypeMap>(readFileSync(join(dir, 'tx_packets.arrow')));
    const child = spawn('node', [BIN, 'convert', `${TRACES}eth-npm.ns.txt`, '-o', '-', '--table', 'tx_packets', '-q'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const got: Record<string, unknown>[] = [];
    let schema: Schema | undefined;
    for await (const batch of await RecordBatchReader.from(child.stdout)) {
      schema = batch.schema;
      for (const row of batch) got.push(row.toJSON());
    }
    expect(await exited).toBe(0);
    expect(schema?.fields.map((f) => f.name)).toEqual(file.schema.fields.map((f) => f.name));
    expect(schema?.metadata.get('netdev_times.table')).toBe('tx_packets');
    expect(got.length).toBe(65);
    expect(got).toEqual(file.batches.flatMap((b) => b.toArray().map((r) => r.toJSON())));
  });

  it('a reader that goes away (| head) ends the run quietly with exit 0', () => {
    const r = spawnSync('bash', [
      '-c',
      `node ${BIN} convert ${TRACES}mixed.ns.txt -o - -q | head -c 1000 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`,
    ]);
    expect(r.stdout.toString().trim()).toBe('exit=0');
    expect(r.stderr.toString()).toBe('');
  });
});

describe('progress and --quiet', () => {
  /** What the progress line of `path` shows after `secs`, `bytes` decoded (and `stored` counted by the meter). */
  const shown = (path: string, bytes: number, stored = 0, secs = 2): string => {
    const err: string[] = [];
    let now = 0;
    const out = { isTTY: true, columns: 200, write: (t: string) => err.push(t) };
    const p = Progress.start(path, { quiet: false }, out, () => now);
    if (!p) throw new Error('no progress on a terminal');
    p.meter.bytes = stored;
    now = secs * 1000;
    p.update(bytes, 1000);
    return err.join('');
  };

  it('shows its percentage of the file as stored with an ETA: text, .xz (compressed bytes), perf.data (its bytes)', () => {
    const size = statSync(`${TRACES}eth-npm.txt`).size;
    const line = shown(`${TRACES}eth-npm.txt`, size / 2);
    expect(line).toMatch(/^\reth-npm\.txt: 50% {2}ETA 2s {2}231\.6 kB\/463\.2 kB {2}1000 events {2}500\/s/);
    // Erased to the end of the line: a shorter line leaves nothing of a longer one.
    expect(line.endsWith('/s\x1b[K')).toBe(true);
    const xz = statSync(`${TRACES}tcp-bulk.ns.txt.xz`).size;
    // The decoded text is 20 times the file: the meter's compressed bytes are what the percentage is of.
    expect(shown(`${TRACES}tcp-bulk.ns.txt.xz`, 20 * xz, xz / 4)).toMatch(/^\rtcp-bulk\.ns\.txt\.xz: 25% {2}ETA 6s /);
    const data = statSync(`${TRACES}eth-npm.data`).size;
    expect(shown(`${TRACES}eth-npm.data`, data / 4)).toMatch(/^\reth-npm\.data: 25% {2}ETA 6s /);
  });

  it('-q writes nothing on stderr', async () => {
    const r = await inProcess(['convert', `${TRACES}eth-npm.ns.txt`, '-o', tmp(), '-q']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('schema command', () => {
  it('prints every schema file (JSON), one table, and one as markdown', async () => {
    const files = tableNames().map((t): unknown => JSON.parse(readFileSync(join(SCHEMA_DIR, `${t}.json`), 'utf8')));
    const all = await run(['schema']);
    const one = await inProcess(['schema', 'rx_packets']);
    const md = await inProcess(['schema', 'tx_packets', '--markdown']);
    expect(all.status).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual(files);
    expect(JSON.parse(one.stdout)).toEqual(JSON.parse(readFileSync(join(SCHEMA_DIR, 'rx_packets.json'), 'utf8')));
    expect(md.stdout).toMatch(/^### `tx_packets` \(schema 1\.1\.0\)/);
    expect(md.stdout).toContain('| `skbaddr` | uint64 | no |');
  });
});

describe('record', () => {
  it.skipIf(!(isRoot && hasPerf))(
    'records the 13 tracepoints around a command into perf.data, which converts',
    async () => {
      const dir = tmp();
      const data = join(dir, 'rec.data');
      const r = cli(['record', '-o', data, '--', 'sleep', '0.2']);
      expect(r.status, r.stderr.toString()).toBe(0);
      expect(r.stderr.toString()).toMatch(/recorded .*rec\.data; convert it with/);
      const { manifest: m } = await convert({ input: data, outDir: join(dir, 'out') });
      expect(m.inputs[0].kind).toBe('perf-data');
      expect(m.inputs[0].lines.rejected).toBe(0);
      const names = new Set(EVENT_NAMES.map(([n]) => n));
      for (const e of Object.keys(m.inputs[0].events_by_type)) expect(names.has(e), e).toBe(true);
    },
  );
});

describe('errors', () => {
  it('all inputs of a batch failed: exit 1; unknown table (-o - --table, schema TABLE) and record without a command: exit 2', async () => {
    const dir = tmp();
    const allFailed = await inProcess([
      'convert',
      join(dir, 'nope1.txt'),
      join(dir, 'nope2.txt'),
      '-o',
      join(dir, 'bad'),
      '-q',
    ]);
    const table = await inProcess(['convert', `${TRACES}eth-npm.ns.txt`, '-o', '-', '--table', 'nope']);
    const schema = await inProcess(['schema', 'nope']);
    const record = await inProcess(['record', '-o', join(dir, 'x.data')]);
    expect(allFailed.status).toBe(1);
    expect(allFailed.stderr).toMatch(/nope1\.txt: cannot open/);
    expect(table.status).toBe(2);
    expect(table.stderr).toMatch(/unknown table 'nope' \(use events, /);
    expect(schema.status).toBe(2);
    expect(schema.stderr).toMatch(/unknown table 'nope'/);
    expect(record.status).toBe(2);
    expect(record.stderr).toMatch(/record needs a command/);
  });

  it('stdin that is not a trace: convert, report and summary all name it <stdin> and exit 1', () => {
    const text = Buffer.from('hello\nworld\n');
    for (const args of [
      ['convert', '-', '-o', join(tmp(), 'out'), '-q'],
      ['report', '-'],
      ['summary', '-'],
    ]) {
      const r = cli(args, text);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr.toString(), args.join(' ')).toContain('<stdin>: no perf event line in 2 lines (2 rejected)');
    }
  });
});
