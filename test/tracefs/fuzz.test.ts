/** Garbled tracing data and random raw samples: only NetdevTimesError, never a hang, bounded time. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NetdevTimesError } from '../../src/core/errors.js';
import { ByteBuffer, parseTracingData } from '../../src/tracefs/index.js';
import { blob } from './oracle.js';

const REAL = blob('mixed');
const IDS = [372, 374, 2302, 2303, 2304, 2306, 2308, 2309, 2310, 2291, 221, 222, 223, 224, 225];

function onlyOurError(f: () => void): void {
  try {
    f();
  } catch (err) {
    if (!(err instanceof NetdevTimesError)) throw err;
    expect(err.message).not.toContain('\n');
  }
}

describe('fuzz', () => {
  it('garbled tracing data throws only NetdevTimesError', () => {
    const started = Date.now();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(REAL.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat(REAL.length),
        (edits, cut) => {
          const b = REAL.slice(0, Math.max(cut, 20));
          for (const [at, v] of edits) if (at < b.length) b[at] = v;
          onlyOurError(() => parseTracingData(b));
        },
      ),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (b) => onlyOurError(() => parseTracingData(b))),
      { numRuns: 300 },
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a newline in a name the message quotes stays one line (a case the fuzzer found)', () => {
    const b = REAL.slice(0, 5894);
    b[5890] = 10;
    let message = '';
    try {
      parseTracingData(b);
    } catch (err) {
      if (err instanceof NetdevTimesError) message = err.message;
    }
    expect(message).toMatch(/^tracing data: \\x0aet event count: needs 4 bytes at offset 5894/);
  });

  it('random raw samples render without throwing', () => {
    const formats = parseTracingData(REAL);
    const out = new ByteBuffer();
    const started = Date.now();
    fc.assert(
      fc.property(fc.constantFrom(...IDS), fc.uint8Array({ maxLength: 160 }), fc.nat(200), (id, raw, end) => {
        const ev = formats.byId(id);
        expect(ev).toBeDefined();
        out.reset();
        ev?.render(raw, 0, end, out);
        expect(out.len).toBeLessThan(1 << 16);
      }),
      { numRuns: 3000 },
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
