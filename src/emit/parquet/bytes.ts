/** A growable byte buffer with the little-endian and varint writes the Parquet encoders need. */
export class ByteWriter {
  buf: Uint8Array;
  len = 0;

  constructor(capacity = 1024) {
    this.buf = new Uint8Array(capacity);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }

  byte(v: number): void {
    if (this.len === this.buf.length) this.reserve(1);
    this.buf[this.len++] = v;
  }

  bytes(b: Uint8Array, s = 0, e = b.length): void {
    this.reserve(e - s);
    this.buf.set(s === 0 && e === b.length ? b : b.subarray(s, e), this.len);
    this.len += e - s;
  }

  u32le(v: number): void {
    this.reserve(4);
    const b = this.buf;
    const p = this.len;
    b[p] = v;
    b[p + 1] = v >>> 8;
    b[p + 2] = v >>> 16;
    b[p + 3] = v >>> 24;
    this.len = p + 4;
  }

  /** Unsigned LEB128 of a non-negative integer below 2^53. */
  varint(v: number): void {
    this.reserve(8);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  /** Unsigned LEB128 of the 64-bit value hi:lo (two uint32 words). */
  varint64(lo: number, hi: number): void {
    this.reserve(10);
    lo >>>= 0;
    hi >>>= 0;
    while (hi !== 0 || lo >= 0x80) {
      this.buf[this.len++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.len++] = lo;
  }

  /** Zigzag LEB128 of a signed integer with |v| < 2^52. */
  zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  /** Zigzag LEB128 of the signed 64-bit value hi:lo. */
  zigzag64(lo: number, hi: number): void {
    const sign = hi >> 31;
    this.varint64(((lo << 1) ^ sign) >>> 0, (((hi << 1) | (lo >>> 31)) ^ sign) >>> 0);
  }

  /** The written bytes (a view; copy it if the writer is reused). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  reset(): void {
    this.len = 0;
  }
}
