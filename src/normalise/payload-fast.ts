/**
 * Fast paths for the formats that make up nearly every trace, in the exact field order and single spacing
 * perf prints: `dev= skbaddr= len=[ rc=]`, `skbaddr= len=`, `skbaddr=[ location=]`, `vec= [action=]` and
 * `napi poll on napi struct %p for device %s[ work %d budget %d]`. They check the shape and write exactly
 * what the generic parser (payload.ts) would; anything else (another order, extra or unknown fields, a value
 * that does not parse, an empty napi device) returns false and goes to the generic parser, which decides.
 * A value written before a later check fails is one the generic parser writes too (same token, same value).
 *
 * Why it looks like this: every payload byte costs, so each payload is read once, left to right. Literal
 * keys are compared four bytes at a time through a DataView; a 64-bit pointer's 16 digits are read as four
 * words and become its two 32-bit words through eight table lookups; the batch's arrays are loaded once per
 * batch, not per row; a device or action name is first compared with the few seen last (RecentIds), and a
 * string is interned only once the whole line has parsed. Rare paths live in functions of their own, so the
 * hot ones stay small for V8 to optimise early (the CLI reads a trace once: warm-up counts).
 */
import { parseInt32 } from '../decode/text/digits.js';
import { StringTable } from '../core/strings.js';
import type { EventBatch } from './event-batch.js';
import { EventKind } from './kinds.js';
import { RecentIds } from './recent-ids.js';

const SPACE = 0x20,
  MINUS = 0x2d,
  EQ = 0x3d,
  CLOSE = 0x5d;

/** The four bytes of `s` as DataView.getUint32(p, true) reads them from text. */
function word(s: string): number {
  return (s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24)) >>> 0;
}

const DEV_ = word('dev='),
  SKBA = word('skba'),
  DDR_ = word('ddr='),
  LEN_ = word('len='),
  _RC_ = word(' rc='),
  VEC_ = word('vec='),
  BACT = word('[act'),
  ION_ = word('ion='),
  LOCA = word('loca'),
  TION = word('tion'),
  NAPI = word('napi'),
  _POL = word(' pol'),
  L_ON = word('l on'),
  _NAP = word(' nap'),
  I_ST = word('i st'),
  RUCT = word('ruct'),
  _FOR = word(' for'),
  _DEV = word(' dev'),
  ICE_ = word('ice '),
  _WOR = word(' wor'),
  _BUD = word(' bud'),
  GET_ = word('get '),
  NIL_ = word('(nil');
const NAPI_PREFIX = 25; // `napi poll on napi struct `

/** HEX[c]: the value of hex digit c, -1 for any other byte. */
const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[0x30 + c] = c;
for (let c = 0; c < 6; c++) HEX[0x61 + c] = HEX[0x41 + c] = 10 + c;

/**
 * HEX2[u]: the value of the two hex digits that getUint16(p, true) reads as u (the first digit is the low
 * byte), -1 when either is not a hex digit. Two digits per lookup: a 64-bit pointer is eight.
 */
const HEX2 = new Int16Array(65536).fill(-1);
for (let x = 0; x < 256; x++) {
  if (HEX[x] < 0) continue;
  for (let y = 0; y < 256; y++) if (HEX[y] >= 0) HEX2[x | (y << 8)] = (HEX[x] << 4) | HEX[y];
}

/** Index of the next space in b[p, e), or e. */
function spaceAt(b: Uint8Array, p: number, e: number): number {
  while (p < e && b[p] !== SPACE) p++;
  return p;
}

/** An unsigned `%u`-style value as the generic parser takes it (no sign); NaN when it is not one. */
function unsignedAt(b: Uint8Array, s: number, e: number): number {
  return s < e && b[s] === MINUS ? NaN : parseInt32(b, s, e);
}

const EMPTY: Uint8Array = new Uint8Array(8);
/** What the fast paths point at before the first bind (never written: parse is only called after bind). */
const UNBOUND = new StringTable();

/** The fast paths, with the arrays of the batch being normalised (see bind). */
export class FastPaths {
  private b: Uint8Array = EMPTY;
  private view: DataView = new DataView(EMPTY.buffer);
  private devIds: Int32Array = new Int32Array(0);
  private dev = new RecentIds(UNBOUND);
  private skbWords: Uint32Array = new Uint32Array(0);
  private skbValid = EMPTY;
  private lenValues: Int32Array = new Int32Array(0);
  private lenValid = EMPTY;
  private rcValues: Int32Array = new Int32Array(0);
  private rcValid = EMPTY;
  private vecValues: Int32Array = new Int32Array(0);
  private vecValid = EMPTY;
  private vecNameIds: Int32Array = new Int32Array(0);
  private vecName = new RecentIds(UNBOUND);
  private locationIds: Int32Array = new Int32Array(0);
  private location = new RecentIds(UNBOUND);
  private napiWords: Uint32Array = new Uint32Array(0);
  private napiValid = EMPTY;
  private workValues: Int32Array = new Int32Array(0);
  private workValid = EMPTY;
  private budgetValues: Int32Array = new Int32Array(0);
  private budgetValid = EMPTY;

  /** Points the fast paths at `batch` (a new DataView each time: each batch, a recycled one too, has its own arena). */
  bind(batch: EventBatch): void {
    const a = batch.raw.arena;
    this.b = a;
    this.view = new DataView(a.buffer, a.byteOffset, a.byteLength);
    this.devIds = batch.dev.ids;
    if (this.dev.table !== batch.dev.table) this.dev = new RecentIds(batch.dev.table);
    this.skbWords = batch.skbaddr.words;
    this.skbValid = batch.skbaddr.valid;
    this.lenValues = batch.len.values;
    this.lenValid = batch.len.valid;
    this.rcValues = batch.rc.values;
    this.rcValid = batch.rc.valid;
    this.vecValues = batch.vec.values;
    this.vecValid = batch.vec.valid;
    this.vecNameIds = batch.vecName.ids;
    if (this.vecName.table !== batch.vecName.table) this.vecName = new RecentIds(batch.vecName.table);
    this.locationIds = batch.location.ids;
    if (this.location.table !== batch.location.table) this.location = new RecentIds(batch.location.table);
    this.napiWords = batch.napi.words;
    this.napiValid = batch.napi.valid;
    this.workValues = batch.work.values;
    this.workValid = batch.work.valid;
    this.budgetValues = batch.budget.values;
    this.budgetValid = batch.budget.valid;
  }

  /** Parses row i (payload b[s, e)) of the bound batch as `kind`; false when the generic parser must decide. */
  parse(kind: EventKind, s: number, e: number, i: number): boolean {
    switch (kind) {
      case EventKind.NetDevQueue:
      case EventKind.NetifReceiveSkb:
      case EventKind.NetifRx:
        return this.netdev(s, e, i, false);
      case EventKind.NetDevXmit:
        return this.netdev(s, e, i, true);
      case EventKind.SkbCopyDatagramIovec:
        return this.copyDatagram(s, e, i);
      case EventKind.ConsumeSkb:
        return this.consume(s, e, i);
      case EventKind.SoftirqEntry:
      case EventKind.SoftirqExit:
      case EventKind.SoftirqRaise:
        return this.softirq(s, e, i);
      case EventKind.NapiPoll:
        return this.napi(s, e, i);
      default:
        return false;
    }
  }

  /** `dev=%s skbaddr=%p len=%u` and net_dev_xmit's ` rc=%d` after it. */
  private netdev(s: number, e: number, i: number, xmit: boolean): boolean {
    const b = this.b;
    const v = this.view;
    if (e - s < 4 || v.getUint32(s, true) !== DEV_) return false;
    const ds = s + 4;
    const de = spaceAt(b, ds, e);
    if (e - de < 9 || v.getUint32(de + 1, true) !== SKBA || v.getUint32(de + 5, true) !== DDR_) return false;
    const pe = this.pointer(de + 9, e, this.skbWords, this.skbValid, i);
    if (pe < 0 || e - pe < 5 || v.getUint32(pe + 1, true) !== LEN_) return false;
    const ls = pe + 5;
    let len: number;
    if (xmit) {
      const le = spaceAt(b, ls, e);
      if (e - le < 4 || v.getUint32(le, true) !== _RC_) return false;
      const rc = parseInt32(b, le + 4, e);
      len = unsignedAt(b, ls, le);
      if (Number.isNaN(rc) || Number.isNaN(len)) return false;
      this.rcValues[i] = rc;
      this.rcValid[i] = 1;
    } else {
      // A space in the value makes it NaN: the extra text is the generic parser's to judge.
      len = unsignedAt(b, ls, e);
      if (Number.isNaN(len)) return false;
    }
    this.lenValues[i] = len;
    this.lenValid[i] = 1;
    this.devIds[i] = this.devId(ds, de);
    return true;
  }

  /** `skbaddr=%p len=%d` (a signed len: the generic parser takes it so for this event). */
  private copyDatagram(s: number, e: number, i: number): boolean {
    const v = this.view;
    if (e - s < 8 || v.getUint32(s, true) !== SKBA || v.getUint32(s + 4, true) !== DDR_) return false;
    const pe = this.pointer(s + 8, e, this.skbWords, this.skbValid, i);
    if (pe < 0 || e - pe < 5 || v.getUint32(pe + 1, true) !== LEN_) return false;
    const len = parseInt32(this.b, pe + 5, e);
    if (Number.isNaN(len)) return false;
    this.lenValues[i] = len;
    this.lenValid[i] = 1;
    return true;
  }

  /** `skbaddr=%p[ location=%s]`. */
  private consume(s: number, e: number, i: number): boolean {
    const b = this.b;
    const v = this.view;
    if (e - s < 8 || v.getUint32(s, true) !== SKBA || v.getUint32(s + 4, true) !== DDR_) return false;
    const pe = this.pointer(s + 8, e, this.skbWords, this.skbValid, i);
    if (pe === e) return true;
    if (
      pe < 0 ||
      e - pe < 10 ||
      v.getUint32(pe + 1, true) !== LOCA ||
      v.getUint32(pe + 5, true) !== TION ||
      b[pe + 9] !== EQ
    )
      return false;
    const ls = pe + 10;
    let id = this.location.hit(b, ls, e, e - ls);
    if (id < 0) {
      if (spaceAt(b, ls, e) !== e) return false;
      id = this.location.intern(b, ls, e, e - ls, ls, e);
    }
    this.locationIds[i] = id;
    return true;
  }

  /** `vec=%u [action=%s]`. */
  private softirq(s: number, e: number, i: number): boolean {
    const b = this.b;
    const v = this.view;
    if (e - s < 4 || v.getUint32(s, true) !== VEC_) return false;
    const ve = spaceAt(b, s + 4, e);
    if (e - ve < 9 || v.getUint32(ve + 1, true) !== BACT || v.getUint32(ve + 5, true) !== ION_) return false;
    const vec = unsignedAt(b, s + 4, ve);
    if (Number.isNaN(vec)) return false;
    // The action as printed, `]` included, is remembered under its vector number: a hit is the whole check.
    const as = ve + 9;
    let id = this.vecName.hit(b, as, e, vec);
    if (id < 0) {
      if (spaceAt(b, as, e) !== e) return false;
      id = this.vecName.intern(b, as, e, vec, as, b[e - 1] === CLOSE ? e - 1 : e);
    }
    this.vecValues[i] = vec;
    this.vecValid[i] = 1;
    this.vecNameIds[i] = id;
    return true;
  }

  /** `napi poll on napi struct %p for device %s[ work %d budget %d]` with a device name. */
  private napi(s: number, e: number, i: number): boolean {
    const b = this.b;
    const v = this.view;
    if (
      e - s < NAPI_PREFIX ||
      v.getUint32(s, true) !== NAPI ||
      v.getUint32(s + 4, true) !== _POL ||
      v.getUint32(s + 8, true) !== L_ON ||
      v.getUint32(s + 12, true) !== _NAP ||
      v.getUint32(s + 16, true) !== I_ST ||
      v.getUint32(s + 20, true) !== RUCT ||
      b[s + 24] !== SPACE
    )
      return false;
    const pe = this.pointer(s + NAPI_PREFIX, e, this.napiWords, this.napiValid, i);
    if (
      pe < 0 ||
      e - pe < 12 ||
      v.getUint32(pe, true) !== _FOR ||
      v.getUint32(pe + 4, true) !== _DEV ||
      v.getUint32(pe + 8, true) !== ICE_
    )
      return false;
    const ds = pe + 12;
    const de = spaceAt(b, ds, e);
    if (de === ds) return false;
    if (de < e) {
      if (e - de < 6 || v.getUint32(de, true) !== _WOR || b[de + 4] !== 0x6b || b[de + 5] !== SPACE) return false;
      const ws = de + 6;
      const we = spaceAt(b, ws, e);
      if (e - we < 8 || v.getUint32(we, true) !== _BUD || v.getUint32(we + 4, true) !== GET_) return false;
      const work = parseInt32(b, ws, we);
      const budget = parseInt32(b, we + 8, e);
      if (Number.isNaN(work) || Number.isNaN(budget)) return false;
      this.workValues[i] = work;
      this.workValid[i] = 1;
      this.budgetValues[i] = budget;
      this.budgetValid[i] = 1;
    }
    this.devIds[i] = this.devId(ds, de);
    return true;
  }

  /**
   * The `%p` token at b[s, ...) (`0x` and 1 to 16 hex digits, or `(nil)`) into words/valid at row i, as the
   * generic parser's putPointer does. Returns where the token ends (e or a space), -1 when it is not a pointer.
   */
  private pointer(s: number, e: number, words: Uint32Array, valid: Uint8Array, i: number): number {
    const b = this.b;
    if (e - s < 3) return -1;
    if (b[s] !== 0x30 || (b[s + 1] | 0x20) !== 0x78) return this.nil(s, e, words, valid, i);
    const d = s + 2;
    if (e - d === 16 || (e - d > 16 && b[d + 16] === SPACE)) return this.pointer16(d, words, valid, i);
    return this.pointerShort(d, e, words, valid, i);
  }

  /** The 16 digits at b[d, d + 16) of a 64-bit kernel's pointer: four words, eight lookups, no loop. */
  private pointer16(d: number, words: Uint32Array, valid: Uint8Array, i: number): number {
    const v = this.view;
    const w0 = v.getUint32(d, true),
      w1 = v.getUint32(d + 4, true),
      w2 = v.getUint32(d + 8, true),
      w3 = v.getUint32(d + 12, true);
    const h0 = HEX2[w0 & 0xffff],
      h1 = HEX2[w0 >>> 16],
      h2 = HEX2[w1 & 0xffff],
      h3 = HEX2[w1 >>> 16];
    const l0 = HEX2[w2 & 0xffff],
      l1 = HEX2[w2 >>> 16],
      l2 = HEX2[w3 & 0xffff],
      l3 = HEX2[w3 >>> 16];
    if ((h0 | h1 | h2 | h3 | l0 | l1 | l2 | l3) < 0) return -1;
    words[2 * i] = (l0 << 24) | (l1 << 16) | (l2 << 8) | l3;
    words[2 * i + 1] = (h0 << 24) | (h1 << 16) | (h2 << 8) | h3;
    valid[i] = 1;
    return d + 16;
  }

  /** Any other digit count from b[d, ...) (32-bit kernels print 8; more than 16 is not a pointer). Kept apart: rare. */
  private pointerShort(d: number, e: number, words: Uint32Array, valid: Uint8Array, i: number): number {
    const b = this.b;
    let hi = 0;
    let lo = 0;
    let p = d;
    for (; p < e; p++) {
      const x = HEX[b[p]];
      if (x < 0) break;
      hi = (hi << 4) | (lo >>> 28);
      lo = (lo << 4) | x;
    }
    if (p === d || p - d > 16 || (p < e && b[p] !== SPACE)) return -1;
    words[2 * i] = lo;
    words[2 * i + 1] = hi;
    valid[i] = 1;
    return p;
  }

  /** NULL, which glibc's `%p` prints as `(nil)`. */
  private nil(s: number, e: number, words: Uint32Array, valid: Uint8Array, i: number): number {
    const p = s + 5;
    if (e < p || this.view.getUint32(s, true) !== NIL_ || this.b[s + 4] !== 0x29 || (p < e && this.b[p] !== SPACE))
      return -1;
    words[2 * i] = 0;
    words[2 * i + 1] = 0;
    valid[i] = 1;
    return p;
  }

  /** The id of the device name b[s, e) (a token: it has no space). */
  private devId(s: number, e: number): number {
    const id = this.dev.hit(this.b, s, e, e - s);
    return id >= 0 ? id : this.dev.intern(this.b, s, e, e - s, s, e);
  }
}
