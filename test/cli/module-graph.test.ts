/**
 * What a normal run loads (through bin, as users run it): no yargs, and no more of the project than its command
 * needs. Start-up time is the point of the fast path, and one static import in the wrong module would undo it
 * without failing any other test. The project's modules are checked from dist's modules (NETDEV_TIMES_MODULES=1),
 * whose imports the bundle's chunks follow; the bundle as users run it, by what it loads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, TRACES } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'ndt-graph-'));
const hooks = join(dir, 'hooks.mjs');
const register = join(dir, 'register.mjs');
writeFileSync(
  hooks,
  // writeSync: on Node 22+ the hooks run on a thread of their own, whose process.stderr is lost at a quick exit.
  `import { writeSync } from 'node:fs';
export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  writeSync(2, 'LOADED ' + r.url + '\\n');
  return r;
}
`,
);
writeFileSync(
  register,
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
);

/** The module URLs a run of the CLI resolved: from dist's modules, or as bundled. */
function loaded(args: string[], bundled = false): string[] {
  const r = spawnSync('node', ['--import', register, BIN, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, NETDEV_TIMES_MODULES: bundled ? '0' : '1' },
  });
  return r.stderr
    .split('\n')
    .filter((l) => l.startsWith('LOADED '))
    .map((l) => l.slice('LOADED '.length));
}

const YARGS = /\/node_modules\/yargs\//;
const WRITERS =
  /\/(parquet-wasm|apache-arrow)\/|\/dist\/formats\/|\/dist\/dataset\/table-output\.js$|\/dist\/pipeline\/convert(-many)?\.js$/;
const PIPELINE = /\/dist\/(input|decode|normalise|correlate|pipeline)\//;
/** Built-ins a plain trace's run has no use for: loaded only by the inputs that need them. */
const NEEDLESS = /^node:(child_process|zlib|crypto)$/;

describe('modules a run loads', () => {
  it('--version loads yargs (the hook sees it)', () => {
    expect(loaded(['--version']).some((u) => YARGS.test(u))).toBe(true);
  });

  it('schema: no yargs, no pipeline, no writers', () => {
    const urls = loaded(['schema', 'events']);
    expect(urls.some((u) => u.endsWith('/dist/cli/schema-command.js'))).toBe(true);
    expect(urls.filter((u) => YARGS.test(u) || PIPELINE.test(u) || WRITERS.test(u))).toEqual([]);
  });

  it('report of a trace: no yargs, no Parquet/Arrow writers', () => {
    const urls = loaded(['report', `${TRACES}eth-npm.txt`]);
    expect(urls.some((u) => u.endsWith('/dist/cli/report-command.js'))).toBe(true);
    expect(urls.filter((u) => YARGS.test(u) || WRITERS.test(u))).toEqual([]);
  });

  it('report and summary of a plain trace or a perf.data: no child processes, zlib or crypto', () => {
    for (const args of [
      ['report', `${TRACES}eth-npm.txt`],
      ['report', `${TRACES}udp-drop.data`],
      ['summary', `${TRACES}eth-npm.txt`],
    ])
      for (const bundled of [false, true])
        expect(
          loaded(args, bundled).filter((u) => NEEDLESS.test(u)),
          `${args.join(' ')}${bundled ? ', bundled' : ''}`,
        ).toEqual([]);
    // The hook does see them where they are needed: a .gz input loads zlib.
    expect(loaded(['report', `${TRACES}http-lo.data.gz`]).some((u) => u === 'node:zlib')).toBe(true);
  });

  it('summary of a trace: no yargs, no Parquet/Arrow libraries (only a dataset has files to read)', () => {
    const urls = loaded(['summary', `${TRACES}eth-npm.txt`]);
    expect(urls.some((u) => u.endsWith('/dist/cli/summary-command.js'))).toBe(true);
    expect(urls.filter((u) => YARGS.test(u) || /\/(parquet-wasm|apache-arrow)\//.test(u))).toEqual([]);
  });

  // parquet-wasm and apache-arrow are require()d, which this hook does not see: the modules' runs above show
  // that their writers stay unloaded; here, that the bundle loads nothing of dist's modules, and no yargs.
  it('bundled: schema, report and summary load no yargs and none of the modules; convert no yargs', () => {
    for (const args of [
      ['schema', 'events'],
      ['report', `${TRACES}eth-npm.txt`],
      ['summary', `${TRACES}eth-npm.txt`],
    ]) {
      const urls = loaded(args, true);
      expect(
        urls.some((u) => u.includes('/dist/bundle/main.js')),
        args[0],
      ).toBe(true);
      expect(
        urls.filter((u) => YARGS.test(u) || /\/dist\/(?!bundle\/)/.test(u)),
        args[0],
      ).toEqual([]);
    }
    const convert = loaded(['convert', `${TRACES}eth-npm.txt`, '-o', join(dir, 'out-bundled'), '-q'], true);
    expect(convert.some((u) => u.includes('/dist/bundle/main.js'))).toBe(true);
    expect(convert.filter((u) => YARGS.test(u))).toEqual([]);
  });

  it('convert: no yargs', () => {
    const urls = loaded(['convert', `${TRACES}eth-npm.txt`, '-o', join(dir, 'out'), '-q']);
    expect(urls.some((u) => u.endsWith('/dist/cli/convert-command.js'))).toBe(true);
    expect(urls.filter((u) => YARGS.test(u))).toEqual([]);
  });
});
