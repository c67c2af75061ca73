/**
 * A minimal FlatBuffers builder (back to front, as the reference builders do, so every scalar is aligned to
 * its size and every offset points forward): enough to write one Arrow IPC Schema message.
 */
const utf8 = new TextEncoder();

export class FlatBuilder {
  private buf = new Uint8Array(1024);
  private dv = new DataView(this.buf.buffer);
  /** Bytes from the end of `buf` already written. */
  private used = 0;
  private minAlign = 1;
  private vtable: number[] = [];
  private objectStart = 0;

  /** Position of the head measured from the end: what offsets refer to. */
  offset(): number {
    return this.used;
  }

  private grow(n: number): void {
    while (this.buf.length - this.used < n) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf.subarray(this.buf.length - this.used), bigger.length - this.used);
      this.buf = bigger;
      this.dv = new DataView(bigger.buffer);
    }
  }

  /** Pads so that after `additional` more bytes the head is aligned to `size`. */
  private prep(size: number, additional: number): void {
    if (size > this.minAlign) this.minAlign = size;
    const pad = (-(this.used + additional)) & (size - 1);
    this.grow(pad + size + additional);
    for (let i = 0; i < pad; i++) this.buf[this.buf.length - ++this.used] = 0;
  }

  private at(): number {
    return this.buf.length - this.used;
  }

  int8(v: number): void {
    this.prep(1, 0);
    this.used += 1;
    this.dv.setInt8(this.at(), v);
  }

  int16(v: number): void {
    this.prep(2, 0);
    this.used += 2;
    this.dv.setInt16(this.at(), v, true);
  }

  int32(v: number): void {
    this.prep(4, 0);
    this.used += 4;
    this.dv.setInt32(this.at(), v, true);
  }

  int64(v: number): void {
    this.prep(8, 0);
    this.used += 8;
    this.dv.setBigInt64(this.at(), BigInt(v), true);
  }

  /** A forward reference to an object already written. */
  offsetRef(target: number): void {
    this.prep(4, 0);
    this.int32(this.used - target + 4);
  }

  string(s: string): number {
    const b = utf8.encode(s);
    this.prep(4, b.length + 1);
    this.int8(0);
    this.used += b.length;
    this.buf.set(b, this.at());
    return this.endVector(b.length);
  }

  /** A vector of references to objects already written. */
  offsetVector(targets: readonly number[]): number {
    this.prep(4, 4 * targets.length);
    for (let i = targets.length - 1; i >= 0; i--) this.offsetRef(targets[i]);
    return this.endVector(targets.length);
  }

  private endVector(n: number): number {
    this.prep(4, 0);
    this.used += 4;
    this.dv.setUint32(this.at(), n, true);
    return this.used;
  }

  startTable(fields: number): void {
    this.vtable = new Array<number>(fields).fill(0);
    this.objectStart = this.used;
  }

  fieldInt8(slot: number, v: number): void {
    this.int8(v);
    this.vtable[slot] = this.used;
  }

  fieldInt16(slot: number, v: number): void {
    this.int16(v);
    this.vtable[slot] = this.used;
  }

  fieldInt32(slot: number, v: number): void {
    this.int32(v);
    this.vtable[slot] = this.used;
  }

  fieldInt64(slot: number, v: number): void {
    this.int64(v);
    this.vtable[slot] = this.used;
  }

  fieldOffset(slot: number, target: number): void {
    this.offsetRef(target);
    this.vtable[slot] = this.used;
  }

  endTable(): number {
    this.int32(0);
    const tableAt = this.used;
    let n = this.vtable.length;
    while (n > 0 && this.vtable[n - 1] === 0) n--;
    for (let i = n - 1; i >= 0; i--) this.int16(this.vtable[i] !== 0 ? tableAt - this.vtable[i] : 0);
    this.int16(tableAt - this.objectStart);
    this.int16((n + 2) * 2);
    // The table's first word is the (signed) distance back to its vtable, which sits just before it.
    this.dv.setInt32(this.buf.length - tableAt, this.used - tableAt, true);
    return tableAt;
  }

  /** Finishes the buffer with `root` as its root table and returns the bytes. */
  finish(root: number): Uint8Array {
    this.prep(this.minAlign, 4);
    this.offsetRef(root);
    return this.buf.slice(this.at());
  }
}
