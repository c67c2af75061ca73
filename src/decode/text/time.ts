/**
 * perf prints `secs.frac` (6 digits by default, 9 with --ns). The value is built exactly as int64 in two
 * 32-bit words, never through a float, so uptimes beyond 2^53 ns (104 days) keep every nanosecond.
 */
const TWO32 = 4294967296;
const INV_TWO32 = 1 / TWO32;
/** Seconds below which secs * 1e9 + 999999999 < 2^53. */
const FAST_SECS = 9007198;
const POW10 = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 1e1, 1];

/** Writes secs * 1e9 + frac * 10^(9 - fracDigits) into words[2i] (low) and words[2i + 1] (high). */
export function writeTimeWords(words: Uint32Array, i: number, secs: number, frac: number, fracDigits: number): void {
  const fracNs = frac * POW10[fracDigits];
  if (secs < FAST_SECS) {
    // Below 2^53 ns (104 days) the double is exact, and so is its product with 2^-32 (a power of two):
    // the high word is its integer part, with no division. It is below 2^21, so `| 0` truncates it exactly.
    const ns = secs * 1e9 + fracNs;
    const hi = (ns * INV_TWO32) | 0;
    words[2 * i] = ns - hi * TWO32;
    words[2 * i + 1] = hi;
    return;
  }
  const sh = Math.floor(secs / 65536);
  const sl = secs - sh * 65536;
  const a = sh * 1e9;
  const b = sl * 1e9 + fracNs;
  const aHigh = Math.floor(a / 65536);
  let lo = (a - aHigh * 65536) * 65536 + (b % TWO32);
  const carry = Math.floor(lo / TWO32);
  lo -= carry * TWO32;
  words[2 * i] = lo;
  words[2 * i + 1] = aHigh + Math.floor(b / TWO32) + carry;
}

/** Exact difference a - b of two int64 word pairs as a number (exact while |a - b| < 2^53). */
export function diffWords(words: Uint32Array, a: number, b: number): number {
  return (words[2 * a + 1] - words[2 * b + 1]) * TWO32 + (words[2 * a] - words[2 * b]);
}

/** The int64 value at i as a number of nanoseconds (exact below 2^53, i.e. 104 days of uptime). */
export function wordsToNumber(words: Uint32Array, i: number): number {
  return words[2 * i + 1] * TWO32 + words[2 * i];
}
