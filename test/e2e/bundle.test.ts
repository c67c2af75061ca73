/**
 * The CLI runs bundled (dist/bundle/, scripts/build.mjs): the bundle and dist's modules write the same files,
 * with its worker threads found in the bundle (the Parquet encoder thread, a many-input conversion's workers).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, TRACES } from '../helpers/fixtures.js';

function files(dir: string): string[] {
  const out: string[] = [];
  const go = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) go(p);
      else if (name !== 'manifest.json') out.push(relative(dir, p));
    }
  };
  go(dir);
  return out.sort();
}

function convert(out: string, modules: boolean, args: string[]): void {
  const r = spawnSync(process.execPath, [BIN, 'convert', ...args, '-o', out, '-q'], {
    encoding: 'utf8',
    // Two threads: the Parquet encoder thread starts from the bundle too.
    env: { ...process.env, NETDEV_TIMES_THREADS: '2', ...(modules && { NETDEV_TIMES_MODULES: '1' }) },
  });
  expect(r.status, r.stderr).toBe(0);
}

describe('the bundled CLI', () => {
  it.each([
    ['one input, Parquet on the encoder thread', [`${TRACES}eth-npm.ns.txt`]],
    ['two inputs, a worker each', [`${TRACES}eth-npm.ns.txt`, `${TRACES}udp-drop.ns.txt`]],
  ])('%s: the same files as from the modules', (_, inputs) => {
    const dir = mkdtempSync(join(tmpdir(), 'ndt-bundle-'));
    convert(join(dir, 'bundle'), false, inputs);
    convert(join(dir, 'modules'), true, inputs);
    const names = files(join(dir, 'bundle'));
    expect(names.length).toBeGreaterThan(7);
    expect(files(join(dir, 'modules'))).toEqual(names);
    for (const f of names)
      expect(readFileSync(join(dir, 'bundle', f)).equals(readFileSync(join(dir, 'modules', f))), f).toBe(true);
  });
});
