/**
 * Event names looked up where they lie. perf right-aligns the name in a field as wide as the longest one, so
 * on every line the `: ` after the name sits as far from the time's `:` as on the last one. The bytes there
 * (padding, name, `: `) are compared whole with those of a name seen before, picked by the bytes just before
 * that `: `: one compare finds the name's end and its id, instead of a scan past the padding, a scan for the
 * end, a hash and a compare. Lines laid out otherwise go the long way.
 */
import { equalBytes, viewOf } from '../../core/bytes.js';
import { parseEventName, type EventLine } from './event-line.js';
import type { StringTable } from '../../core/strings.js';

const SP = 0x20;
const COLON = 0x3a;
const SLOTS = 64;
/** Longer fields are not kept. */
const MAX_FIELD = 64;

export class EventNames {
  /** Per slot, the field's bytes from the time's `:` on: padding, name, `: `. */
  private readonly fields = new Uint8Array(SLOTS * MAX_FIELD);
  private readonly fieldsView = viewOf(this.fields);
  /** Per slot: the field's length (0: empty), where the name starts in it, the name's id. */
  private readonly fieldLen = new Int32Array(SLOTS);
  private readonly nameAt = new Int32Array(SLOTS);
  private readonly ids = new Int32Array(SLOTS);
  /** Length of the last field kept: where the next line's `: ` is looked for. */
  private width = 0;

  constructor(private readonly table: StringTable) {}

  /**
   * From p (just after the time's `:`; bv a view of b): the event name's id in the table, with
   * out.eventStart, eventEnd and payloadStart set as parseEventName sets them; -1 with out.reason when there
   * is no event name.
   */
  idAt(b: Uint8Array, bv: DataView, p: number, e: number, out: EventLine): number {
    const id = this.keptAt(b, bv, p, e, out);
    return id >= 0 ? id : this.parse(b, bv, p, e, out);
  }

  /**
   * The id of a kept field that b[p..) holds, or -1. A kept field is spaces, then a name with no space that
   * does not start with one, then `: `: parseEventName finds that same name in those bytes, and a payload
   * after the space.
   */
  private keptAt(b: Uint8Array, bv: DataView, p: number, e: number, out: EventLine): number {
    const w = this.width;
    const colon = p + w - 2;
    if (w === 0 || p + w > e || b[colon] !== COLON || b[colon + 1] !== SP) return -1;
    const slot = slotOf(bv, colon);
    if (this.fieldLen[slot] !== w || !equalBytes(this.fields, this.fieldsView, slot * MAX_FIELD, b, bv, p, w))
      return -1;
    out.eventStart = p + this.nameAt[slot];
    out.eventEnd = colon;
    out.payloadStart = colon + 2;
    return this.ids[slot];
  }

  /** The long way: parseEventName, the table; then the field is kept when it ends in `: `. */
  private parse(b: Uint8Array, bv: DataView, p: number, e: number, out: EventLine): number {
    if (!parseEventName(b, p, e, out)) return -1;
    const id = this.table.idOfBytes(b, out.eventStart, out.eventEnd);
    const colon = out.eventEnd;
    const len = colon + 2 - p;
    if (out.payloadStart === colon + 2 && len <= MAX_FIELD && colon >= 8)
      this.keep(b, bv, p, len, out.eventStart - p, id);
    return id;
  }

  private keep(b: Uint8Array, bv: DataView, p: number, len: number, nameAt: number, id: number): void {
    const slot = slotOf(bv, p + len - 2);
    const fields = this.fields;
    const at = slot * MAX_FIELD;
    for (let i = 0; i < len; i++) fields[at + i] = b[p + i];
    this.fieldLen[slot] = len;
    this.nameAt[slot] = nameAt;
    this.ids[slot] = id;
    this.width = len;
  }
}

/**
 * The slot for a field by the 8 bytes before its `: ` (names of one width differ most at their end). A line
 * has at least 9 bytes before the time's `:` and a field at least 3, so colon - 8 is never before the array.
 */
function slotOf(bv: DataView, colon: number): number {
  const h = Math.imul(bv.getInt32(colon - 8) ^ Math.imul(bv.getInt32(colon - 4), 0x9e3779b1), 0x85ebca6b);
  return (h >>> 26) & (SLOTS - 1);
}
