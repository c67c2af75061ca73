/**
 * The reference's number formatting, reproduced from exact int64 nanoseconds given as 32-bit words.
 * It prints `(dst - src) / 1000000.0` with `%.3f` (Python: the exact binary value, round half to even)
 * and base times as `%d.%06d` of `nsecs / 1e9` (a float in Python 3) and `nsecs % 1e9 / 1000`.
 */
const TWO32 = 4294967296;

/** The int64 a - b from word pairs (aLo, aHi), (bLo, bHi): a number when exact, else a bigint. */
export function diffNs(aLo: number, aHi: number, bLo: number, bHi: number): number | bigint {
  const dh = (aHi | 0) - (bHi | 0);
  if (dh > -1048576 && dh < 1048576) return dh * TWO32 + (aLo - bLo);
  return BigInt.asIntN(64, (BigInt(aHi) << 32n) + BigInt(aLo) - ((BigInt(bHi) << 32n) + BigInt(bLo)));
}

/** A signed int64 word pair as a number when exact, else a bigint. */
export function signedNs(lo: number, hi: number): number | bigint {
  const h = hi | 0;
  if (h > -2097152 && h < 2097152) return h * TWO32 + lo;
  return BigInt.asIntN(64, (BigInt(hi) << 32n) + BigInt(lo));
}

/** `'%.3f' % (d / 1000000.0)` for an exact integer d of nanoseconds. */
export function msec(d: number | bigint): string {
  // Python turns an int into the nearest double (ties to even) before dividing; so does Number(bigint).
  const x = (typeof d === 'bigint' ? Number(d) : d) / 1000000;
  const s = x.toFixed(3);
  // toFixed and %.3f agree except on exact binary ties (x an odd multiple of 1/16): toFixed goes away
  // from zero, Python to the even last digit.
  const m = Math.abs(x) * 16;
  if (!Number.isInteger(m) || m % 2 === 0) return s;
  const lower = (125 * m - 1) / 2;
  const n = lower % 2 === 0 ? lower : lower + 1;
  const frac = n % 1000;
  return `${x < 0 ? '-' : ''}${Math.floor(n / 1000)}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`;
}

/** `'%d.%06d' % (nsecs_secs(t), nsecs_nsecs(t) / 1000)` for a non-negative time t in words. */
export function secsDotUsecs(lo: number, hi: number): string {
  let secs: number;
  let rem: number;
  if (hi < 2097152) {
    const ns = hi * TWO32 + lo;
    // Below 2^53 JS divides the exact value with one rounding, like Python's int / int.
    secs = Math.trunc(ns / 1e9);
    rem = ns % 1e9;
  } else {
    const ns = (BigInt(hi) << 32n) + BigInt(lo);
    const s = Number(ns / 1000000000n);
    rem = Number(ns % 1000000000n);
    secs = s + (roundsUpToNextSecond(s, rem) ? 1 : 0);
  }
  const us = Math.floor(rem / 1000);
  return `${secs}.${String(us).padStart(6, '0')}`;
}

/**
 * Whether the double nearest to s + rem / 1e9 is s + 1 (so Python's `%d` of it prints s + 1): when the
 * distance to s + 1 is at most half the spacing of doubles below it, 2^(floor(log2 s) - 52).
 */
function roundsUpToNextSecond(s: number, rem: number): boolean {
  if (s < 1) return false;
  let e = 0;
  while (2 ** (e + 1) <= s) e++;
  return (1e9 - rem) * 2 ** (53 - e) <= 1e9;
}

/** `%x` of a 64-bit address given as words. */
export function hex64(lo: number, hi: number): string {
  return hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, '0');
}

/** `%Ns`/`%Nd`: right-aligned to width n, never cut. */
export const pad = (s: string | number, n: number): string => String(s).padStart(n);
