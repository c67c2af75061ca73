import type { StringTable } from '../core/strings.js';

const SLOTS = 16;
const MAX = 64;

/**
 * A few tokens already interned into one StringTable, with their ids, for the fast paths: a payload's device,
 * softirq action or location is nearly always one seen a few lines before, and comparing it with the copy in
 * its slot (chosen by the caller) is cheaper than the table's hash and lookup. A token is remembered exactly
 * as it was in the payload (the caller decides what it must be, say free of spaces, before remembering it), so
 * a hit needs no other check. Ids never change once given, so a remembered id stays right.
 */
export class RecentIds {
  private readonly bytes = new Uint8Array(SLOTS * MAX);
  private readonly len = new Int32Array(SLOTS).fill(-1);
  private readonly id = new Int32Array(SLOTS);

  constructor(readonly table: StringTable) {}

  /** The id remembered in `slot` (any number: taken modulo 16) for exactly the bytes b[s, e), or -1. */
  hit(b: Uint8Array, s: number, e: number, slot: number): number {
    const n = e - s;
    slot &= SLOTS - 1;
    if (this.len[slot] !== n) return -1;
    const kb = this.bytes;
    const o = slot * MAX - s;
    for (let p = s; p < e; p++) if (kb[o + p] !== b[p]) return -1;
    return this.id[slot];
  }

  /**
   * On a miss: the id of the name b[vs, ve) (within the token b[s, e), or all of it) from the table, remembered
   * for the token in `slot`. Kept out of hit() so that the hot caller stays small.
   */
  intern(b: Uint8Array, s: number, e: number, slot: number, vs: number, ve: number): number {
    const id = this.table.idOfBytes(b, vs, ve);
    this.remember(b, s, e, slot, id);
    return id;
  }

  /** Remembers that the token b[s, e) has `id` (tokens longer than a slot are not kept). */
  private remember(b: Uint8Array, s: number, e: number, slot: number, id: number): void {
    const n = e - s;
    if (n > MAX) return;
    slot &= SLOTS - 1;
    const kb = this.bytes;
    const o = slot * MAX - s;
    for (let p = s; p < e; p++) kb[o + p] = b[p];
    this.len[slot] = n;
    this.id[slot] = id;
  }
}
