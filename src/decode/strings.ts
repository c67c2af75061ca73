/**
 * Interns byte ranges as small integer ids without building a string per occurrence:
 * a repeated comm or device name costs a hash and a byte compare, not an allocation.
 */
const EMPTY = new Uint8Array(0);

export class StringTable {
  readonly values: string[] = [];
  private keys: Uint8Array[] = [];
  private slots: Int32Array = new Int32Array(256).fill(-1);
  private hashes: Int32Array = new Int32Array(128);
  private readonly decoder = new TextDecoder('utf-8');

  get size(): number {
    return this.values.length;
  }

  /** Id of the bytes b[start, end), interning them on first sight. */
  idOfBytes(b: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
    const mask = this.slots.length - 1;
    let slot = h & mask;
    const len = end - start;
    for (;;) {
      const id = this.slots[slot];
      if (id < 0) break;
      if (this.hashes[id] === h) {
        const k = this.keys[id];
        if (k.length === len) {
          let same = true;
          for (let i = 0; i < len; i++) {
            if (k[i] !== b[start + i]) {
              same = false;
              break;
            }
          }
          if (same) return id;
        }
      }
      slot = (slot + 1) & mask;
    }
    const id = this.values.length;
    const key = len === 0 ? EMPTY : b.slice(start, end);
    this.keys.push(key);
    this.values.push(this.decoder.decode(key));
    if (id >= this.hashes.length) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = h;
    this.slots[slot] = id;
    if (this.values.length * 2 > this.slots.length) this.rehash();
    return id;
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
