/**
 * The fields of a PERF_RECORD_SAMPLE (and of the sample_id trailer of other records) this reader uses, read
 * into one reused object: where they are, never copies.
 */
import { bitCount, readWords, groupReadWords, type EventAttr } from './attr.js';
import { perfDataError } from './fail.js';
import {
  BRANCH_COUNTERS,
  BRANCH_HW_INDEX,
  S_ADDR,
  S_AUX,
  S_BRANCH_STACK,
  S_CALLCHAIN,
  S_CGROUP,
  S_CODE_PAGE_SIZE,
  S_CPU,
  S_DATA_PAGE_SIZE,
  S_DATA_SRC,
  S_ID,
  S_IDENTIFIER,
  S_IP,
  S_PERIOD,
  S_PHYS_ADDR,
  S_RAW,
  S_READ,
  S_REGS_INTR,
  S_REGS_USER,
  S_STACK_USER,
  S_STREAM_ID,
  S_TID,
  S_TIME,
  S_TRANSACTION,
  S_WEIGHT,
  S_WEIGHT_STRUCT,
} from './constants.js';

export interface SampleFields {
  pid: number;
  tid: number;
  /** The time's 32-bit halves (u64 nanoseconds). */
  timeHi: number;
  timeLo: number;
  cpu: number;
  /** Offset of the sample's ip word (-1 when absent). */
  ipAt: number;
  /** Callchain: offset of the first address word and their number. */
  chainAt: number;
  chainNr: number;
  /** Raw tracepoint data: [rawStart, rawEnd). */
  rawStart: number;
  rawEnd: number;
}

export function newSampleFields(): SampleFields {
  return { pid: -1, tid: -1, timeHi: 0, timeLo: 0, cpu: -1, ipAt: -1, chainAt: 0, chainNr: 0, rawStart: 0, rawEnd: 0 };
}

/** The u64 at p as [hi, lo] halves: lo is the first word little-endian, the second big-endian. */
const hiAt = (v: DataView, p: number, le: boolean): number => v.getUint32(le ? p + 4 : p, le);
const loAt = (v: DataView, p: number, le: boolean): number => v.getUint32(le ? p : p + 4, le);

/** The TID and TIME words at p, as far as sample type t has them; returns the offset after them. */
function readTidTime(v: DataView, p: number, t: number, le: boolean, out: SampleFields): number {
  if (t & S_TID) {
    out.pid = v.getInt32(p, le);
    out.tid = v.getInt32(p + 4, le);
    p += 8;
  }
  if (t & S_TIME) {
    out.timeHi = hiAt(v, p, le);
    out.timeLo = loAt(v, p, le);
    p += 8;
  }
  return p;
}

/** A u64 count that must be small (callchain nr, branch nr): its value, or -1 when its high half is set. */
function smallCount(v: DataView, p: number, le: boolean): number {
  return hiAt(v, p, le) !== 0 ? -1 : loAt(v, p, le);
}

/**
 * Reads the sample record b[s, e) (s at its header) of `attr` into out. Throws when its fields run past its
 * end: perf stops there too ("Can't parse sample").
 */
export function parseSample(v: DataView, s: number, e: number, attr: EventAttr, le: boolean, out: SampleFields): void {
  const t = attr.sampleType;
  let p = s + 8;
  out.pid = -1;
  out.tid = -1;
  out.timeHi = 0;
  out.timeLo = 0;
  out.cpu = -1;
  out.ipAt = -1;
  out.chainAt = 0;
  out.chainNr = 0;
  out.rawStart = 0;
  out.rawEnd = 0;
  // Fixed words up to READ: checked once for the lot.
  const fixed = bitCount(t & (S_IDENTIFIER | S_IP | S_TID | S_TIME | S_ADDR | S_ID | S_STREAM_ID | S_CPU | S_PERIOD));
  if (p + fixed * 8 > e) throw short(s);
  if (t & S_IDENTIFIER) p += 8;
  if (t & S_IP) {
    out.ipAt = p;
    p += 8;
  }
  p = readTidTime(v, p, t, le, out);
  if (t & S_ADDR) p += 8;
  if (t & S_ID) p += 8;
  if (t & S_STREAM_ID) p += 8;
  if (t & S_CPU) {
    out.cpu = v.getUint32(p, le);
    p += 8;
  }
  if (t & S_PERIOD) p += 8;
  if (t & S_READ) {
    const words = readWords(attr.readFormat);
    if (words >= 0) p += words * 8;
    else {
      if (p + 8 > e) throw short(s);
      const nr = smallCount(v, p, le);
      const g = groupReadWords(attr.readFormat);
      if (nr < 0 || nr > (e - p) / 8) throw short(s);
      p += (g.head + nr * g.entry) * 8;
    }
  }
  if (t & S_CALLCHAIN) {
    if (p + 8 > e) throw short(s);
    const nr = smallCount(v, p, le);
    if (nr < 0 || nr > (e - p - 8) / 8) throw short(s);
    out.chainAt = p + 8;
    out.chainNr = nr;
    p += 8 + nr * 8;
  }
  if (t & S_RAW) {
    if (p + 4 > e) throw short(s);
    const size = v.getUint32(p, le);
    if (size > e - p - 4) throw short(s);
    out.rawStart = p + 4;
    out.rawEnd = p + 4 + size;
    // The u32 size and its data are padded together to a u64 boundary.
    p += (4 + size + 7) & ~7;
  }
  if (t & ~(S_BRANCH_STACK - 1) & ~S_IDENTIFIER & ~S_RAW) p = tail(v, s, p, e, attr, le);
  if (p > e) throw short(s);
}

/** The fields after RAW, which this reader only steps over (their lengths are all it checks). */
function tail(v: DataView, s: number, p: number, e: number, attr: EventAttr, le: boolean): number {
  const t = attr.sampleType;
  if (t & S_BRANCH_STACK) {
    if (p + 8 > e) throw short(s);
    const nr = smallCount(v, p, le);
    if (nr < 0 || nr > (e - p) / 24) throw short(s);
    p += 8;
    if (attr.branchSampleType & BRANCH_HW_INDEX) p += 8;
    p += nr * 24;
    if (attr.branchSampleType & BRANCH_COUNTERS) p += nr * 8;
  }
  if (t & S_REGS_USER) p = regs(v, s, p, e, attr.regsUserCount, le);
  if (t & S_STACK_USER) {
    if (p + 8 > e) throw short(s);
    const size = smallCount(v, p, le);
    if (size < 0 || size > e - p - 8) throw short(s);
    p += 8;
    // The dump and its dyn_size follow only when the size is not 0.
    if (size !== 0) p += size + 8;
  }
  if (t & (S_WEIGHT | S_WEIGHT_STRUCT)) p += 8;
  if (t & S_DATA_SRC) p += 8;
  if (t & S_TRANSACTION) p += 8;
  if (t & S_REGS_INTR) p = regs(v, s, p, e, attr.regsIntrCount, le);
  if (t & S_PHYS_ADDR) p += 8;
  if (t & S_CGROUP) p += 8;
  if (t & S_DATA_PAGE_SIZE) p += 8;
  if (t & S_CODE_PAGE_SIZE) p += 8;
  if (t & S_AUX) {
    if (p + 8 > e) throw short(s);
    const size = smallCount(v, p, le);
    if (size < 0 || size > e - p - 8) throw short(s);
    p += 8 + size;
  }
  return p;
}

/** A regs block: the abi word, then the registers when the abi is not PERF_SAMPLE_REGS_ABI_NONE. */
function regs(v: DataView, s: number, p: number, e: number, count: number, le: boolean): number {
  if (p + 8 > e) throw short(s);
  const none = hiAt(v, p, le) === 0 && loAt(v, p, le) === 0;
  return p + 8 + (none ? 0 : count * 8);
}

const short = (s: number): Error => perfDataError(s, 'sample record shorter than its fields');

/**
 * Reads the sample_id trailer of the non-sample record b[s, e) into out (pid, tid, time, cpu). Returns false
 * when the record is too short to hold one.
 */
export function parseSampleId(
  v: DataView,
  e: number,
  s: number,
  attr: EventAttr,
  idSize: number,
  le: boolean,
  out: SampleFields,
): boolean {
  out.pid = -1;
  out.tid = -1;
  out.timeHi = 0;
  out.timeLo = 0;
  out.cpu = -1;
  let p = e - idSize;
  if (p < s + 8) return false;
  const t = attr.sampleType;
  p = readTidTime(v, p, t, le, out);
  if (t & S_ID) p += 8;
  if (t & S_STREAM_ID) p += 8;
  if (t & S_CPU) out.cpu = v.getUint32(p, le);
  return true;
}

/** The u64 id at word `pos` of a sample (counted from its body's start), or from a record's end; null if out of it. */
export function idFromStart(v: DataView, s: number, e: number, pos: number, le: boolean): number {
  const p = s + 8 + pos * 8;
  return p + 8 > e ? -1 : idKey(v, p, le);
}

export function idFromEnd(v: DataView, s: number, e: number, pos: number, le: boolean): number {
  const p = e - pos * 8;
  return p < s + 8 ? -1 : idKey(v, p, le);
}

/** A u64 id as a number key: exact below 2^53 (ids are small counters), distinct enough above. */
function idKey(v: DataView, p: number, le: boolean): number {
  return hiAt(v, p, le) * 4294967296 + loAt(v, p, le);
}

export const u64Halves = { hiAt, loAt };
