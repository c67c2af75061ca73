/** The reference's Python number formatting; expected strings were printed by Python 3 itself. */
import { describe, expect, it } from 'vitest';
import { diffNs, hex64, msec, secsDotUsecs, signedNs } from '../../src/report/index.js';

const words = (v: bigint): [number, number] => [Number(BigInt.asUintN(32, v)), Number(BigInt.asUintN(32, v >> 32n))];
const ms = (d: bigint): string => msec(signedNs(...words(d)));
const secs = (ns: bigint): string => secsDotUsecs(...words(ns));

describe("'%.3f' % (d / 1000000.0)", () => {
  it('rounds exact binary ties half to even, like Python (JS toFixed rounds them up)', () => {
    expect([62500n, -62500n, 187500n, 312500n, 2562500n, 9687500n, -15687500n, -22312500n, 7562500n].map(ms)).toEqual([
      '0.062',
      '-0.062',
      '0.188',
      '0.312',
      '2.562',
      '9.688',
      '-15.688',
      '-22.312',
      '7.562',
    ]);
  });

  it('agrees elsewhere, including negative values that round to zero', () => {
    expect([-1n, -499n, -500n, -501n, 500n, 1500n, 2500n, 0n, 13000n, 1541836424000n].map(ms)).toEqual([
      '-0.000',
      '-0.000',
      '-0.001',
      '-0.001',
      '0.001',
      '0.002',
      '0.003',
      '0.000',
      '0.013',
      '1541836.424',
    ]);
  });

  it('converts differences beyond 2^53 ns to the nearest double first, as Python does', () => {
    expect(ms(2n ** 60n + 1n)).toBe('1152921504606.847');
    expect(ms(-(2n ** 60n) - 1n)).toBe('-1152921504606.847');
  });
});

describe("'%d.%06d' % (nsecs / 1e9, nsecs % 1e9 / 1000)", () => {
  it('truncates to microseconds', () => {
    expect(secs(1520843977865123n)).toBe('1520843.977865');
    expect(secs(100000000999n)).toBe('100.000000');
    expect(secs(0n)).toBe('0.000000');
  });

  it('beyond 2^53 ns reproduces the float division rounding up to the next second', () => {
    expect(secs(4990256831999999925n)).toBe('4990256832.999999');
    expect(secs(8436158029999999838n)).toBe('8436158030.999999');
    expect(secs(4545754253999999998n)).toBe('4545754254.999999');
    expect(secs(4545754253999990000n)).toBe('4545754253.999990');
  });
});

describe('word helpers', () => {
  it('diffNs is exact in both directions and across the 32-bit boundary', () => {
    expect(diffNs(0, 1, 0xffffffff, 0)).toBe(1);
    expect(diffNs(0xffffffff, 0, 0, 1)).toBe(-1);
    expect(diffNs(...words(2n ** 62n), 0, 0)).toBe(2n ** 62n);
  });

  it('hex64 prints %x: lowercase, no 0x, no leading zeros', () => {
    expect(hex64(...words(0xffff88812f183d00n))).toBe('ffff88812f183d00');
    expect(hex64(0x1000, 0)).toBe('1000');
    expect(hex64(0x10, 1)).toBe('100000010');
  });
});
