/**
 * `--time`: the part of a trace the timeline shows, in perf's words (src/filter parses them as `perf script
 * --time` does): `START,END` in seconds since boot, several ranges separated by spaces, or percent slices.
 * Unlike the filters, which drop events before correlation, the window is applied to the table rows: a
 * packet whose life crosses an edge keeps what falls inside, and a slice that crosses an edge is kept whole.
 */
import { parseTime, percentRanges, type TimeRange, type TimeSpec } from '../filter/parse.js';

/** The parsed option; null shows everything. */
export type TimeWindow = TimeSpec | null;

export const WHOLE_TRACE: TimeWindow = null;

export const parseTimeWindow = (text: string): TimeWindow => parseTime(text);

/**
 * The window's ranges in ns (0 is an open end, as in perf). Percent slices are of first..last, the span of the
 * rows drawn: a perf script text has no record of the recording's own span.
 */
export function windowRanges(w: TimeWindow, first: bigint, last: bigint): readonly TimeRange[] | null {
  if (w === null) return null;
  return w.kind === 'absolute' ? w.ranges : percentRanges(w.slices, first, last);
}

/** Whether [from, to] shares an instant with one of the ranges (both ends inclusive). */
export function overlaps(ranges: readonly TimeRange[] | null, from: bigint, to: bigint): boolean {
  if (ranges === null) return true;
  return ranges.some((r) => (r.start === 0n || to >= r.start) && (r.end === 0n || from <= r.end));
}
