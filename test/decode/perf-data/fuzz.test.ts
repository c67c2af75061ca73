/** Hostile perf.data: truncations, flipped bytes, garbage. Only NetdevTimesError, never a hang. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NetdevTimesError } from '../../../src/core/errors.js';
import { PerfDataDecoder, decodePerfDataFile } from '../../../src/decode/perf-data/index.js';

const FIX = fileURLToPath(new URL('../../fixtures/perf-data/', import.meta.url));
const pipe = readFileSync(`${FIX}pipe.data`);
const zstd = readFileSync(`${FIX}zstd.data`).subarray(0, 60_000);
const tmp = mkdtempSync(join(tmpdir(), 'perf-data-fuzz-'));

function pipeDecode(bytes: Uint8Array, chunk = 4096): void {
  const dec = new PerfDataDecoder(() => undefined);
  for (let p = 0; p < bytes.length; p += chunk) dec.push(bytes.subarray(p, p + chunk));
  dec.end();
}

function onlyOurError(f: () => void): void {
  try {
    f();
  } catch (err) {
    if (!(err instanceof NetdevTimesError)) throw err;
    expect(err.message.split('\n')).toHaveLength(1);
    expect(err.message).toMatch(/byte offset \d+/);
  }
}

async function onlyOurErrorAsync(f: () => Promise<unknown>): Promise<void> {
  try {
    await f();
  } catch (err) {
    if (!(err instanceof NetdevTimesError)) throw err;
    expect(err.message.split('\n')).toHaveLength(1);
  }
}

/** Record boundaries of the pipe stream (after its 16-byte header). */
function boundaries(b: Uint8Array): number[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: number[] = [];
  let p = 16;
  while (p + 8 <= b.length) {
    out.push(p);
    const size = v.getUint16(p + 6, true);
    const type = v.getUint32(p, true);
    p += size + (type === 66 ? v.getUint32(p + 8, true) : 0);
  }
  return out;
}

describe('perf.data reader on hostile input', () => {
  it('a pipe stream cut at every record boundary: converted up to there or one clear error', () => {
    const bs = boundaries(pipe);
    for (const cut of bs.filter((_, i) => i % 7 === 0)) onlyOurError(() => pipeDecode(pipe.subarray(0, cut)));
    for (const cut of bs.filter((_, i) => i % 11 === 0)) onlyOurError(() => pipeDecode(pipe.subarray(0, cut + 3)));
  });

  it('random cuts, flipped bytes and garbage (pipe)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: pipe.length }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.integer({ min: 1, max: 70000 }),
        (cut, flips, chunk) => {
          const b = Uint8Array.from(pipe.subarray(0, cut));
          for (const [at, x] of flips) if (b.length > 0) b[at % b.length] = x;
          onlyOurError(() => pipeDecode(b, chunk));
        },
      ),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (g) => onlyOurError(() => pipeDecode(g))),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (g) => {
        const b = new Uint8Array(16 + g.length);
        b.set(pipe.subarray(0, 16));
        b.set(g, 16);
        onlyOurError(() => pipeDecode(b));
      }),
      { numRuns: 200 },
    );
  });

  it('file mode cut short, flipped, and compressed records garbled', async () => {
    const cases: Uint8Array[] = [zstd.subarray(0, 50), zstd.subarray(0, 104), zstd.subarray(0, 5000)];
    const rnd = fc.sample(fc.tuple(fc.nat({ max: zstd.length - 1 }), fc.integer({ min: 0, max: 255 })), {
      numRuns: 25,
      seed: 7,
    });
    for (const [at, x] of rnd) {
      const b = Uint8Array.from(zstd);
      b[at] = x;
      cases.push(b);
    }
    for (let i = 0; i < cases.length; i++) {
      const path = join(tmp, `case-${i}.data`);
      writeFileSync(path, cases[i]);
      await onlyOurErrorAsync(() => decodePerfDataFile(path, () => undefined));
    }
  });
});
