/**
 * p99.9 beside p50/p90/p99/max, by the same nearest-rank definition (the value at rank ceil(P*n/100)), on
 * data whose answers are worked out by hand in each case.
 */
import { describe, expect, it } from 'vitest';
import { latencyStats, nearestRank, PERCENTILE_DEFINITION } from '../../src/summary/summary.js';

/** 1..n in a shuffled order (the stats must sort). */
function oneTo(n: number, step = 1n): BigInt64Array {
  const a = BigInt64Array.from({ length: n }, (_, k) => BigInt(k + 1) * step);
  for (let k = n - 1; k > 0; k--) {
    const j = (k * 7919) % (k + 1);
    [a[k], a[j]] = [a[j], a[k]];
  }
  return a;
}

describe('p99.9 is nearest-rank, like every percentile of the summary', () => {
  it('n = 1000: ranks 500, 900, 990, 999, 1000', () => {
    expect(latencyStats(oneTo(1000))).toEqual({ n: 1000, p50: 500n, p90: 900n, p99: 990n, p99_9: 999n, max: 1000n });
  });

  it('n = 1001: ceil(999 * 1001 / 1000) = ceil(999.999) = 1000, p99 ceil(990.99) = 991', () => {
    expect(latencyStats(oneTo(1001))).toEqual({ n: 1001, p50: 501n, p90: 901n, p99: 991n, p99_9: 1000n, max: 1001n });
  });

  it('n = 999: ceil(998.001) = 999, the max; n = 2000 (values 10, 20, ...): rank 1998', () => {
    expect(latencyStats(oneTo(999)).p99_9).toBe(999n);
    expect(latencyStats(oneTo(2000, 10n)).p99_9).toBe(19_980n);
    // n = 100: ceil(99.9) = 100: below 1000 values p99.9 is the max unless n*0.999 is a whole number.
    expect(latencyStats(oneTo(100)).p99_9).toBe(100n);
  });

  it('n = 1 and n = 0: the one value, and null', () => {
    expect(latencyStats(BigInt64Array.from([42n]))).toEqual({
      n: 1,
      p50: 42n,
      p90: 42n,
      p99: 42n,
      p99_9: 42n,
      max: 42n,
    });
    expect(latencyStats(new BigInt64Array(0))).toEqual({
      n: 0,
      p50: null,
      p90: null,
      p99: null,
      p99_9: null,
      max: null,
    });
  });

  it('nearestRank(sorted, 99.9) is the same rank, computed without a float product', () => {
    const sorted = oneTo(41_000).sort();
    // 999 * 41000 / 1000 = 40959 exactly; in floats 99.9 * 41000 / 100 = 40959.00000000001, whose ceiling is 40960.
    expect(Math.ceil((99.9 * 41_000) / 100)).toBe(40_960);
    expect(nearestRank(sorted, 99.9)).toBe(40_959n);
    expect(latencyStats(sorted).p99_9).toBe(40_959n);
    expect(nearestRank(sorted, 99)).toBe(40_590n);
    expect(PERCENTILE_DEFINITION).toMatch(/ceil\(P\*n\/100\)/);
  });
});
