/**
 * The option strings of `--time`, `--cpu`, `--comm`, `--pid` and `--tid`, read as `perf script` reads its own
 * options of the same names (perf 6.1: util/time-utils.c, libperf's cpumap.c, util/strlist.c, util/intlist.c),
 * so that the same words select the same events. Pure: nothing here knows the trace; what needs it (percent
 * times, the recording's CPU count) is resolved by `resolveFilter` once the input is open.
 */
import { NetdevTimesError } from '../core/errors.js';

/** One `--time` range in nanoseconds; 0 is perf's "not given" (an open start or end), as in perf. */
export interface TimeRange {
  readonly start: bigint;
  readonly end: bigint;
}

/** A `--time` percent slice: fractions (0..1) of the recording's first..last sample time. */
export interface PercentSlice {
  readonly from: number;
  readonly to: number;
}

export type TimeSpec =
  | { readonly kind: 'absolute'; readonly text: string; readonly ranges: readonly TimeRange[] }
  | { readonly kind: 'percent'; readonly text: string; readonly slices: readonly PercentSlice[] };

/** The filters as given, parsed; every field absent means "no such filter". */
export interface FilterSpec {
  readonly time?: TimeSpec;
  /** Sorted, without duplicates. */
  readonly cpus?: readonly number[];
  readonly comms?: readonly string[];
  readonly pids?: readonly number[];
  readonly tids?: readonly number[];
}

/** The option strings (undefined: not given). */
export interface FilterArgs {
  time?: string;
  cpu?: string;
  comm?: string;
  pid?: string;
  tid?: string;
}

const USAGE = 2;
const usage = (msg: string): NetdevTimesError => new NetdevTimesError(msg, USAGE);

/** null when no filter is given. */
export function parseFilterArgs(a: FilterArgs): FilterSpec | null {
  const spec: FilterSpec = {
    ...(a.time !== undefined && { time: parseTime(a.time) }),
    ...(a.cpu !== undefined && { cpus: parseCpuList(a.cpu) }),
    ...(a.comm !== undefined && { comms: parseCommList(a.comm) }),
    ...(a.pid !== undefined && { pids: parseIntList(a.pid, '--pid') }),
    ...(a.tid !== undefined && { tids: parseIntList(a.tid, '--tid') }),
  };
  return Object.keys(spec).length === 0 ? null : spec;
}

/** The filters in the words that select them again (the manifest's record of a subset). */
export function describeFilter(spec: FilterSpec): Record<string, string> {
  const out: Record<string, string> = {};
  if (spec.time) out.time = spec.time.text;
  if (spec.cpus) out.cpu = spec.cpus.join(',');
  if (spec.comms) out.comm = spec.comms.join(',');
  if (spec.pids) out.pid = spec.pids.join(',');
  if (spec.tids) out.tid = spec.tids.join(',');
  return out;
}

// ---- --time ----------------------------------------------------------------------------------------------

const isSpace = (c: string): boolean => c === ' ' || (c >= '\t' && c <= '\r');
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/**
 * `--time`: `START,END` in seconds (`1520.5,1521.25`, up to 9 decimals; either side may be empty), several
 * such ranges separated by spaces (`1,2 5,6`: in order, not overlapping), or percent slices of the recording
 * (`10%`, `10%/2`, `0%-10%,30%-40%`). Both ends are inclusive; an event at time 0 is never dropped (perf's
 * rules, perf_time__ranges_skip_sample).
 */
export function parseTime(text: string): TimeSpec {
  const bad = (why: string): NetdevTimesError =>
    usage(`--time '${text}': ${why} (use START,END in seconds, e.g. 1520.5,1521, or percents: 10%/2, 0%-10%)`);
  if (text.includes('%')) return { kind: 'percent', text, slices: parsePercent(text, bad) };
  return { kind: 'absolute', text, ranges: parseRanges(text, bad) };
}

/** perf_time__parse_strs: one range per comma; a range ends at the first space after its comma. */
function parseRanges(text: string, bad: (why: string) => NetdevTimesError): TimeRange[] {
  let commas = 0;
  for (const c of text) if (c === ',') commas++;
  if (commas === 0) throw bad('no comma');
  const ranges: TimeRange[] = [];
  let p = 0;
  for (let i = 0; i < commas - 1; i++) {
    const arg = p;
    p = text.indexOf(',', p) + 1;
    while (p < text.length && isSpace(text[p])) p++;
    while (p < text.length && !isSpace(text[p])) {
      if (text[p++] === ',') throw bad('ranges are separated by spaces');
    }
    ranges.push(parseRange(text.slice(arg, p), bad));
    if (p < text.length) p++;
  }
  ranges.push(parseRange(text.slice(p), bad));
  for (let i = 0; i + 1 < ranges.length; i++) {
    if (ranges[i].end >= ranges[i + 1].start) throw bad('ranges must be in order and not overlap');
  }
  return ranges;
}

/** perf_time__parse_str: `START,END`, each side optional. */
function parseRange(s: string, bad: (why: string) => NetdevTimesError): TimeRange {
  const comma = s.indexOf(',');
  const startText = comma < 0 ? s : s.slice(0, comma);
  const endText = comma < 0 ? '' : s.slice(comma + 1);
  const start = startText === '' ? 0n : seconds(startText, bad);
  const end = endText === '' ? 0n : seconds(endText, bad);
  if (end !== 0n && end < start) throw bad('END is before START');
  return { start, end };
}

/**
 * parse_nsec_time: whole seconds (leading white space allowed, as strtoul allows it), then optionally `.`
 * and at most 9 digits. A sign, which strtoul would take and wrap around, is refused.
 */
function seconds(s: string, bad: (why: string) => NetdevTimesError): bigint {
  let p = 0;
  while (p < s.length && isSpace(s[p])) p++;
  const digits = p;
  while (p < s.length && isDigit(s[p])) p++;
  // With no digit strtoul leaves its end at the very start: only a string that starts with '.' passes then.
  if (p === digits && s[0] !== '.') throw bad(`'${s}' is not a time in seconds`);
  const whole = p === digits ? 0n : BigInt(s.slice(digits, p));
  if (p === s.length) return whole * 1_000_000_000n;
  if (s[p] !== '.') throw bad(`'${s}' is not a time in seconds`);
  const frac = s.slice(p + 1);
  if (frac.length > 9) throw bad(`'${s}' has more than 9 decimals`);
  for (const c of frac) if (!isDigit(c)) throw bad(`'${s}' is not a time in seconds`);
  return whole * 1_000_000_000n + BigInt(frac.padEnd(9, '0'));
}

/** perf_time__percent_parse_str: `P%/N` slices, `A%-B%` ranges (comma-separated), or one `P%`. */
function parsePercent(text: string, bad: (why: string) => NetdevTimesError): PercentSlice[] {
  const parts = text.includes('/') || text.includes('-') ? text.split(',') : null;
  if (parts === null) {
    if (!text.endsWith('%') || text.indexOf('%') !== text.length - 1) throw bad("'%' must end the percent");
    return [slashSlice(`${text}/1`, bad)];
  }
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((part) => (text.includes('/') ? slashSlice(part, bad) : dashSlice(part, bad)));
}

function slashSlice(part: string, bad: (why: string) => NetdevTimesError): PercentSlice {
  const slash = part.indexOf('/');
  if (slash < 0) throw bad(`'${part}' is not P%/N`);
  const pcnt = percent(part.slice(0, slash), bad);
  const n = part.slice(slash + 1);
  if (!/^[0-9]+$/.test(n)) throw bad(`'${part}': N must be a whole number`);
  if (pcnt <= 0) throw bad(`'${part}': the percent must be above 0`);
  return checked(pcnt * (Number(n) - 1), pcnt * Number(n), part, bad);
}

function dashSlice(part: string, bad: (why: string) => NetdevTimesError): PercentSlice {
  const dash = part.indexOf('-');
  if (dash < 0) throw bad(`'${part}' is not A%-B%`);
  return checked(percent(part.slice(0, dash), bad), percent(part.slice(dash + 1), bad), part, bad);
}

/** set_percent_time's bounds: both fractions within the recording. */
function checked(from: number, to: number, part: string, bad: (why: string) => NetdevTimesError): PercentSlice {
  if (from < 0 || from > 1 || to < 0 || to > 1) throw bad(`'${part}' is outside 0%..100%`);
  return { from, to };
}

/** parse_percent: a decimal number and '%' (what follows the '%' perf ignores; here it is refused). */
function percent(s: string, bad: (why: string) => NetdevTimesError): number {
  if (!/^[0-9]*\.?[0-9]+%$|^[0-9]+\.%$/.test(s)) throw bad(`'${s}' is not a percent`);
  return Number(s.slice(0, -1)) / 100;
}

/**
 * Percent slices as ranges of a recording whose samples span first..last (its HEADER_SAMPLE_TIME feature):
 * set_percent_time, rounding as C's round() does (half away from zero; every value here is positive).
 */
export function percentRanges(slices: readonly PercentSlice[], first: bigint, last: bigint): TimeRange[] {
  const total = Number(last - first);
  return slices.map(({ from, to }) => {
    const start = first + BigInt(Math.round(from * total));
    let end = first + BigInt(Math.round(to * total));
    if (end > start && end !== last) end -= 1n;
    return { start, end };
  });
}

// ---- --cpu -----------------------------------------------------------------------------------------------

const INT_MAX = 2 ** 31 - 1;

/**
 * strtoul(s + p, &end, 0) as C reads it (white space, a sign, 0x/0 prefixes): the value (a negative one wraps
 * to a huge one, which every caller refuses) and where it stopped.
 */
function strtoul0(s: string, from: number): { value: number; end: number } {
  let p = from;
  while (p < s.length && isSpace(s[p])) p++;
  let negative = false;
  if (s[p] === '+' || s[p] === '-') negative = s[p++] === '-';
  let base = 10;
  if (s[p] === '0' && (s[p + 1] === 'x' || s[p + 1] === 'X') && /[0-9a-fA-F]/.test(s[p + 2] ?? '')) {
    base = 16;
    p += 2;
  } else if (s[p] === '0') base = 8;
  const digits = p;
  let value = 0;
  for (; p < s.length; p++) {
    const d = parseInt(s[p], 16);
    if (Number.isNaN(d) || d >= base) break;
    value = value * base + d;
  }
  if (p === digits) return { value: 0, end: from };
  return { value: negative && value !== 0 ? Number.MAX_SAFE_INTEGER : value, end: p };
}

/**
 * `--cpu`: perf_cpu_map__new's list, `0-2,4`: numbers (C's: `010` is 8, `0x10` is 16), ranges, no duplicate.
 * As there, reading stops at the first entry that does not start with a digit (`0,x` is CPU 0).
 */
export function parseCpuList(text: string): number[] {
  const bad = (why: string): NetdevTimesError => usage(`--cpu '${text}': ${why} (use a list such as 0-2,4)`);
  if (text === '' || !isDigit(text[0])) throw bad('not a CPU list');
  const cpus: number[] = [];
  let p = 0;
  while (p < text.length && isDigit(text[p])) {
    const a = strtoul0(text, p);
    p = a.end;
    if (a.value >= INT_MAX || (p < text.length && text[p] !== ',' && text[p] !== '-')) throw bad('not a CPU list');
    let last = a.value;
    if (text[p] === '-') {
      const b = strtoul0(text, p + 1);
      p = b.end;
      if (b.value >= INT_MAX || (p < text.length && text[p] !== ',')) throw bad('not a CPU list');
      if (b.value < a.value) throw bad('a range ends before it starts');
      last = b.value;
    }
    for (let cpu = a.value; cpu <= last; cpu++) {
      if (cpus.includes(cpu)) throw bad(`CPU ${cpu} is listed twice`);
      cpus.push(cpu);
    }
    if (p < text.length) p++;
  }
  return cpus.sort((x, y) => x - y);
}

// ---- --comm, --pid, --tid ---------------------------------------------------------------------------------

/**
 * `--comm`: comma-separated thread names, compared whole (strlist). perf also reads `file://PATH` entries as a
 * file of names; that is refused here rather than taken for a name.
 */
export function parseCommList(text: string): string[] {
  const names = text.split(',');
  // strlist__parse_list adds an empty name between two commas but not after a trailing one.
  if (names.length > 1 && names[names.length - 1] === '') names.pop();
  const file = names.find((n) => n.startsWith('file://'));
  if (file !== undefined) throw usage(`--comm '${file}': lists of names in a file are not supported; list the names`);
  return [...new Set(names)];
}

/**
 * `--pid` / `--tid`: comma-separated decimal numbers (intlist: strtol, so white space and a sign are taken).
 * As in perf, an empty entry is 0 (`1,` is 1 and 0, the idle task).
 */
export function parseIntList(text: string, option: string): number[] {
  const out = new Set<number>();
  let p = 0;
  for (;;) {
    let q = p;
    while (q < text.length && isSpace(text[q])) q++;
    const signAt = q;
    if (text[q] === '+' || text[q] === '-') q++;
    const digits = q;
    while (q < text.length && isDigit(text[q])) q++;
    const value = q === digits ? 0 : Number(text.slice(signAt, q));
    // strtol leaves its end at the start when it read no digit.
    const end = q === digits ? p : q;
    if (end < text.length && text[end] !== ',')
      throw usage(`${option} '${text}': not a comma-separated list of numbers`);
    if (value < -(2 ** 31) || value > INT_MAX) throw usage(`${option} '${text}': ${value} is out of range`);
    out.add(value);
    if (end >= text.length) break;
    p = end + 1;
  }
  return [...out];
}
