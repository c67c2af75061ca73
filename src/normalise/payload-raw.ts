/**
 * Reads the 13 netdev tracepoints' raw samples (perf.data) straight into the typed columns, writing exactly
 * what the text parsers (payload.ts, payload-fast.ts) write for the text perf prints from the same sample.
 * Printing a payload and parsing it back was most of the cost of reading perf.data.
 *
 * Only print formats known field by field are read this way (FORMATS below, from formats.md); a sample is
 * taken raw only where its values print as text that parses back to them (`accepts`: an unsigned value past
 * int32, a space inside a device name, a field past the sample's end go the text way, printed). Values perf
 * prints through a table or a symbol lookup (`location=%pS`, `reason: %s`, `ret=%s`, `[action=%s]`) are
 * printed by the format's own conversion, once per distinct raw value; `accepts` prints them, at decode
 * time, when the symbols are those the text would have been printed with.
 */
import type { DictColumn } from '../core/columns.js';
import type { RawPayloadReader } from '../decode/raw-batch.js';
import { ByteBuffer } from '../tracefs/byte-writer.js';
import type { ConversionInfo, EventFormat } from '../tracefs/event-format.js';
import type { Field } from '../tracefs/fields.js';
import type { EventBatch, FieldTables } from './event-batch.js';
import { EventKind } from './kinds.js';

/** What a conversion's value becomes: the column it fills, and how the text parser reads its text. */
const enum Role {
  Dev,
  Skb,
  Len,
  Rc,
  Irq,
  IrqName,
  Ret,
  Vec,
  VecName,
  Napi,
  Work,
  Budget,
  Proto,
  Location,
  Reason,
  RxSk,
}

const ADDR3 = [Role.Dev, Role.Skb, Role.Len];

/** The print formats read raw, per kind: each conversion's role, in order. */
const FORMATS = new Map<EventKind, ReadonlyMap<string, readonly Role[]>>([
  [EventKind.NetDevQueue, new Map([['dev=%s skbaddr=%p len=%u', ADDR3]])],
  [EventKind.NetifReceiveSkb, new Map([['dev=%s skbaddr=%p len=%u', ADDR3]])],
  [EventKind.NetifRx, new Map([['dev=%s skbaddr=%p len=%u', ADDR3]])],
  [EventKind.NetDevXmit, new Map([['dev=%s skbaddr=%p len=%u rc=%d', [Role.Dev, Role.Skb, Role.Len, Role.Rc]]])],
  [EventKind.SkbCopyDatagramIovec, new Map([['skbaddr=%p len=%d', [Role.Skb, Role.Len]]])],
  [
    EventKind.KfreeSkb,
    new Map([
      ['skbaddr=%p protocol=%u location=%p', [Role.Skb, Role.Proto, Role.Location]],
      ['skbaddr=%p protocol=%u location=%p reason: %s', [Role.Skb, Role.Proto, Role.Location, Role.Reason]],
      ['skbaddr=%p protocol=%u location=%pS reason: %s', [Role.Skb, Role.Proto, Role.Location, Role.Reason]],
      [
        'skbaddr=%p rx_sk=%p protocol=%u location=%pS reason: %s',
        [Role.Skb, Role.RxSk, Role.Proto, Role.Location, Role.Reason],
      ],
    ]),
  ],
  [
    EventKind.ConsumeSkb,
    new Map([
      ['skbaddr=%p', [Role.Skb]],
      ['skbaddr=%p location=%pS', [Role.Skb, Role.Location]],
    ]),
  ],
  [
    EventKind.NapiPoll,
    new Map([
      ['napi poll on napi struct %p for device %s', [Role.Napi, Role.Dev]],
      ['napi poll on napi struct %p for device %s work %d budget %d', [Role.Napi, Role.Dev, Role.Work, Role.Budget]],
    ]),
  ],
  [EventKind.IrqHandlerEntry, new Map([['irq=%d name=%s', [Role.Irq, Role.IrqName]]])],
  [EventKind.IrqHandlerExit, new Map([['irq=%d ret=%s', [Role.Irq, Role.Ret]]])],
  [EventKind.SoftirqEntry, new Map([['vec=%u [action=%s]', [Role.Vec, Role.VecName]]])],
  [EventKind.SoftirqExit, new Map([['vec=%u [action=%s]', [Role.Vec, Role.VecName]]])],
  [EventKind.SoftirqRaise, new Map([['vec=%u [action=%s]', [Role.Vec, Role.VecName]]])],
]);

/** How a role's value is taken from the sample. */
const enum Read {
  /** `%p` of a 4- or 8-byte field. */
  Pointer,
  /** `%d`/`%u` of a field of at most 4 bytes. */
  Int,
  /** `%s` of a `__data_loc char[]` (or `__rel_loc`) field. */
  String,
  /** Whatever the conversion prints, printed by it once per value of the one field it reads. */
  Printed,
}

function readOf(role: Role): Read {
  switch (role) {
    case Role.Skb:
    case Role.RxSk:
    case Role.Napi:
      return Read.Pointer;
    case Role.Dev:
    case Role.IrqName:
      return Read.String;
    case Role.Location:
    case Role.Reason:
    case Role.Ret:
    case Role.VecName:
      return Read.Printed;
    default:
      return Read.Int;
  }
}

/** The text parser takes these with its unsigned flag: a printed `-` fails them. */
function unsignedRole(role: Role, kind: EventKind): boolean {
  return role === Role.Proto || role === Role.Vec || (role === Role.Len && kind !== EventKind.SkbCopyDatagramIovec);
}

interface Slot {
  readonly role: Role;
  readonly read: Read;
  readonly field: Field;
  readonly conv: ConversionInfo;
  /** Int: `%u` prints the value unsigned; `%d` casts it to int. */
  readonly unsignedConv: boolean;
  readonly unsignedParse: boolean;
}

/** Printed values of one slot: raw value -> index of its text; texts interned lazily, in row order. */
class PrintedValues {
  /** Keys of values up to 32 bits, and of 64-bit values by their low word when their high word matches. */
  private readonly byLow = new Map<number, number>();
  private readonly highOf: number[] = [];
  private readonly byBig = new Map<bigint, number>();
  private readonly texts: Uint8Array[] = [];
  private readonly ids: number[] = [];
  private readonly scratch = new ByteBuffer(64);

  constructor(
    private readonly slot: Slot,
    private readonly table: DictColumn['table'],
  ) {}

  /** Index of the text of this sample's value, printing it on first sight; -1 when the parser would not take it. */
  indexOf(raw: Uint8Array, s: number, e: number, lo: number, hi: number): number {
    let ix = this.byLow.get(lo);
    if (ix !== undefined && this.highOf[ix] === hi) return ix;
    const big = (BigInt(hi) << 32n) | BigInt(lo);
    const known = this.byBig.get(big);
    if (known !== undefined) return known;
    ix = this.print(raw, s, e);
    this.byBig.set(big, ix);
    if (!this.byLow.has(lo)) this.byLow.set(lo, ix);
    this.highOf[ix] = hi;
    return ix;
  }

  private print(raw: Uint8Array, s: number, e: number): number {
    const out = this.scratch;
    out.reset();
    this.slot.conv.render(raw, s, e, out);
    const text = valueText(this.slot.role, out.bytes());
    this.texts.push(text ?? new Uint8Array(0));
    this.ids.push(text === null ? -2 : -1);
    return this.texts.length - 1;
  }

  taken(ix: number): boolean {
    return this.ids[ix] !== -2;
  }

  /** The dictionary id of text ix, interned the first time a row needs it. */
  id(ix: number): number {
    let id = this.ids[ix];
    if (id < 0) {
      const t = this.texts[ix];
      id = this.table.idOfBytes(t, 0, t.length);
      this.ids[ix] = id;
    }
    return id;
  }
}

/**
 * The value the text parser takes from what the conversion printed, or null when it would not take it
 * whole (a space would end its token early).
 */
function valueText(role: Role, printed: Uint8Array): Uint8Array | null {
  if (role === Role.Reason) {
    // `reason: %s` runs to the end of the line, trailing spaces dropped.
    let n = printed.length;
    while (n > 0 && printed[n - 1] === 0x20) n--;
    return printed.slice(0, n);
  }
  if (printed.includes(0x20)) return null;
  return printed.slice();
}

export class RawReader implements RawPayloadReader {
  private readonly slots: Slot[];
  private readonly printed: (PrintedValues | null)[];
  private readonly le: boolean;
  /** Every fixed field read lies before this offset: a shorter sample is printed instead. */
  private readonly minSize: number;

  constructor(
    readonly kind: EventKind,
    slots: Slot[],
    le: boolean,
    tables: FieldTables,
  ) {
    this.slots = slots;
    this.le = le;
    let min = 0;
    for (const sl of slots) min = Math.max(min, sl.field.offset + sl.field.size);
    this.minSize = min;
    this.printed = slots.map((sl) =>
      sl.read === Read.Printed ? new PrintedValues(sl, printedTable(sl.role, tables)) : null,
    );
  }

  accepts(raw: Uint8Array, s: number, e: number): boolean {
    if (e - s < this.minSize || e > raw.length) return false;
    const le = this.le;
    const slots = this.slots;
    for (let k = 0; k < slots.length; k++) {
      const sl = slots[k];
      const f = sl.field;
      switch (sl.read) {
        case Read.Int: {
          const v = intValue(raw, s + f.offset, f.size, le, sl.unsignedConv);
          if (v > 0x7fffffff || (sl.unsignedParse && v < 0)) return false;
          break;
        }
        case Read.String: {
          const at = stringAt(raw, s, e, f, le);
          const end = stringEnd(raw, s, e, f, le);
          if (sl.role === Role.Dev) {
            for (let p = at; p < end; p++) if (raw[p] === 0x20) return false;
            // The napi line's device must be there for the parser to take the line.
            if (end === at && this.kind === EventKind.NapiPoll) return false;
          }
          break;
        }
        case Read.Printed: {
          const pv = this.printed[k];
          if (pv === null) return false;
          const ix = pv.indexOf(
            raw,
            s,
            e,
            u32(raw, s + f.offset, le, f.size),
            f.size === 8 ? high(raw, s + f.offset, le) : 0,
          );
          if (!pv.taken(ix)) return false;
          break;
        }
        case Read.Pointer:
          break;
      }
    }
    return true;
  }

  /** Row i of batch from the accepted sample b[s, e). */
  parse(batch: EventBatch, i: number, b: Uint8Array, s: number, e: number): void {
    const le = this.le;
    const slots = this.slots;
    for (let k = 0; k < slots.length; k++) {
      const sl = slots[k];
      const at = s + sl.field.offset;
      switch (sl.role) {
        case Role.Skb:
          putPointer(batch.skbaddr.words, batch.skbaddr.valid, i, b, at, sl.field.size, le);
          break;
        case Role.RxSk:
          putPointer(batch.rxSk.words, batch.rxSk.valid, i, b, at, sl.field.size, le);
          break;
        case Role.Napi:
          putPointer(batch.napi.words, batch.napi.valid, i, b, at, sl.field.size, le);
          break;
        case Role.Dev:
        case Role.IrqName: {
          const col = sl.role === Role.Dev ? batch.dev : batch.irqName;
          col.ids[i] = col.table.idOfBytes(b, stringAt(b, s, e, sl.field, le), stringEnd(b, s, e, sl.field, le));
          break;
        }
        case Role.Location:
        case Role.Reason:
        case Role.Ret:
        case Role.VecName: {
          const pv = this.printed[k];
          if (pv === null) break;
          const col =
            sl.role === Role.Location
              ? batch.location
              : sl.role === Role.Reason
                ? batch.reason
                : sl.role === Role.Ret
                  ? batch.ret
                  : batch.vecName;
          const f = sl.field;
          col.ids[i] = pv.id(pv.indexOf(b, s, e, u32(b, at, le, f.size), f.size === 8 ? high(b, at, le) : 0));
          break;
        }
        default: {
          const col = intColumnOf(batch, sl.role);
          col.values[i] = intValue(b, at, sl.field.size, le, sl.unsignedConv);
          col.valid[i] = 1;
        }
      }
    }
    batch.parsed[i] = 1;
  }
}

function printedTable(role: Role, t: FieldTables): DictColumn['table'] {
  return role === Role.Location ? t.location : role === Role.Reason ? t.reason : role === Role.Ret ? t.ret : t.vecName;
}

function intColumnOf(batch: EventBatch, role: Role): EventBatch['len'] {
  switch (role) {
    case Role.Len:
      return batch.len;
    case Role.Rc:
      return batch.rc;
    case Role.Irq:
      return batch.irq;
    case Role.Vec:
      return batch.vec;
    case Role.Work:
      return batch.work;
    case Role.Budget:
      return batch.budget;
    default:
      return batch.protocol;
  }
}

/** The low 32 bits (or all of a smaller field) at p, zero-extended. */
function u32(b: Uint8Array, p: number, le: boolean, size: number): number {
  switch (size) {
    case 1:
      return b[p];
    case 2:
      return le ? b[p] | (b[p + 1] << 8) : (b[p] << 8) | b[p + 1];
    default:
      // An 8-byte big-endian value's low word is its second.
      if (!le && size === 8) p += 4;
      return le
        ? (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0
        : ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  }
}

/** The high word of an 8-byte value at p. */
function high(b: Uint8Array, p: number, le: boolean): number {
  return le ? u32(b, p + 4, true, 4) : u32(b, p, false, 4);
}

/** An integer field as `%u` (zero-extended) or `%d` (a 4-byte value cast to int) prints it. */
function intValue(b: Uint8Array, p: number, size: number, le: boolean, unsignedConv: boolean): number {
  const v = u32(b, p, le, size);
  return !unsignedConv && size === 4 ? v | 0 : v;
}

function putPointer(
  words: Uint32Array,
  valid: Uint8Array,
  i: number,
  b: Uint8Array,
  p: number,
  size: number,
  le: boolean,
): void {
  words[2 * i] = u32(b, p, le, size);
  words[2 * i + 1] = size === 8 ? high(b, p, le) : 0;
  valid[i] = 1;
}

/** Start of a __data_loc / __rel_loc string, clamped to the sample, as the printing op finds it. */
function stringAt(b: Uint8Array, s: number, e: number, f: Field, le: boolean): number {
  const at = s + f.offset;
  if (f.size !== 4 || at + 4 > e) return s;
  let start = s + (u32(b, at, le, 4) & 0xffff);
  if (f.isRelative) start += f.offset + f.size;
  return Math.min(start, e);
}

/** End of that string: its length clamped to the sample, cut at its first NUL. */
function stringEnd(b: Uint8Array, s: number, e: number, f: Field, le: boolean): number {
  const from = stringAt(b, s, e, f, le);
  const at = s + f.offset;
  if (f.size !== 4 || at + 4 > e) return from;
  const to = Math.min(from + (u32(b, at, le, 4) >>> 16), e);
  for (let p = from; p < to; p++) if (b[p] === 0) return p;
  return to;
}

/**
 * A reader of `format`'s raw samples as tracepoint `kind`, or null when its print format is not one read
 * field by field here (its samples are then printed and parsed as text).
 */
export function rawReaderFor(kind: EventKind, format: EventFormat, tables: FieldTables): RawReader | null {
  const roles = format.printFormat === null ? undefined : FORMATS.get(kind)?.get(format.printFormat);
  if (roles === undefined || roles.length !== format.conversions.length) return null;
  const slots: Slot[] = [];
  for (let k = 0; k < roles.length; k++) {
    const slot = slotOf(roles[k], kind, format.conversions[k]);
    if (slot === null) return null;
    slots.push(slot);
  }
  return new RawReader(kind, slots, format.littleEndian, tables);
}

function slotOf(role: Role, kind: EventKind, conv: ConversionInfo): Slot | null {
  const read = readOf(role);
  const f = read === Read.Printed ? conv.keyField : conv.field;
  if (f === null || f.isArray !== (read === Read.String)) return null;
  const ok =
    read === Read.Pointer
      ? conv.text === '%p' && (f.size === 8 || f.size === 4)
      : read === Read.Int
        ? (conv.text === '%u' || conv.text === '%d') && f.size <= 4 && f.size > 0
        : read === Read.String
          ? conv.text === '%s' && (f.isDynamic || f.isRelative) && f.isString
          : !f.isDynamic && (f.size === 8 || f.size <= 4);
  if (!ok) return null;
  return { role, read, field: f, conv, unsignedConv: conv.text === '%u', unsignedParse: unsignedRole(role, kind) };
}
