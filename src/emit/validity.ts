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
    const b = valid[i] | (valid[i + 1] << 1) | (valid[i + 2] << 2) | (valid[i + 3] << 3) | (valid[i + 4] << 4) | (valid[i + 5] << 5) | (valid[i + 6] << 6) | (valid[i + 7] << 7);
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
