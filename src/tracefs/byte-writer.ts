/** Where render() appends payload text. `ensure(n)` may replace `buf`, so writers re-read it after calling. */
export interface ByteWriter {
  buf: Uint8Array;
  len: number;
  ensure(n: number): void;
}

/** A growable byte buffer implementing ByteWriter. */
export class ByteBuffer implements ByteWriter {
  buf: Uint8Array;
  len = 0;
  constructor(initial = 4096) {
    this.buf = new Uint8Array(Math.max(16, initial));
  }
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }
  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
  reset(): void {
    this.len = 0;
  }
}

export function writeBytes(out: ByteWriter, bytes: Uint8Array): void {
  out.ensure(bytes.length);
  out.buf.set(bytes, out.len);
  out.len += bytes.length;
}

/** Writes a string whose characters are all below 256 (payload text is bytes, kept as latin1 strings). */
export function writeLatin1(out: ByteWriter, s: string): void {
  const n = s.length;
  out.ensure(n);
  const b = out.buf;
  let p = out.len;
  for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i) & 0xff;
  out.len = p;
}

export function latin1Bytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}
