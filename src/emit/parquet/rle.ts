/**
 * Parquet's RLE / bit-packing hybrid (definition and repetition levels, dictionary indices): runs of 8 or
 * more equal values become RLE runs, the rest is bit-packed in groups of 8, LSB first.
 * There are two copies of the encoder, one for byte levels (Uint8Array) and one for dictionary ids
 * (Int32Array): each stays monomorphic, which is what keeps it fast on V8.
 */
import type { ByteWriter } from './bytes.js';

/** Bit-packed runs are kept to 63 groups (504 values) so that their header is one byte, as parquet-mr does. */
const MAX_PACKED = 504;

/**
 * Buffer#indexOf is memchr; TypedArray#indexOf in Node 20 is a plain loop, some 30 times slower. A Buffer
 * view over the same bytes (no copy) gives memchr to any Uint8Array.
 */
export const memchrView = (a: Uint8Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.length);

/** First index in [from, to) of `byte` in `view`, or `to`. */
export function indexOfByte(view: Buffer, byte: number, from: number, to: number): number {
  if (from >= to) return to;
  const i = view.indexOf(byte, from);
  return i < 0 || i > to ? to : i;
}

/** Bits needed for values up to `max` (at least 1; max < 2^31). */
export function bitWidth(max: number): number {
  return max <= 1 ? 1 : 32 - Math.clz32(max);
}

function rleRun(out: ByteWriter, value: number, count: number, width: number): void {
  out.varint(count * 2);
  for (let w = 0; w < width; w += 8) out.byte((value >>> w) & 0xff);
}

/** Bit-packs `count` ids from `start` (zero-padded to a multiple of 8) as one run; width <= 24. */
function packIds(out: ByteWriter, v: Int32Array, start: number, count: number, width: number): void {
  const groups = (count + 7) >> 3;
  out.varint((groups << 1) | 1);
  out.reserve(groups * width);
  const b = out.buf;
  let p = out.len;
  let acc = 0;
  let bits = 0;
  const end = start + count;
  const total = start + groups * 8;
  for (let k = start; k < total; k++) {
    acc |= (k < end ? v[k] : 0) << bits;
    bits += width;
    while (bits >= 8) {
      b[p++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  out.len = p;
}

/** Bit-packs `count` levels from `start` (zero-padded to a multiple of 8) as one run; width <= 8. */
function packLevels(out: ByteWriter, v: Uint8Array, start: number, count: number, width: number): void {
  const groups = (count + 7) >> 3;
  out.varint((groups << 1) | 1);
  out.reserve(groups * width);
  const b = out.buf;
  let p = out.len;
  const end = start + count;
  if (width === 1) {
    const full = start + (count & ~7);
    let k = start;
    for (; k < full; k += 8) {
      b[p++] = v[k] | (v[k + 1] << 1) | (v[k + 2] << 2) | (v[k + 3] << 3) | (v[k + 4] << 4) | (v[k + 5] << 5) | (v[k + 6] << 6) | (v[k + 7] << 7);
    }
    if (k < end) {
      let byte = 0;
      for (let j = 0; k + j < end; j++) byte |= v[k + j] << j;
      b[p++] = byte;
    }
  } else {
    let acc = 0;
    let bits = 0;
    const total = start + groups * 8;
    for (let k = start; k < total; k++) {
      acc |= (k < end ? v[k] : 0) << bits;
      bits += width;
      while (bits >= 8) {
        b[p++] = acc & 0xff;
        acc >>>= 8;
        bits -= 8;
      }
    }
  }
  out.len = p;
}

/** Encodes ids v[from, to) (integers in [0, 2^width), width <= 24) as hybrid runs. */
export function encodeIds(out: ByteWriter, v: Int32Array, from: number, to: number, width: number): void {
  let packStart = from;
  let packCount = 0;
  let i = from;
  while (i < to) {
    const x = v[i];
    let j = i + 1;
    while (j < to && v[j] === x) j++;
    let run = j - i;
    if (run >= 8 && (packCount & 7) !== 0) {
      // A bit-packed run must hold whole groups of 8: lend it the first values of this run.
      const lend = 8 - (packCount & 7);
      packCount += lend;
      i += lend;
      run -= lend;
    }
    if (run >= 8) {
      flushIds(out, v, packStart, packCount, width);
      packCount = 0;
      rleRun(out, x, run, width);
      i = j;
      packStart = j;
      continue;
    }
    if (packCount === 0) packStart = i;
    packCount += run;
    i = j;
    while (packCount >= MAX_PACKED + 8) {
      packIds(out, v, packStart, MAX_PACKED, width);
      packStart += MAX_PACKED;
      packCount -= MAX_PACKED;
    }
  }
  flushIds(out, v, packStart, packCount, width);
}

/**
 * Pending values as bit-packed runs. The flushes are functions of their own: code after a long loop that
 * V8 compiles on-stack before ever running it would otherwise deoptimize there on every call.
 */
function flushIds(out: ByteWriter, v: Int32Array, start: number, count: number, width: number): void {
  for (; count > 0; start += MAX_PACKED, count -= Math.min(count, MAX_PACKED)) packIds(out, v, start, Math.min(count, MAX_PACKED), width);
}

/** Where the run of `x` that reaches j (exclusive) ends: memchr for each other level value (width <= 2). */
function runEnd(view: Buffer, x: number, j: number, to: number, width: number): number {
  let end = to;
  for (let y = 0; y < 1 << width; y++) if (y !== x) end = Math.min(end, indexOfByte(view, y, j, end));
  return end;
}

/**
 * Encodes levels v[from, to) (integers in [0, 2^width), width <= 8) as hybrid runs. Level arrays are mostly
 * long runs (a column null for whole stretches of other events): past 16 equal values, memchr finds the end.
 */
export function encodeLevels(out: ByteWriter, v: Uint8Array, from: number, to: number, width: number): void {
  const view = width <= 2 ? memchrView(v) : null;
  let packStart = from;
  let packCount = 0;
  let i = from;
  while (i < to) {
    const x = v[i];
    let j = i + 1;
    const lim = Math.min(to, i + 16);
    while (j < lim && v[j] === x) j++;
    if (j === lim && j < to) {
      if (view) j = runEnd(view, x, j, to, width);
      else while (j < to && v[j] === x) j++;
    }
    let run = j - i;
    if (run >= 8 && (packCount & 7) !== 0) {
      const lend = 8 - (packCount & 7);
      packCount += lend;
      i += lend;
      run -= lend;
    }
    if (run >= 8) {
      flushLevels(out, v, packStart, packCount, width);
      packCount = 0;
      rleRun(out, x, run, width);
      i = j;
      packStart = j;
      continue;
    }
    if (packCount === 0) packStart = i;
    packCount += run;
    i = j;
    while (packCount >= MAX_PACKED + 8) {
      packLevels(out, v, packStart, MAX_PACKED, width);
      packStart += MAX_PACKED;
      packCount -= MAX_PACKED;
    }
  }
  flushLevels(out, v, packStart, packCount, width);
}

function flushLevels(out: ByteWriter, v: Uint8Array, start: number, count: number, width: number): void {
  for (; count > 0; start += MAX_PACKED, count -= Math.min(count, MAX_PACKED)) packLevels(out, v, start, Math.min(count, MAX_PACKED), width);
}
