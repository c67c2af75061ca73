/**
 * The package as a user installs it: `npm pack`, the tarball installed into an empty project, its CLI run and
 * its library imported by name. Catches a `files` list that leaves out what runs, or ships what does not.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TRACES } from './helpers/fixtures.js';

interface PackEntry {
  filename: string;
  unpackedSize: number;
  files: { path: string }[];
}

function isPackList(v: unknown): v is PackEntry[] {
  return Array.isArray(v) && v.every((e) => typeof e === 'object' && e !== null && 'filename' in e && 'files' in e);
}

const dir = mkdtempSync(join(tmpdir(), 'ndt-package-'));
let pack: PackEntry;

beforeAll(() => {
  // The build is fresh: `npm test` runs it first (and npm pack's prepare would run it again).
  const out: unknown = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: ROOT,
      encoding: 'utf8',
    }),
  );
  if (!isPackList(out) || out.length !== 1) throw new Error('npm pack printed no package');
  pack = out[0];
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, pack.filename)], {
    cwd: dir,
    stdio: 'ignore',
  });
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the installed package', () => {
  it('ships what runs and nothing else, under 2 MB unpacked', () => {
    const tops = new Set(pack.files.map((f) => f.path.split('/')[0]));
    expect([...tops].sort()).toEqual(['LICENSE', 'README.md', 'bin', 'dist', 'package.json', 'schemas']);
    expect(pack.files.some((f) => f.path.startsWith('dist/') && f.path.includes('test'))).toBe(false);
    expect(pack.unpackedSize).toBeLessThan(2 * 1024 * 1024);
  });

  it('its CLI converts a trace', () => {
    const out = join(dir, 'out');
    execFileSync(join(dir, 'node_modules/.bin/netdev-times'), ['convert', `${TRACES}eth-npm.ns.txt`, '-o', out, '-q'], {
      cwd: dir,
    });
    const manifest: unknown = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ tool: { name: 'netdev-times' }, inputs: [{ lines: { events: 4842 } }] });
  });

  it("its library is imported by name: import { ... } from 'netdev-times'", () => {
    const script = join(dir, 'use.mjs');
    writeFileSync(
      script,
      `import { reportFromText, tableNames, timelineOf, writeTimeline } from 'netdev-times';
       import { readFileSync } from 'node:fs';
       let report = '';
       await reportFromText(${JSON.stringify(`${TRACES}eth-npm.ns.txt`)}, (t) => { report += t; });
       const timeline = await timelineOf(${JSON.stringify(`${TRACES}eth-npm.ns.txt`)});
       await writeTimeline(timeline, 'timeline.json', {});
       const events = JSON.parse(readFileSync('timeline.json', 'utf8')).traceEvents.length;
       const timelineWhole = events === timeline.events.length && events > 100;
       console.log(JSON.stringify({ tables: tableNames(), report, timelineWhole }));`,
    );
    const r: unknown = JSON.parse(execFileSync('node', [script], { cwd: dir, encoding: 'utf8' }));
    expect(r).toHaveProperty('tables', expect.arrayContaining(['events', 'tx_packets']));
    expect(r).toMatchObject({ report: readFileSync(`${TRACES}eth-npm.report.txt`, 'utf8') });
    // The timeline, as the CLI's timeline command writes it: every event of it in the file.
    expect(r).toMatchObject({ timelineWhole: true });
  });
});
