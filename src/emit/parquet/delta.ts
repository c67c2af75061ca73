/**
 * DELTA_BINARY_PACKED (blocks of 128 values, 4 miniblocks of 32): sorted or nearly sorted integers such as
 * times and line numbers shrink to a few bits each without a general-purpose compressor.
 * Deltas are exact JS numbers: an encoder refuses (returns false) when one is 2^52 or more, and the caller
 * falls back to PLAIN.
 */
import type { ByteWriter } from './bytes.js';

const BLOCK = 128;
const MINI = 32;
const MINIS = BLOCK / MINI;
const LIMIT = 2 ** 52;
const TWO24 = 16777216;
const TWO32 = 4294967296;

let scratch = new Float64Array(1024);

/** Packs 32 non-negative integers d[k] - min (< 2^53) from s (zeros past e) with `width` bits each, LSB first. */
function packMini(out: ByteWriter, d: Float64Array, s: number, e: number, min: number, width: number): void {
  out.reserve(width * 4);
  const b = out.buf;
  let p = out.len;
  let acc = 0;
  let bits = 0;
  const end = s + MINI;
  if (width <= 24) {
    for (let k = s; k < end; k++) {
      acc |= (k < e ? d[k] - min : 0) << bits;
      bits += width;
      while (bits >= 8) {
        b[p++] = acc & 0xff;
        acc >>>= 8;
        bits -= 8;
      }
    }
  } else {
    // Wider values go out in 24-bit pieces so that the accumulator never exceeds 31 bits.
    for (let k = s; k < end; k++) {
      let x = k < e ? d[k] - min : 0;
      for (let left = width; left > 0; left -= 24) {
        const n = left < 24 ? left : 24;
        const piece = x % TWO24;
        x = (x - piece) / TWO24;
        acc |= piece << bits;
        bits += n;
        while (bits >= 8) {
          b[p++] = acc & 0xff;
          acc >>>= 8;
          bits -= 8;
        }
      }
    }
  }
  out.len = p;
}

/** Bits needed for a non-negative integer below 2^53. */
function widthOf(range: number): number {
  if (range < TWO32) return range === 0 ? 0 : 32 - Math.clz32(range);
  return 64 - Math.clz32(Math.floor(range / TWO32));
}

/** Writes the header and blocks for `n` values: the first as zigzag (lo, hi) words, then n - 1 deltas. */
function blocks(out: ByteWriter, n: number, firstLo: number, firstHi: number, d: Float64Array): void {
  out.varint(BLOCK);
  out.varint(MINIS);
  out.varint(n);
  out.zigzag64(firstLo, firstHi);
  const nd = n - 1;
  const widths = [0, 0, 0, 0];
  const mins = [0, 0, 0, 0];
  for (let bs = 0; bs < nd; bs += BLOCK) {
    const be = Math.min(nd, bs + BLOCK);
    let min = d[bs];
    for (let k = bs + 1; k < be; k++) if (d[k] < min) min = d[k];
    out.zigzag(min);
    for (let m = 0; m < MINIS; m++) {
      const s = bs + m * MINI;
      let max = 0;
      if (s < be) for (let k = s, e = Math.min(be, s + MINI); k < e; k++) if (d[k] - min > max) max = d[k] - min;
      widths[m] = s < be ? widthOf(max) : 0;
      mins[m] = min;
      out.byte(widths[m]);
    }
    for (let m = 0; m < MINIS; m++) {
      const s = bs + m * MINI;
      if (s < be && widths[m] > 0) packMini(out, d, s, be, mins[m], widths[m]);
    }
  }
}

function deltas(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, scratch.length * 2));
  return scratch;
}

/** int32 values v[idx[k]] (or v[from + k] when idx is null) for k < n. */
export function deltaInt32(out: ByteWriter, v: Int32Array, from: number, n: number, idx: Int32Array | null): boolean {
  if (n === 0) {
    blocks(out, 0, 0, 0, scratch);
    return true;
  }
  const d = deltas(n);
  let prev = v[idx ? idx[0] : from];
  for (let k = 1; k < n; k++) {
    const x = v[idx ? idx[k] : from + k];
    d[k - 1] = x - prev;
    prev = x;
  }
  const first = v[idx ? idx[0] : from];
  blocks(out, n, first >>> 0, first >> 31, d);
  return true;
}

/** int64 values as little-endian word pairs w[2j], w[2j + 1] for j = idx[k] (or from + k). */
export function deltaInt64(out: ByteWriter, w: Uint32Array, from: number, n: number, idx: Int32Array | null): boolean {
  if (n === 0) {
    blocks(out, 0, 0, 0, scratch);
    return true;
  }
  const d = deltas(n);
  let j = idx ? idx[0] : from;
  let lo = w[2 * j];
  let hi = w[2 * j + 1] | 0;
  const firstLo = lo;
  const firstHi = hi;
  for (let k = 1; k < n; k++) {
    j = idx ? idx[k] : from + k;
    const l = w[2 * j];
    const h = w[2 * j + 1] | 0;
    const delta = (h - hi) * TWO32 + (l - lo);
    if (delta >= LIMIT || delta <= -LIMIT) return false;
    d[k - 1] = delta;
    lo = l;
    hi = h;
  }
  blocks(out, n, firstLo, firstHi, d);
  return true;
}
