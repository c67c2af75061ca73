/**
 * Datasets that grow (issue 16): `convert --append` and `merge` through the CLI, read back by DuckDB as one
 * hive-partitioned dataset, and writers killed outright in the middle of a merge.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../../src/dataset/manifest-file.js';
import { rows } from '../helpers/duck.js';
import { BIN, ROOT, TRACES } from '../helpers/fixtures.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ndt-grow-'));

const run = (...args: string[]): { status: number | null; stdout: string; stderr: string } =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

/** Runs the CLI in a process of its own, as a job of a batch scheduler would. */
const job = (...args: string[]): Promise<number | null> =>
  new Promise((resolve) => spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' }).on('exit', resolve));

const tableRows = (dir: string, table: string): number =>
  readManifest(dir).tables.find((t) => t.name === table)?.rows ?? -1;

function walk(dir: string): string[] {
  const out: string[] = [];
  const go = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }))
      if (e.isDirectory()) go(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)));
  };
  go(dir);
  return out.sort();
}

/** count(*) per source of one table, as DuckDB reads the whole partitioned folder. */
async function duckCounts(dir: string, table: string): Promise<Record<string, number>> {
  const got = await rows(
    `SELECT source, count(*)::INTEGER AS n FROM read_parquet('${dir}/${table}/**/*.parquet', hive_partitioning = true) GROUP BY source ORDER BY source`,
  );
  return Object.fromEntries(got.map((r) => [String(r.source), Number(r.n)]));
}

describe('convert --append', () => {
  it('adds new inputs as partitions, skips one already there (said on stderr), and keeps totals right', () => {
    const root = tmp();
    const out = join(root, 'ds');
    const single = (input: string): string => {
      const d = join(root, input);
      expect(run('convert', `${TRACES}${input}`, '-o', d, '-q').status).toBe(0);
      return d;
    };
    const eth = single('eth-npm.txt');
    const udp = single('udp-drop.ns.txt');

    // Onto a single-input (flat) dataset: it becomes the first partition.
    expect(run('convert', `${TRACES}eth-npm.txt`, '-o', out, '-q').status).toBe(0);
    const again = run('convert', `${TRACES}eth-npm.txt`, '-o', out, '--append');
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/eth-npm\.txt: already in .* \(as .*eth-npm\.txt, same SHA-256\); skipped\n/);
    expect(again.stderr).toMatch(/nothing new to append/);
    expect(readManifest(out).inputs).toHaveLength(1);

    const added = run('convert', `${TRACES}udp-drop.ns.txt`, `${TRACES}eth-npm.txt`, '-o', out, '--append');
    expect(added.status, added.stderr).toBe(0);
    expect(added.stderr).toMatch(/1 inputs added, 1 skipped/);
    const m = readManifest(out);
    expect(Object.keys(m.partitions ?? {})).toEqual(['source=eth-npm.txt', 'source=udp-drop.ns.txt']);
    expect(m.inputs.map((i) => i.source)).toEqual(['eth-npm.txt', 'udp-drop.ns.txt']);
    for (const t of m.tables) expect(t.rows, t.name).toBe(tableRows(eth, t.name) + tableRows(udp, t.name));
    expect(m.lost_events).toBe(0);
    // Nothing of the flat layout or the staging is left.
    expect(walk(out).filter((f) => !f.includes('source='))).toEqual(['manifest.json']);
    expect(run('summary', out, '--source', 'udp-drop.ns.txt').status).toBe(0);
  });

  it('--dev applies to what it appends, and the same file under another --dev is other rows: not skipped', () => {
    const root = tmp();
    const out = join(root, 'ds');
    const only = join(root, 'only-eth0');
    expect(run('convert', `${TRACES}eth-npm.txt`, '-o', only, '-q', '--dev', 'eth0').status).toBe(0);
    expect(run('convert', `${TRACES}udp-drop.ns.txt`, '-o', out, '-q').status).toBe(0);
    const added = run('convert', `${TRACES}eth-npm.txt`, '-o', out, '--append', '--dev', 'eth0');
    expect(added.status, added.stderr).toBe(0);
    const m = readManifest(out);
    expect(m.inputs.map((i) => i.filter?.dev ?? null)).toEqual([null, 'eth0']);
    // Its partition holds what `convert --dev eth0` of it alone holds.
    const rxRows = m.tables
      .find((t) => t.name === 'rx_packets')
      ?.files.find((f) => f.path.includes('source=eth-npm.txt'))?.rows;
    expect(rxRows).toBe(tableRows(only, 'rx_packets'));
    const again = run('convert', `${TRACES}eth-npm.txt`, '-o', out, '--append', '--dev', 'eth0');
    expect(again.stderr).toMatch(/already in .*same SHA-256\); skipped/);
    const other = run('convert', `${TRACES}eth-npm.txt`, '-o', out, '--append');
    expect(other.stderr).toMatch(/1 inputs added, 0 skipped/);
  });

  it('refuses -f other than the dataset has, --force, stdin (exit 2) and another schema version (exit 1)', () => {
    const out = join(tmp(), 'ds');
    expect(run('convert', `${TRACES}eth-npm.txt`, '-o', out, '--append', '-q').status).toBe(0);
    const f = run('convert', `${TRACES}udp-drop.ns.txt`, '-o', out, '--append', '-f', 'parquet,arrow');
    expect([f.status, f.stderr]).toEqual([2, `netdev-times: ${out}: holds parquet files; append with -f parquet\n`]);
    expect(run('convert', `${TRACES}udp-drop.ns.txt`, '-o', out, '--append', '--force').status).toBe(2);
    expect(run('convert', '-', '-o', out, '--append').status).toBe(2);
    expect(readManifest(out).inputs).toHaveLength(1);
    // A dataset of another schema version: refused before anything is converted (exit 1).
    const m = readManifest(out);
    m.schema_versions.events = '0.1.0';
    writeFileSync(join(out, 'manifest.json'), JSON.stringify(m));
    const v = run('convert', `${TRACES}udp-drop.ns.txt`, '-o', out, '--append');
    expect(v.status).toBe(1);
    expect(v.stderr).toMatch(
      /^netdev-times: .*: written with other table schema versions .*\(events 0\.1\.0, not 1\.\d+\.\d+\)/,
    );
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('merge', () => {
  it('joins datasets converted by separate processes into one that DuckDB reads whole', async () => {
    const root = tmp();
    const a = join(root, 'job-a');
    const b = join(root, 'job-b');
    // Fan-out: independent jobs, one dataset each (one of them already partitioned).
    const codes = await Promise.all([
      job('convert', `${TRACES}eth-npm.txt`, `${TRACES}http-lo.ns.txt`, '-o', a, '-q', '-j', '1'),
      job('convert', `${TRACES}udp-drop.ns.txt`, '-o', b, '-q'),
    ]);
    expect(codes).toEqual([0, 0]);
    const out = join(root, 'all');
    const r = run('merge', a, b, a, '-o', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/job-a \(source=eth-npm\.txt\): its input .* is already in .*skipped\n/);
    expect(r.stderr).toMatch(/3 inputs added, 2 already there skipped .*files: 27 hard-linked, 0 copied/);
    for (const table of ['events', 'tx_packets', 'rx_packets']) {
      const counts = await duckCounts(out, table);
      expect(counts, table).toEqual({
        'eth-npm.txt': (await duckCounts(a, table))['eth-npm.txt'],
        'http-lo.ns.txt': (await duckCounts(a, table))['http-lo.ns.txt'],
        'udp-drop.ns.txt': (await rows(`SELECT count(*)::INTEGER AS n FROM '${b}/${table}.parquet'`))[0].n,
      });
      expect(Object.values(counts).reduce((x, y) => x + y, 0)).toBe(tableRows(a, table) + tableRows(b, table));
      expect(tableRows(out, table)).toBe(tableRows(a, table) + tableRows(b, table));
    }
    expect(run('report', out, '--source', 'http-lo.ns.txt').status).toBe(0);
  });

  it('refuses a dataset of another schema version with one line (exit 1), writing nothing', () => {
    const root = tmp();
    const a = join(root, 'a');
    const b = join(root, 'b');
    expect(run('convert', `${TRACES}eth-npm.txt`, '-o', a, '-q').status).toBe(0);
    expect(run('convert', `${TRACES}udp-drop.ns.txt`, '-o', b, '-q').status).toBe(0);
    const m = readManifest(b);
    m.schema_versions.tx_packets = '2.0.0';
    writeFileSync(join(b, 'manifest.json'), JSON.stringify(m));
    const r = run('merge', a, b, '-o', join(root, 'all'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^netdev-times: .*\/b: written with other table schema versions .*\(tx_packets 2\.0\.0, not 1\.\d+\.\d+\); convert its inputs again with this version\n$/,
    );
    expect(existsSync(join(root, 'all'))).toBe(false);
    const missing = run('merge', a, join(root, 'nope'), '-o', join(root, 'all'));
    expect([missing.status, missing.stderr]).toEqual([
      1,
      `netdev-times: ${join(root, 'nope')}: not a netdev-times dataset (no manifest.json)\n`,
    ]);
  });
});

describe('-f parquet,arrow on a partitioned dataset', () => {
  it('writes Arrow in a tree of its own: a directory reader of <table>/ meets Parquet only', async () => {
    const root = tmp();
    const out = join(root, 'ds');
    const r = run(
      'convert',
      `${TRACES}eth-npm.txt`,
      `${TRACES}udp-drop.ns.txt`,
      '-o',
      out,
      '-q',
      '-f',
      'parquet,arrow',
    );
    expect(r.status, r.stderr).toBe(0);
    const files = walk(out);
    expect(files.filter((f) => f.startsWith('events/'))).toEqual([
      'events/source=eth-npm.txt/part-0.parquet',
      'events/source=udp-drop.ns.txt/part-0.parquet',
    ]);
    expect(files.filter((f) => f.startsWith('arrow/events/'))).toEqual([
      'arrow/events/source=eth-npm.txt/part-0.arrow',
      'arrow/events/source=udp-drop.ns.txt/part-0.arrow',
    ]);
    expect(files.filter((f) => f.endsWith('.arrow') && !f.startsWith('arrow/'))).toEqual([]);
    // The manifest names each file where it is; DuckDB reads the whole table folder (every file) as Parquet.
    for (const t of readManifest(out).tables) for (const f of t.files) expect(existsSync(join(out, f.path))).toBe(true);
    const all = await rows(
      `SELECT count(*)::INTEGER AS n FROM read_parquet('${out}/events/**', hive_partitioning = true)`,
    );
    expect(all[0].n).toBe(tableRows(out, 'events'));
    // The dataset reader finds the Arrow tree when the Parquet file is gone.
    const arrowOnly = join(root, 'arrow-only');
    expect(
      run('convert', `${TRACES}eth-npm.txt`, `${TRACES}udp-drop.ns.txt`, '-o', arrowOnly, '-q', '-f', 'arrow').status,
    ).toBe(0);
    expect(walk(arrowOnly).filter((f) => f.startsWith('events/'))).toEqual([
      'events/source=eth-npm.txt/part-0.arrow',
      'events/source=udp-drop.ns.txt/part-0.arrow',
    ]);
    const fromArrow = run('report', arrowOnly, '--source', 'eth-npm.txt');
    expect(fromArrow.status).toBe(0);
    expect(fromArrow.stdout.length).toBeGreaterThan(0);
    expect(run('report', out, '--source', 'eth-npm.txt').stdout).toBe(fromArrow.stdout);
  });
});

describe('convert --append killed outright while converting', () => {
  it('leaves the old dataset; the next append removes its staging folder and completes', async () => {
    const out = join(tmp(), 'ds');
    expect(run('convert', `${TRACES}eth-npm.txt`, '-o', out, '--append', '-q').status).toBe(0);
    const before = readFileSync(join(out, 'manifest.json'), 'utf8');
    const child = spawn(process.execPath, [BIN, 'convert', `${TRACES}tcp-bulk.txt.xz`, '-o', out, '--append', '-q'], {
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Killed once its staging folder exists: in the middle of converting.
    for (let i = 0; i < 600 && !readdirSync(out).some((f) => f.startsWith('.append-')); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(out).some((f) => f.startsWith('.append-'))).toBe(true);
    child.kill('SIGKILL');
    await exited;
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(before);
    expect(run('summary', out, '--json').status).toBe(0);
    const next = run('convert', `${TRACES}udp-drop.ns.txt`, '-o', out, '--append');
    expect(next.status, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/taking over a stale lock/);
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(Object.keys(readManifest(out).partitions ?? {})).toEqual(['source=eth-npm.txt', 'source=udp-drop.ns.txt']);
  });
});

describe('a merge killed outright', () => {
  /** A process that appends `from` to `out` and kills itself (SIGKILL) before step `k` of the commit. */
  const killedAt = (k: number, out: string, from: string): number | null => {
    const script = join(tmp(), 'kill.ts');
    writeFileSync(
      script,
      `import { mergeDatasets } from ${JSON.stringify(`${ROOT}src/dataset/merge.ts`)};
let n = 0;
mergeDatasets({ outDir: process.argv[3], from: [process.argv[4]], append: true, step: () => {
  if (n++ === Number(process.argv[2])) process.kill(process.pid, 'SIGKILL');
} });
process.exit(0);
`,
    );
    return spawnSync(process.execPath, ['--import', 'tsx', script, String(k), out, from], { cwd: ROOT }).signal ===
      'SIGKILL'
      ? null
      : 0;
  };

  it('leaves the old dataset or the new one, readable either way; the next writer clears what it left', () => {
    const root = tmp();
    const udp = join(root, 'udp');
    expect(run('convert', `${TRACES}udp-drop.ns.txt`, '-o', udp, '-q').status).toBe(0);
    // Appending to a flat dataset: 18 files placed (0-17), 18 renamed (18-35), the manifest (36), then the 9
    // flat files of the old layout removed (37-45).
    for (const k of [0, 17, 18, 35, 36, 37, 44, 99]) {
      const out = join(root, `k${k}`);
      expect(run('convert', `${TRACES}eth-npm.txt`, '-o', out, '-q').status).toBe(0);
      const before = readFileSync(join(out, 'manifest.json'), 'utf8');
      expect(killedAt(k, out, udp), `step ${k}`).toBe(k <= 45 ? null : 0);
      const m = readManifest(out);
      if (k <= 36) expect(readFileSync(join(out, 'manifest.json'), 'utf8'), `step ${k}`).toBe(before);
      else
        expect(Object.keys(m.partitions ?? {}), `step ${k}`).toEqual(['source=eth-npm.txt', 'source=udp-drop.ns.txt']);
      // Readable: every file the manifest lists is there, and summary reads every source.
      for (const t of m.tables) for (const f of t.files) expect(existsSync(join(out, f.path)), f.path).toBe(true);
      const s = run('summary', out, '--json');
      expect(s.status, s.stderr).toBe(0);
      // The next writer takes the dead one's lock over, sweeps what it left, and the merge completes once.
      const next = run('merge', udp, '-o', out, '--append');
      expect(next.status, next.stderr).toBe(0);
      expect(next.stderr).toMatch(k <= 36 ? /1 inputs added/ : /0 inputs added, 1 already there skipped/);
      expect(Object.keys(readManifest(out).partitions ?? {})).toEqual(['source=eth-npm.txt', 'source=udp-drop.ns.txt']);
      const ours = /^[a-z_]+\/source=(eth-npm\.txt|udp-drop\.ns\.txt)\/part-0\.parquet$/;
      expect(walk(out).filter((f) => !ours.test(f))).toEqual(['manifest.json']);
    }
  });
});
