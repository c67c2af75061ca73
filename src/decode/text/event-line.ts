/**
 * Splits one `perf script` event line into its header fields without building strings.
 * Layout: `<comm> <tid | pid/tid> [<cpu>] <secs.frac>: <sys:name>: <payload>`, comm right-aligned and free
 * text (spaces, `:`, `/`), so the line is anchored on `[cpu]` preceded by the thread token, never on columns.
 */
import { isDigit } from './digits.js';

const SP = 0x20;
const TAB = 0x09;
const LBRACK = 0x5b;
const RBRACK = 0x5d;
const COLON = 0x3a;
const DOT = 0x2e;
const SLASH = 0x2f;
const MINUS = 0x2d;

const MAX_SECS = 9223372036;
const MAX_SECS_FRAC_NS = 854775807;
const POW10 = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 1e1, 1];

/** Fields of one event line; reused for every line (the decoder copies what it keeps). */
export interface EventLine {
  commStart: number;
  commEnd: number;
  pid: number;
  hasPid: boolean;
  tid: number;
  cpu: number;
  secs: number;
  frac: number;
  fracDigits: number;
  eventStart: number;
  eventEnd: number;
  payloadStart: number;
  /** Why the line is not an event, when parse returns false. */
  reason: string;
}

export function newEventLine(): EventLine {
  return {
    commStart: 0,
    commEnd: 0,
    pid: 0,
    hasPid: false,
    tid: 0,
    cpu: 0,
    secs: 0,
    frac: 0,
    fracDigits: 0,
    eventStart: 0,
    eventEnd: 0,
    payloadStart: 0,
    reason: '',
  };
}

/** Parses the thread token that ends at `end` (exclusive): `tid`, `pid/tid` or `-1`. Returns its start or -1. */
function parseThreadToken(b: Uint8Array, lineStart: number, end: number, out: EventLine): number {
  // Read backwards, so the token's bytes are touched once: the tid, then `/` and the pid if there is one.
  const tidStart = int32Start(b, lineStart, end);
  if (tidStart < 0) return -1;
  if (isTokenStart(b, lineStart, tidStart)) {
    out.tid = lastInt32;
    out.hasPid = false;
    return tidStart;
  }
  if (b[tidStart - 1] !== SLASH) return -1;
  const tid = lastInt32;
  const pidStart = int32Start(b, lineStart, tidStart - 1);
  if (pidStart < 0 || !isTokenStart(b, lineStart, pidStart)) return -1;
  out.pid = lastInt32;
  out.tid = tid;
  out.hasPid = true;
  return pidStart;
}

/** The value int32Start read last (a module variable: a second return value without an allocation). */
let lastInt32 = 0;

/**
 * Start of the signed int32 decimal (parseInt32's syntax: `-`?, 1 to 10 digits) that ends at `end`, read
 * backwards no further than `lineStart`; -1 when there is none. Its value is left in lastInt32.
 */
function int32Start(b: Uint8Array, lineStart: number, end: number): number {
  let p = end;
  let v = 0;
  let scale = 1;
  while (p > lineStart) {
    const d = b[p - 1] - 0x30;
    if (d < 0 || d > 9) break;
    v += d * scale;
    scale *= 10;
    p--;
  }
  if (p === end || end - p > 10) return -1;
  if (p > lineStart && b[p - 1] === MINUS) {
    p--;
    v = -v;
  }
  if (v > 2147483647 || v < -2147483648) return -1;
  lastInt32 = v;
  return p;
}

/** A thread token starts at the line's start or after a space or tab. */
const isTokenStart = (b: Uint8Array, lineStart: number, p: number): boolean =>
  p === lineStart || b[p - 1] === SP || b[p - 1] === TAB;

/**
 * Fills `out` from the event line b[s, e). Returns false (with out.reason) when it is not an event line.
 * `first` is the line's first non-space byte when the caller knows it (the right-aligned comm's padding
 * need not be scanned twice).
 */
export function parseEventLine(b: Uint8Array, s: number, e: number, out: EventLine, first = s): boolean {
  const afterDot = parseEventHead(b, s, e, out, first);
  if (afterDot < 0) return false;
  const afterTime = parseFraction(b, null, afterDot, e, out);
  return afterTime >= 0 && parseEventName(b, afterTime, e, out);
}

/** perf's comm column: `%16s ` (every layout but -g's, which prints `%s `). */
const COMM_WIDTH = 16;
/** perf's thread column: `%5d` (perf 6.5 and later: `%7d`, WIDE_THREAD_WIDTH), the first number right-aligned. */
const THREAD_WIDTH = 5;
const WIDE_THREAD_WIDTH = 7;

/**
 * The line's head, up to the `.` of its time: fills comm, thread, cpu and secs, and returns the index after
 * the `.`; -1 with out.reason when the line is not an event line. What it finds depends on the head's bytes
 * alone (given the line goes on past them), so a line with the same head parses to the same fields.
 *
 * The comm is free text (any byte but NUL, up to 15 bytes from the kernel: spaces, tabs, `:`, `[000]`,
 * digits, even a whole `x [000] 1.000: `), so the columns are found from the line's fixed structure:
 *  1. perf's padded layouts print the comm `%16s `: a line that starts with padding and has the thread
 *     column right after its first 16 bytes (`%5d`, `%7d`, `%5d/%-5d` or `%7d/%-7d`, right-aligned as perf
 *     aligns it, then `[cpu]`) has its comm in those 16 bytes, whatever the comm holds. Its trailing spaces and tabs are its own; leading spaces cannot be told from padding.
 *  2. Otherwise (-g's `%s ` comm, a 16-byte comm, text laid out by hand), the first `[digits]` after a thread
 *     token and followed by ` secs.` whose thread column is laid out as perf lays it out (right-aligned in 5
 *     columns after a space): a comm of at most 15 bytes cannot hold such a head (it takes 18), so the comm
 *     never misleads. When no candidate is laid out so, the first candidate (hand-made text).
 * Both layouts can be in one file (perf pads the comm of the events recorded without a callchain only).
 * What cannot be told apart, and is read so: a comm's leading spaces are padding (step 1; in -g's layout too);
 * in -g's layout a comm's trailing spaces are the thread column's padding (`%5d` or `%7d`: perf's version
 * decides), and a comm that starts with a space and has a space as its 16th byte reads as step 1's layout.
 */
export function parseEventHead(b: Uint8Array, s: number, e: number, out: EventLine, first = s): number {
  if (first > s && s + COMM_WIDTH + 2 < e && b[s + COMM_WIDTH] === SP) {
    const afterDot = paddedHead(b, s, e, first, out);
    if (afterDot >= 0) return afterDot;
  }
  const from = first;
  // The first candidate laid out as perf lays it out wins; else the first candidate at all.
  let fallback = -1;
  let sawCpu = false;
  for (let i = from; i < e; i++) {
    if (b[i] !== LBRACK) continue;
    const close = cpuFieldAt(b, s, i, e, out);
    if (close < 0) continue;
    sawCpu = true;
    const tokStart = lastTokStart;
    const afterDot = parseSeconds(b, close + 1, e, out);
    if (afterDot < 0) continue;
    if (perfAligned(b, s, tokStart)) {
      setComm(b, s, from, tokStart, out);
      return afterDot;
    }
    if (fallback < 0) fallback = i;
  }
  if (fallback >= 0) {
    // Parsed again: the fields of the candidates after it are in `out`.
    const close = cpuFieldAt(b, s, fallback, e, out);
    setComm(b, s, from, lastTokStart, out);
    return parseSeconds(b, close + 1, e, out);
  }
  out.reason = sawCpu ? 'no timestamp after [cpu]' : 'no [cpu] field after a thread id';
  return -1;
}

/**
 * Step 1 of parseEventHead: b[s] is padding and b[s + 16] the space after the comm column; the thread
 * token starts after the spaces that follow, then `[cpu]` and the seconds. -1 when the line is not so.
 */
function paddedHead(b: Uint8Array, s: number, e: number, first: number, out: EventLine): number {
  const column = s + COMM_WIDTH + 1;
  let p = column;
  while (p < e && b[p] === SP) p++;
  const tokStart = p;
  // The thread token: `-`?digits, then `/-`?digits for pid/tid; then spaces and `[`.
  if (p < e && b[p] === MINUS) p++;
  const d0 = p;
  while (p < e && isDigit(b[p])) p++;
  if (p === d0) return -1;
  // Its first number right-aligned in the column (`%5d` or `%7d`), as perf prints it: a line laid out
  // otherwise (a comm column of another width) is not taken for this layout.
  const pad = tokStart - column;
  const width = p - tokStart;
  if (
    pad !== (width < THREAD_WIDTH ? THREAD_WIDTH - width : 0) &&
    pad !== (width < WIDE_THREAD_WIDTH ? WIDE_THREAD_WIDTH - width : 0)
  )
    return -1;
  if (p < e && b[p] === SLASH) {
    p++;
    if (p < e && b[p] === MINUS) p++;
    const d1 = p;
    while (p < e && isDigit(b[p])) p++;
    if (p === d1) return -1;
  }
  while (p < e && b[p] === SP) p++;
  if (p >= e || b[p] !== LBRACK) return -1;
  const close = cpuFieldAt(b, s, p, e, out);
  if (close < 0 || lastTokStart <= s + COMM_WIDTH) return -1;
  const afterDot = parseSeconds(b, close + 1, e, out);
  if (afterDot < 0) return -1;
  const commEnd = s + COMM_WIDTH;
  out.commStart = first < commEnd ? first : commEnd;
  out.commEnd = commEnd;
  return afterDot;
}

/**
 * The thread token at tokStart is laid out as perf lays it out: its first number (pid, or the tid) right-
 * aligned in at least THREAD_WIDTH columns, after the space that ends the comm column.
 */
function perfAligned(b: Uint8Array, s: number, tokStart: number): boolean {
  let p = tokStart;
  if (b[p] === MINUS) p++;
  while (isDigit(b[p])) p++;
  const pad = THREAD_WIDTH - (p - tokStart);
  const need = 1 + (pad > 0 ? pad : 0);
  if (tokStart - s < need) return false;
  for (let q = tokStart - need; q < tokStart; q++) if (b[q] !== SP) return false;
  return true;
}

/**
 * The comm of a line whose thread token starts at tokStart: from `from` (the line's first non-space) to the token, less the spaces between (perf's separator and the thread's
 * padding); tabs there only when no space is (text laid out by hand with a tab).
 */
function setComm(b: Uint8Array, s: number, from: number, tokStart: number, out: EventLine): void {
  let commEnd = tokStart;
  while (commEnd > s && b[commEnd - 1] === SP) commEnd--;
  if (commEnd === tokStart) while (commEnd > s && b[commEnd - 1] === TAB) commEnd--;
  out.commStart = from < commEnd ? from : commEnd;
  out.commEnd = commEnd;
}

/** The thread token's start that cpuFieldAt found last (a second return value without an allocation). */
let lastTokStart = 0;

/**
 * When b[open] starts the cpu field (`[digits]` after a space and a thread token), fills cpu and the thread,
 * leaves the token's start in lastTokStart and returns the `]`'s index; -1 when it does not.
 */
function cpuFieldAt(b: Uint8Array, s: number, open: number, e: number, out: EventLine): number {
  if (open < s + 2 || b[open - 1] !== SP) return -1;
  let j = open + 1;
  let cpu = 0;
  while (j < e && isDigit(b[j])) cpu = cpu * 10 + (b[j++] - 0x30);
  if (j === open + 1 || j >= e || b[j] !== RBRACK || j - open > 11 || cpu > 2147483647) return -1;
  let tokEnd = open - 1;
  while (tokEnd > s && b[tokEnd - 1] === SP) tokEnd--;
  const tokStart = parseThreadToken(b, s, tokEnd, out);
  if (tokStart < 0) return -1;
  out.cpu = cpu;
  lastTokStart = tokStart;
  return j;
}

/** Reads ` secs.` from p (after the cpu field); returns the index after the `.`, or -1 with out.reason. */
function parseSeconds(b: Uint8Array, p: number, e: number, out: EventLine): number {
  while (p < e && b[p] === SP) p++;
  const secStart = p;
  let secs = 0;
  while (p < e && isDigit(b[p])) secs = secs * 10 + (b[p++] - 0x30);
  if (p === secStart || p >= e || b[p] !== DOT || p - secStart > 15) {
    out.reason = 'no timestamp after [cpu]';
    return -1;
  }
  out.secs = secs;
  return p + 1;
}

/**
 * Reads the time's fraction and its `:` from p (after the `.`), out.secs being set; returns the index after
 * the `:`, or -1 with out.reason. `bv`, a view of b when the caller has one (making one per line would cost
 * more than it saves), lets the first digits be read four at a time.
 */
export function parseFraction(b: Uint8Array, bv: DataView | null, p: number, e: number, out: EventLine): number {
  const fracStart = p;
  let frac = 0;
  // The first eight digits four at a time where they are digits (the loop below takes what is left, one by
  // one, exactly as it would have taken them all).
  if (bv !== null && p + 8 <= e) {
    const hi = bv.getInt32(p);
    if (areFourDigits(hi)) {
      frac = fourDigits(hi);
      p += 4;
      const lo = bv.getInt32(p);
      if (areFourDigits(lo)) {
        frac = frac * 10000 + fourDigits(lo);
        p += 4;
      }
    }
  }
  while (p < e && isDigit(b[p])) frac = frac * 10 + (b[p++] - 0x30);
  const fracDigits = p - fracStart;
  if (fracDigits === 0 || fracDigits > 9 || p >= e || b[p] !== COLON) {
    out.reason = 'malformed timestamp';
    return -1;
  }
  // int64 nanoseconds end at 9223372036.854775807 s; beyond that the time words would wrap silently.
  const secs = out.secs;
  if (secs >= MAX_SECS && (secs > MAX_SECS || frac * POW10[fracDigits] > MAX_SECS_FRAC_NS)) {
    out.reason = 'timestamp beyond the int64 nanosecond range';
    return -1;
  }
  out.frac = frac;
  out.fracDigits = fracDigits;
  return p + 1;
}

/**
 * Event name: `sys:name` up to the first `:` followed by a space or the line's end, with no space before it.
 * Any `:` before the first space is followed by a non-space, so that `:` can only be the first space's
 * left neighbour: one search for a space decides.
 */
export function parseEventName(b: Uint8Array, p: number, e: number, out: EventLine): boolean {
  while (p < e && b[p] === SP) p++;
  const evStart = p;
  let q = p;
  while (q < e && b[q] !== SP) q++;
  const evEnd = q - 1;
  if (evEnd <= evStart || b[evEnd] !== COLON) {
    out.reason = 'no event name after the timestamp';
    return false;
  }
  out.eventStart = evStart;
  out.eventEnd = evEnd;
  p = q;
  if (p < e && b[p] === SP) p++;
  out.payloadStart = p;
  return true;
}

/** The four bytes of w (read big-endian) are ASCII digits: high nibbles all 3, and none past 9 (adding 6 keeps them 3). */
const areFourDigits = (w: number): boolean =>
  (w & 0xf0f0f0f0) === 0x30303030 && ((w + 0x06060606) & 0xf0f0f0f0) === 0x30303030;

/** The value of four ASCII digits read big-endian into w: digit pairs first, then the two pairs. */
function fourDigits(w: number): number {
  const v = w - 0x30303030;
  const pairs = ((v >>> 8) & 0x00ff00ff) * 10 + (v & 0x00ff00ff);
  return (pairs >>> 16) * 100 + (pairs & 0xffff);
}
