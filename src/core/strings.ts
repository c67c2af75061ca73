/**
 * Interns byte ranges as small integer ids without building a string per occurrence:
 * a repeated comm or device name costs a hash and a byte compare, not an allocation.
 */
export class StringTable {
  readonly values: string[] = [];
  /** Every key's bytes, back to back (one array: the compare loop stays monomorphic and allocation-free). */
  private keyBytes = new Uint8Array(1024);
  private keyBytesLen = 0;
  private keyStart: Int32Array<ArrayBuffer> = new Int32Array(128);
  private keyLen: Int32Array<ArrayBuffer> = new Int32Array(128);
  private slots: Int32Array = new Int32Array(256).fill(-1);
  private hashes: Int32Array<ArrayBuffer> = new Int32Array(128);
  /** The id returned last: consecutive lines often repeat a comm or a device. */
  private last = -1;
  private readonly decoder = new TextDecoder('utf-8');

  get size(): number {
    return this.values.length;
  }

  /** True when b[start, start + len) is key `id` (compared from the end: names sharing a prefix part sooner). */
  private same(id: number, b: Uint8Array, start: number, len: number): boolean {
    if (this.keyLen[id] !== len) return false;
    const kb = this.keyBytes;
    const ks = this.keyStart[id];
    for (let i = len - 1; i >= 0; i--) if (kb[ks + i] !== b[start + i]) return false;
    return true;
  }

  /**
   * Id of the bytes b[start, end), interning them on first sight. The hash samples the length and at most
   * the first and last four bytes (names differ there: comm, event, device, location); the byte compare
   * that follows decides.
   */
  idOfBytes(b: Uint8Array, start: number, end: number): number {
    const len = end - start;
    const last = this.last;
    if (last >= 0 && this.same(last, b, start, len)) return last;
    let h = Math.imul(0x811c9dc5 ^ len, 0x01000193);
    if (len <= 8) {
      for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
    } else {
      h = Math.imul(h ^ b[start], 0x01000193);
      h = Math.imul(h ^ b[start + 1], 0x01000193);
      h = Math.imul(h ^ b[start + 2], 0x01000193);
      h = Math.imul(h ^ b[start + 3], 0x01000193);
      h = Math.imul(h ^ b[end - 4], 0x01000193);
      h = Math.imul(h ^ b[end - 3], 0x01000193);
      h = Math.imul(h ^ b[end - 2], 0x01000193);
      h = Math.imul(h ^ b[end - 1], 0x01000193);
    }
    h ^= h >>> 15;
    const mask = this.slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const id = this.slots[slot];
      if (id < 0) break;
      if (this.hashes[id] === h && this.same(id, b, start, len)) {
        this.last = id;
        return id;
      }
      slot = (slot + 1) & mask;
    }
    const id = this.add(b, start, len, h);
    this.slots[slot] = id;
    if (this.values.length * 2 > this.slots.length) this.rehash();
    this.last = id;
    return id;
  }

  /** Copies the key into the table (never a view of the caller's bytes, which may be reused or moved). */
  private add(b: Uint8Array, start: number, len: number, h: number): number {
    const id = this.values.length;
    if (this.keyBytesLen + len > this.keyBytes.length) {
      const grown = new Uint8Array(Math.max(this.keyBytes.length * 2, this.keyBytesLen + len));
      grown.set(this.keyBytes.subarray(0, this.keyBytesLen));
      this.keyBytes = grown;
    }
    if (id >= this.hashes.length) {
      const n = this.hashes.length * 2;
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const g = new Int32Array(n);
        g.set(a);
        return g;
      };
      this.hashes = grow(this.hashes);
      this.keyStart = grow(this.keyStart);
      this.keyLen = grow(this.keyLen);
    }
    const ks = this.keyBytesLen;
    for (let i = 0; i < len; i++) this.keyBytes[ks + i] = b[start + i];
    this.keyBytesLen += len;
    this.keyStart[id] = ks;
    this.keyLen[id] = len;
    this.hashes[id] = h;
    this.values.push(this.decoder.decode(this.keyBytes.subarray(ks, ks + len)));
    return id;
  }

  /** The UTF-8 bytes of an id (a view of the table's own copy: do not modify). */
  bytesOf(id: number): Uint8Array {
    return this.keyBytes.subarray(this.keyStart[id], this.keyStart[id] + this.keyLen[id]);
  }

  /** Id of a JS string (slow path: options, tests, the correlate stage's fixed names). */
  idOf(s: string): number {
    const bytes = new TextEncoder().encode(s);
    return this.idOfBytes(bytes, 0, bytes.length);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let id = 0; id < this.values.length; id++) {
      let slot = this.hashes[id] & mask;
      while (slots[slot] >= 0) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}
