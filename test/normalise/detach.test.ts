/**
 * Opening a trace detaches an ArrayBuffer first (decode/detach.ts), so that V8 compiles typed-array code
 * with detach checks from the start instead of throwing it away at the first WebAssembly memory growth or
 * transfer. Watched through V8's own trace of its protector cells, in a process of its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ROOT, TRACES } from '../helpers/fixtures.js';

// The sources bundled to plain JavaScript: a TypeScript loader in the child (tsx) detaches buffers itself.
// Beside node_modules, so that the bundle's packages (left external) resolve.
mkdirSync(`${ROOT}node_modules/.cache`, { recursive: true });
const bundle = join(mkdtempSync(`${ROOT}node_modules/.cache/ndt-detach-`), 'source.mjs');
buildSync({
  entryPoints: [`${ROOT}src/pipeline/source.ts`],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: bundle,
  logLevel: 'error',
});

const INVALIDATED = 'Invalidating protector cell ArrayBufferDetaching';

function protectorTrace(script: string): string {
  return execFileSync(process.execPath, ['--trace-protector-invalidation', '--input-type=module', '-e', script], {
    cwd: ROOT,
  }).toString();
}

describe('detachEarly', () => {
  it('opening a trace gives up the no-detached-buffer assumption before any batch is decoded', () => {
    const out = protectorTrace(`
      import { openTraceSource } from ${JSON.stringify(bundle)};
      console.log('before');
      const src = await openTraceSource(${JSON.stringify(`${TRACES}eth-npm.ns.txt`)});
      console.log('opened');
      let n = 0;
      for await (const b of src.batches()) n += b.length;
      console.log('events', n);
    `);
    const at = out.indexOf(INVALIDATED);
    expect(at).toBeGreaterThan(out.indexOf('before'));
    expect(at).toBeLessThan(out.indexOf('opened'));
    expect(out.split(INVALIDATED).length - 1).toBe(1);
    expect(out).toMatch(/events [1-9]/);
  });

  it('without it the assumption holds until something detaches', () => {
    expect(protectorTrace(`console.log('nothing');`)).not.toContain(INVALIDATED);
  });
});
