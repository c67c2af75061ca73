/**
 * Datasets that grow: merge (dataset/merge.ts) and its pieces, on datasets converted from the fixtures.
 * The commit is tested by making each of its steps fail in turn: before the manifest is renamed, the dataset
 * must be the old one exactly (no file added, none left under a temporary name); after it, the new one.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NetdevTimesError } from '../../src/core/errors.js';
import { datasetSources, tableFile } from '../../src/dataset/dataset.js';
import { partitionDir } from '../../src/dataset/layout.js';
import { partitionValues, uniqueValue } from '../../src/dataset/partition-name.js';
import { contentKey, readManifest } from '../../src/dataset/manifest-file.js';
import { mergeDatasets, mergeLocked } from '../../src/dataset/merge.js';
import { readTableFile } from '../../src/dataset/read-table.js';
import { sweepDataset } from '../../src/dataset/sweep.js';
import { convert } from '../../src/pipeline/convert.js';
import { TRACES } from '../helpers/fixtures.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ndt-merge-'));

/** Every file under `dir`, relative to it, sorted. */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}

const rowsIn = (path: string, table: string): number =>
  readTableFile(path, table).reduce((n, c) => n + c.chunk.length, 0);

/** The dataset as a reader sees it: every file the manifest lists is there with its rows, every source resolves. */
function checkReadable(dir: string): void {
  const m = readManifest(dir);
  for (const t of m.tables) {
    let sum = 0;
    for (const f of t.files) {
      const rows = rowsIn(join(dir, f.path), t.name);
      if (f.rows !== undefined) expect(rows, f.path).toBe(f.rows);
      if (f.format === 'parquet') sum += rows;
    }
    expect(sum, t.name).toBe(t.rows);
  }
  const sources = datasetSources(dir);
  expect(sources).toEqual(
    Object.keys(m.partitions ?? {})
      .map((p) => p.slice('source='.length))
      .sort(),
  );
  for (const s of sources.length > 0 ? sources : [undefined]) expect(tableFile(dir, 'tx_packets', s)).not.toBeNull();
}

let eth: string;
let udp: string;
let both: string;

beforeAll(async () => {
  const root = tmp();
  eth = join(root, 'eth');
  udp = join(root, 'udp');
  both = join(root, 'both');
  await convert({ input: `${TRACES}eth-npm.txt`, outDir: eth });
  await convert({ input: `${TRACES}udp-drop.ns.txt`, outDir: udp });
  await convert({ input: `${TRACES}udp-drop.ns.txt`, outDir: both, formats: ['parquet', 'arrow'] });
});

describe('partition names', () => {
  it('are made unique without regard to case, after the names already taken', () => {
    const taken = new Set(['eth-npm.txt', 'x-2']);
    expect(uniqueValue('ETH-npm.txt', taken)).toBe('ETH-npm.txt-2');
    expect(uniqueValue('x', taken)).toBe('x');
    expect(uniqueValue('x', taken)).toBe('x-3');
    expect(partitionValues(['/a/eth-npm.txt', '/b/eth-npm.txt.gz'], new Set(['eth-npm.txt']))).toEqual([
      'eth-npm.txt-2',
      'eth-npm.txt-3',
    ]);
  });

  it('put Arrow files in a tree of their own only beside Parquet', () => {
    expect(partitionDir('/d', 'events', 's', 'parquet', ['parquet', 'arrow'])).toBe('/d/events/source=s');
    expect(partitionDir('/d', 'events', 's', 'arrow', ['parquet', 'arrow'])).toBe('/d/arrow/events/source=s');
    expect(partitionDir('/d', 'events', 's', 'arrow', ['arrow'])).toBe('/d/events/source=s');
  });

  it('content keys: the same file filtered otherwise is other rows', () => {
    expect(contentKey('ab', undefined)).toBe('ab');
    expect(contentKey('ab', { events_filtered_out: 3 })).toBe('ab');
    expect(contentKey('ab', { cpu: '1' })).not.toBe(contentKey('ab', { cpu: '2' }));
    expect(contentKey(null, undefined)).toBeNull();
  });
});

describe('merge', () => {
  it('joins flat datasets into partitions: rows add up, files are hard links, inputs keep their hash', () => {
    const out = join(tmp(), 'merged');
    const r = mergeDatasets({ outDir: out, from: [eth, udp] });
    expect([r.added, r.skipped, r.linked, r.copied]).toEqual([2, 0, 18, 0]);
    const m = readManifest(out);
    const a = readManifest(eth);
    const b = readManifest(udp);
    expect(Object.keys(m.partitions ?? {}).sort()).toEqual(['source=eth-npm.txt', 'source=udp-drop.ns.txt']);
    for (const t of m.tables) {
      const rows = (x: typeof a): number => x.tables.find((u) => u.name === t.name)?.rows ?? -1;
      expect(t.rows, t.name).toBe(rows(a) + rows(b));
    }
    expect(m.inputs.map((i) => i.sha256)).toEqual([a.inputs[0].sha256, b.inputs[0].sha256]);
    expect(m.inputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    // Paths stay relative to the dataset, and name the same files.
    expect(readFileSync(join(out, m.inputs[0].path))).toEqual(readFileSync(`${TRACES}eth-npm.txt`));
    expect(statSync(join(out, 'events/source=eth-npm.txt/part-0.parquet')).ino).toBe(
      statSync(join(eth, 'events.parquet')).ino,
    );
    expect(m.correlation).toMatchObject({ 'eth-npm.txt': a.correlation, 'udp-drop.ns.txt': b.correlation });
    checkReadable(out);
  });

  it('keeps an input found twice once, says so, and names colliding partitions apart', async () => {
    const root = tmp();
    // Another file of the same name: another partition, suffixed.
    cpSync(`${TRACES}http-lo.ns.txt`, join(root, 'eth-npm.txt'));
    const other = join(root, 'other');
    await convert({ input: join(root, 'eth-npm.txt'), outDir: other });
    const notes: string[] = [];
    const out = join(root, 'merged');
    const r = mergeDatasets({ outDir: out, from: [eth, udp, eth, other], onNote: (l) => notes.push(l) });
    expect([r.added, r.skipped]).toEqual([3, 1]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/already in .*eth.*same SHA-256.*skipped$/);
    expect(datasetSources(out)).toEqual(['eth-npm.txt', 'eth-npm.txt-2', 'udp-drop.ns.txt']);
    const events = (dir: string): number => readManifest(dir).tables.find((t) => t.name === 'events')?.rows ?? -1;
    expect(events(out)).toBe(events(eth) + events(udp) + events(other));
    checkReadable(out);
  });

  it('refuses a dataset of other schema versions or formats, with one line (exit 1)', () => {
    const old = join(tmp(), 'old');
    cpSync(udp, old, { recursive: true });
    const m = readManifest(old);
    m.schema_versions.rx_hunks = '0.9.0';
    writeFileSync(join(old, 'manifest.json'), JSON.stringify(m));
    const out = join(tmp(), 'out');
    const refused = (from: string[]): NetdevTimesError => {
      try {
        mergeDatasets({ outDir: out, from });
      } catch (e) {
        if (e instanceof NetdevTimesError) return e;
        throw e;
      }
      throw new Error('not refused');
    };
    const v = refused([eth, old]);
    expect(v.exitCode).toBe(1);
    expect(v.message).toMatch(/old: written with other table schema versions .*\(rx_hunks 0\.9\.0, not 1\.\d\.\d\)/);
    const f = refused([eth, both]);
    expect(f.exitCode).toBe(1);
    expect(f.message).toMatch(/both: holds parquet,arrow files, .*eth parquet/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an output that holds a dataset unless appending (exit 2)', () => {
    const out = join(tmp(), 'out');
    mergeDatasets({ outDir: out, from: [eth] });
    expect(() => mergeDatasets({ outDir: out, from: [udp] })).toThrow(/already holds a dataset.*--append/);
    mergeDatasets({ outDir: out, from: [udp], append: true });
    expect(datasetSources(out)).toEqual(['eth-npm.txt', 'udp-drop.ns.txt']);
  });

  it('keeps Arrow files in their own tree', () => {
    const out = join(tmp(), 'out');
    mergeDatasets({ outDir: out, from: [both] });
    const all = files(out);
    expect(all.filter((f) => f.startsWith('events/'))).toEqual(['events/source=udp-drop.ns.txt/part-0.parquet']);
    expect(all.filter((f) => f.startsWith('arrow/events/'))).toEqual([
      'arrow/events/source=udp-drop.ns.txt/part-0.arrow',
    ]);
    checkReadable(out);
  });
});

describe('a merge that fails or dies midway', () => {
  /** The steps of appending udp to a copy of the flat eth dataset. */
  const steps = (): string[] => {
    const out = join(tmp(), 'probe');
    cpSync(eth, out, { recursive: true });
    const seen: string[] = [];
    mergeLocked({ outDir: out, from: [udp], base: readManifest(out), step: (s) => seen.push(s) });
    return seen;
  };

  it('leaves the old dataset exactly as it was when any step before the manifest fails, the new one after', () => {
    const all = steps();
    const manifestStep = all.indexOf('manifest');
    expect(manifestStep).toBe(36); // 18 files placed, 18 renamed; then the flat files go
    for (let k = 0; k < all.length; k++) {
      const out = join(tmp(), `fail-${k}`);
      cpSync(eth, out, { recursive: true });
      const before = files(out);
      const manifestBefore = readFileSync(join(out, 'manifest.json'), 'utf8');
      let n = 0;
      const step = (): void => {
        if (n++ === k) throw new Error(`injected at step ${k}`);
      };
      if (k <= manifestStep) {
        expect(() => mergeLocked({ outDir: out, from: [udp], base: readManifest(out), step })).toThrow(/injected/);
        expect(files(out), `step ${k}: ${all[k]}`).toEqual(before);
        expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(manifestBefore);
      } else {
        // Committed: a failure removing the flat files leaves the new dataset, and the sweep finishes the job.
        expect(() => mergeLocked({ outDir: out, from: [udp], base: readManifest(out), step })).toThrow(/injected/);
        expect(datasetSources(out)).toEqual(['eth-npm.txt', 'udp-drop.ns.txt']);
        sweepDataset(out, readManifest(out));
        expect(files(out).filter((f) => !f.includes('/'))).toEqual(['manifest.json']);
      }
      checkReadable(out);
    }
  });

  it('partitions and temporary files a killed writer left are ignored by readers and swept by the next', () => {
    const out = join(tmp(), 'out');
    mergeDatasets({ outDir: out, from: [eth] });
    // What a merge killed between its renames and its manifest leaves: a partition the manifest does not list.
    cpSync(join(out, 'events/source=eth-npm.txt'), join(out, 'events/source=zombie'), { recursive: true });
    writeFileSync(join(out, 'events/source=eth-npm.txt/.part-0.parquet.tmp-999999999'), 'x');
    writeFileSync(join(out, '.manifest.json.tmp-999999999'), '{');
    expect(datasetSources(out)).toEqual(['eth-npm.txt']);
    const removed = sweepDataset(out, readManifest(out)).map((p) => relative(out, p));
    expect(removed.sort()).toEqual([
      '.manifest.json.tmp-999999999',
      'events/source=eth-npm.txt/.part-0.parquet.tmp-999999999',
      'events/source=zombie/part-0.parquet',
    ]);
    expect(existsSync(join(out, 'events/source=zombie'))).toBe(false);
    checkReadable(out);
  });
});
