/**
 * Event names looked up where they lie. perf right-aligns the name in a fixed-width field, so the width of
 * its padding nearly says which name follows: a name seen before after the same padding is checked in
 * place (its bytes, then `: ` or the line's end after them), which finds the name's end and its id in one
 * compare, instead of a scan for the end, a hash and a compare. Anything else goes the long way.
 */
import { parseEventName, type EventLine } from './event-line.js';
import type { StringTable } from './strings.js';

const SP = 0x20;
const COLON = 0x3a;
/** Padding widths told apart (mod this), and names remembered per width. */
const WIDTHS = 16;
const WAYS = 4;

export class EventNames {
  /** Per padding width, up to WAYS name ids, the last found first; -1 for none. */
  private readonly recent = new Int32Array(WIDTHS * WAYS).fill(-1);

  constructor(private readonly table: StringTable) {}

  /**
   * From p (just after the time's `:`): the event name's id in the table, with out.eventStart, eventEnd and
   * payloadStart set as parseEventName sets them; -1 with out.reason when there is no event name.
   */
  idAt(b: Uint8Array, p: number, e: number, out: EventLine): number {
    let q = p;
    while (q < e && b[q] === SP) q++;
    const set = (q - p) % WIDTHS * WAYS;
    const id = this.recentAt(b, q, e, set);
    if (id >= 0) {
      const end = q + this.table.lengthOf(id);
      out.eventStart = q;
      out.eventEnd = end;
      out.payloadStart = end + 1 < e ? end + 2 : end + 1;
      return id;
    }
    if (!parseEventName(b, q, e, out)) return -1;
    const found = this.table.idOfBytes(b, out.eventStart, out.eventEnd);
    this.remember(set, found);
    return found;
  }

  /**
   * A remembered name that lies at b[q..) followed by `:` and a space or the line's end. Every remembered
   * name came from parseEventName, so it holds no space and is not empty: the `:` after it is then the
   * first `:` followed by a space or the end, which is where parseEventName would end the name too.
   */
  private recentAt(b: Uint8Array, q: number, e: number, set: number): number {
    const recent = this.recent;
    for (let w = set; w < set + WAYS; w++) {
      const id = recent[w];
      if (id < 0) return -1;
      const end = q + this.table.lengthOf(id);
      if (end >= e || b[end] !== COLON || (end + 1 < e && b[end + 1] !== SP)) continue;
      if (!this.table.matchesAt(id, b, q)) continue;
      if (w !== set) {
        recent[w] = recent[set];
        recent[set] = id;
      }
      return id;
    }
    return -1;
  }

  /** Puts `id` first in its set, the others moving down (the last one dropped). */
  private remember(set: number, id: number): void {
    const recent = this.recent;
    for (let w = set + WAYS - 1; w > set; w--) recent[w] = recent[w - 1];
    recent[set] = id;
  }
}
