/**
 * Splits one `perf script` event line into its header fields without building strings.
 * Layout: `<comm> <tid | pid/tid> [<cpu>] <secs.frac>: <sys:name>: <payload>`, comm right-aligned and free
 * text (spaces, `:`, `/`), so the line is anchored on `[cpu]` preceded by the thread token, never on columns.
 */
import { isDigit, parseInt32 } from './digits.js';

const SP = 0x20;
const TAB = 0x09;
const LBRACK = 0x5b;
const RBRACK = 0x5d;
const COLON = 0x3a;
const DOT = 0x2e;
const SLASH = 0x2f;

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
    commStart: 0, commEnd: 0, pid: 0, hasPid: false, tid: 0, cpu: 0, secs: 0, frac: 0, fracDigits: 0,
    eventStart: 0, eventEnd: 0, payloadStart: 0, reason: '',
  };
}

/** Parses the thread token that ends at `end` (exclusive): `tid`, `pid/tid` or `-1`. Returns its start or -1. */
function parseThreadToken(b: Uint8Array, lineStart: number, end: number, out: EventLine): number {
  let s = end;
  while (s > lineStart && b[s - 1] !== SP && b[s - 1] !== TAB) s--;
  if (s === end) return -1;
  let slash = -1;
  for (let i = s; i < end; i++) {
    if (b[i] === SLASH) {
      slash = i;
      break;
    }
  }
  if (slash >= 0) {
    const pid = parseInt32(b, s, slash);
    const tid = parseInt32(b, slash + 1, end);
    if (Number.isNaN(pid) || Number.isNaN(tid)) return -1;
    out.pid = pid;
    out.tid = tid;
    out.hasPid = true;
  } else {
    const tid = parseInt32(b, s, end);
    if (Number.isNaN(tid)) return -1;
    out.tid = tid;
    out.hasPid = false;
  }
  return s;
}

/**
 * Fills `out` from the event line b[s, e). Returns false (with out.reason) when it is not an event line.
 * `first` is the line's first non-space byte when the caller knows it (the right-aligned comm's padding
 * need not be scanned twice).
 */
export function parseEventLine(b: Uint8Array, s: number, e: number, out: EventLine, first = s): boolean {
  // Find `[digits]` preceded by ` <thread-token> `: the first one that fits is the cpu.
  let close = -1;
  for (let i = first; i < e; i++) {
    if (b[i] !== LBRACK || i < s + 2 || b[i - 1] !== SP) continue;
    let j = i + 1;
    while (j < e && isDigit(b[j])) j++;
    if (j === i + 1 || j >= e || b[j] !== RBRACK) continue;
    let tokEnd = i - 1;
    while (tokEnd > s && b[tokEnd - 1] === SP) tokEnd--;
    const cpu = parseInt32(b, i + 1, j);
    if (Number.isNaN(cpu)) continue;
    const tokStart = parseThreadToken(b, s, tokEnd, out);
    if (tokStart < 0) continue;
    out.cpu = cpu;
    let commEnd = tokStart;
    while (commEnd > s && (b[commEnd - 1] === SP || b[commEnd - 1] === TAB)) commEnd--;
    let commStart = first < commEnd ? first : commEnd;
    while (commStart < commEnd && b[commStart] === SP) commStart++;
    out.commStart = commStart;
    out.commEnd = commEnd;
    close = j;
    break;
  }
  if (close < 0) {
    out.reason = 'no [cpu] field after a thread id';
    return false;
  }
  // Time: `secs.frac:`
  let p = close + 1;
  while (p < e && b[p] === SP) p++;
  const secStart = p;
  let secs = 0;
  while (p < e && isDigit(b[p])) secs = secs * 10 + (b[p++] - 0x30);
  if (p === secStart || p >= e || b[p] !== DOT || p - secStart > 15) {
    out.reason = 'no timestamp after [cpu]';
    return false;
  }
  p++;
  const fracStart = p;
  let frac = 0;
  while (p < e && isDigit(b[p])) frac = frac * 10 + (b[p++] - 0x30);
  const fracDigits = p - fracStart;
  if (fracDigits === 0 || fracDigits > 9 || p >= e || b[p] !== COLON) {
    out.reason = 'malformed timestamp';
    return false;
  }
  // int64 nanoseconds end at 9223372036.854775807 s; beyond that the time words would wrap silently.
  if (secs > MAX_SECS || (secs === MAX_SECS && frac * POW10[fracDigits] > MAX_SECS_FRAC_NS)) {
    out.reason = 'timestamp beyond the int64 nanosecond range';
    return false;
  }
  out.secs = secs;
  out.frac = frac;
  out.fracDigits = fracDigits;
  p++;
  while (p < e && b[p] === SP) p++;
  // Event name: `sys:name` up to the next `:` followed by a space or the end of the line.
  const evStart = p;
  let evEnd = -1;
  for (let i = p; i < e; i++) {
    const c = b[i];
    if (c === SP) break;
    if (c === COLON && (i + 1 === e || b[i + 1] === SP)) {
      evEnd = i;
      break;
    }
  }
  if (evEnd <= evStart) {
    out.reason = 'no event name after the timestamp';
    return false;
  }
  out.eventStart = evStart;
  out.eventEnd = evEnd;
  p = evEnd + 1;
  if (p < e && b[p] === SP) p++;
  out.payloadStart = p;
  return true;
}
