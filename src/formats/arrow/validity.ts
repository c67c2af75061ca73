/**
 * 0/1 validity bytes (what every stage passes on) into Arrow's validity bitmaps, LSB first. Used by the
 * apache-arrow builder (arrow-batch.ts) and the IPC encoder (arrow-ipc.ts), which must agree bit for bit.
 */

export interface Bitmap {
  /** undefined when nothing is null (Arrow then needs no bitmap at all). */
  bitmap: Uint8Array | undefined;
  nullCount: number;
}

/**
 * Buffer#indexOf is memchr (TypedArray#indexOf in Node 20 is a plain loop, ~30x slower): a Buffer view of
 * the validity bytes tells a column with no null, or nothing but nulls, without a loop.
 */
export function firstByte(valid: Uint8Array, byte: number, n: number): number {
  const i = Buffer.from(valid.buffer, valid.byteOffset, n).indexOf(byte);
  return i < 0 ? n : i;
}

/** Set bits per byte value. */
const BITS = Uint8Array.from({ length: 256 }, (_, b) => {
  let c = 0;
  for (let x = b; x; x >>= 1) c += x & 1;
  return c;
});

/**
 * Packs valid[0, n) into `into` (zeroed, (n + 7) >> 3 bytes at least), 8 rows a step; returns the null count.
 */
export function packBits(valid: Uint8Array, n: number, into: Uint8Array): number {
  let set = 0;
  const full = n & ~7;
  for (let i = 0; i < full; i += 8) {
    const b =
      valid[i] |
      (valid[i + 1] << 1) |
      (valid[i + 2] << 2) |
      (valid[i + 3] << 3) |
      (valid[i + 4] << 4) |
      (valid[i + 5] << 5) |
      (valid[i + 6] << 6) |
      (valid[i + 7] << 7);
    into[i >> 3] = b;
    set += BITS[b];
  }
  for (let i = full; i < n; i++) {
    if (valid[i]) {
      into[i >> 3] |= 1 << (i & 7);
      set++;
    }
  }
  return n - set;
}

/** Packs 0/1 validity bytes into a new Arrow bitmap; no bitmap at all when nothing is null. */
export function packValidity(valid: Uint8Array, n: number): Bitmap {
  if (firstByte(valid, 0, n) === n) return { bitmap: undefined, nullCount: 0 };
  const bitmap = new Uint8Array((n + 7) >> 3);
  if (firstByte(valid, 1, n) === n) return { bitmap, nullCount: n };
  return { bitmap, nullCount: packBits(valid, n, bitmap) };
}

/**
 * Dictionary ids (-1 for null) as Arrow's indices and validity bitmap: `indices` gets the ids with 0 in the
 * null slots, `bits` (zeroed, (n + 7) >> 3 bytes at least) a set bit per id >= 0; returns the null count.
 */
export function dictBits(ids: Int32Array, n: number, indices: Int32Array, bits: Uint8Array): number {
  indices.set(ids.subarray(0, n));
  // A byte of the bitmap per 8 rows: the sign bit of each id says null.
  let nulls = 0;
  const full = n & ~7;
  for (let i = 0; i < full; i += 8) {
    let byte = 0;
    for (let k = 0; k < 8; k++) {
      if (ids[i + k] >= 0) byte |= 1 << k;
      else {
        indices[i + k] = 0;
        nulls++;
      }
    }
    bits[i >> 3] = byte;
  }
  for (let i = full; i < n; i++) {
    if (ids[i] >= 0) bits[i >> 3] |= 1 << (i & 7);
    else {
      indices[i] = 0;
      nulls++;
    }
  }
  return nulls;
}
