import { describe, expect, it } from 'vitest';
import { diffWords, writeTimeWords, wordsToNumber } from '../../src/decode/text/time.js';

function timeOf(secs: number, frac: number, fracDigits: number): bigint {
  const v = new BigInt64Array(1);
  writeTimeWords(new Uint32Array(v.buffer), 0, secs, frac, fracDigits);
  return v[0];
}

describe('writeTimeWords', () => {
  it('microseconds (perf default) and nanoseconds (--ns)', () => {
    expect(timeOf(1520, 843977, 6)).toBe(1520843977000n);
    expect(timeOf(1520, 843977865, 9)).toBe(1520843977865n);
    expect(timeOf(0, 0, 6)).toBe(0n);
    expect(timeOf(0, 1, 9)).toBe(1n);
    expect(timeOf(1, 5, 1)).toBe(1500000000n);
  });

  it('is exact beyond 2^53 and up to the largest int64', () => {
    expect(timeOf(12345678, 123456789, 9)).toBe(12345678123456789n);
    expect(timeOf(9007199, 254740993, 9)).toBe(2n ** 53n + 1n);
    expect(timeOf(4294967296, 1, 9)).toBe(4294967296000000001n);
    expect(timeOf(9223372036, 854775807, 9)).toBe(2n ** 63n - 1n);
  });

  it('writes row i without touching its neighbours', () => {
    const v = new BigInt64Array(3);
    const w = new Uint32Array(v.buffer);
    writeTimeWords(w, 1, 12345678, 123456789, 9);
    expect([...v]).toEqual([0n, 12345678123456789n, 0n]);
  });
});

describe('diffWords / wordsToNumber', () => {
  it('exact differences of large times', () => {
    const v = new BigInt64Array([12345678123456789n, 12345678123456000n, 1520843977865n]);
    const w = new Uint32Array(v.buffer);
    expect(diffWords(w, 0, 1)).toBe(789);
    expect(diffWords(w, 1, 0)).toBe(-789);
    expect(wordsToNumber(w, 2)).toBe(1520843977865);
  });
});
