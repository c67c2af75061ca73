/** The filter options read as perf script reads them (perf 6.1's results noted beside each case). */
import { describe, expect, it } from 'vitest';
import { NetdevTimesError } from '../../src/core/errors.js';
import {
  describeFilter,
  parseCommList,
  parseCpuList,
  parseFilterArgs,
  parseIntList,
  parseTime,
  percentRanges,
} from '../../src/filter/parse.js';

/** The exit code and message of what `f` throws. */
function usage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(NetdevTimesError);
    if (e instanceof NetdevTimesError) {
      expect(e.exitCode).toBe(2);
      expect(e.message).not.toContain('\n');
      return e.message;
    }
  }
  throw new Error('no error thrown');
}

const ranges = (text: string): [bigint, bigint][] => {
  const t = parseTime(text);
  if (t.kind !== 'absolute') throw new Error('not absolute');
  return t.ranges.map((r) => [r.start, r.end]);
};

describe('--time', () => {
  it('reads START,END in seconds to the nanosecond, either side optional', () => {
    expect(ranges('1520.5,1521.7')).toEqual([[1_520_500_000_000n, 1_521_700_000_000n]]);
    expect(ranges('1521,')).toEqual([[1_521_000_000_000n, 0n]]);
    expect(ranges(',1521.2')).toEqual([[0n, 1_521_200_000_000n]]);
    expect(ranges('1520.843762144,1520.843984972')).toEqual([[1_520_843_762_144n, 1_520_843_984_972n]]);
    expect(ranges('.5,1.')).toEqual([[500_000_000n, 1_000_000_000n]]);
    expect(ranges(',')).toEqual([[0n, 0n]]);
    // strtoul skips white space: `1, 2` is 1 to 2.
    expect(ranges('1, 2')).toEqual([[1_000_000_000n, 2_000_000_000n]]);
  });

  it('reads several ranges separated by spaces, in order and apart', () => {
    expect(ranges('1520.5,1521 1522,1523')).toEqual([
      [1_520_500_000_000n, 1_521_000_000_000n],
      [1_522_000_000_000n, 1_523_000_000_000n],
    ]);
    expect(usage(() => parseTime('1,3 2,4'))).toContain('overlap');
    expect(usage(() => parseTime('1,2,3'))).toContain('spaces');
  });

  it('refuses what perf calls an invalid time string', () => {
    expect(usage(() => parseTime('1520.5'))).toContain('no comma');
    expect(usage(() => parseTime('1521,1520'))).toContain('before START');
    expect(usage(() => parseTime('1520.1234567891,'))).toContain('9 decimals');
    expect(usage(() => parseTime('abc,'))).toContain('not a time');
    expect(usage(() => parseTime('1.2.3,'))).toContain('not a time');
    expect(usage(() => parseTime('-1,'))).toContain('not a time');
  });

  it('reads percent slices and ranges, resolved against the first and last sample', () => {
    const t = parseTime('10%/2');
    expect(t.kind).toBe('percent');
    if (t.kind !== 'percent') return;
    // set_percent_time: start + round(p * total), the end one less unless it is the last sample.
    expect(percentRanges(t.slices, 1000n, 2000n)).toEqual([{ start: 1100n, end: 1199n }]);
    const both = parseTime('0%-10%,90%-100%');
    if (both.kind !== 'percent') throw new Error('not percent');
    expect(percentRanges(both.slices, 1000n, 2000n)).toEqual([
      { start: 1000n, end: 1099n },
      { start: 1900n, end: 2000n },
    ]);
    const one = parseTime('50%');
    if (one.kind !== 'percent') throw new Error('not percent');
    expect(percentRanges(one.slices, 1000n, 2000n)).toEqual([{ start: 1000n, end: 1499n }]);
    expect(usage(() => parseTime('10%/0'))).toContain('outside');
    expect(usage(() => parseTime('60%/2'))).toContain('outside');
    expect(usage(() => parseTime('0%/1'))).toContain('above 0');
    expect(usage(() => parseTime('50%x'))).toContain('%');
  });
});

describe('--cpu', () => {
  it('reads lists and ranges as perf_cpu_map__new does', () => {
    expect(parseCpuList('0-2,4')).toEqual([0, 1, 2, 4]);
    expect(parseCpuList('4,1')).toEqual([1, 4]);
    // C's strtoul with base 0: octal and hex.
    expect(parseCpuList('010')).toEqual([8]);
    expect(parseCpuList('0x1')).toEqual([1]);
    // Reading stops at an entry that does not start with a digit.
    expect(parseCpuList('0,x')).toEqual([0]);
  });

  it('refuses what perf calls an invalid cpu_list', () => {
    expect(usage(() => parseCpuList('1-0'))).toContain('before it starts');
    expect(usage(() => parseCpuList('0,0'))).toContain('twice');
    expect(usage(() => parseCpuList('x'))).toContain('not a CPU list');
    expect(usage(() => parseCpuList(''))).toContain('not a CPU list');
    expect(usage(() => parseCpuList('1 2'))).toContain('not a CPU list');
  });
});

describe('--comm, --pid, --tid', () => {
  it('splits names on commas only, whole names with spaces', () => {
    expect(parseCommList('npm pack is-num,swapper')).toEqual(['npm pack is-num', 'swapper']);
    expect(parseCommList('a,')).toEqual(['a']);
    expect(usage(() => parseCommList('file:///tmp/names'))).toContain('file');
  });

  it('reads numbers as strtol does, an empty entry being 0 as in perf', () => {
    expect(parseIntList('14988,0', '--pid')).toEqual([14988, 0]);
    expect(parseIntList('-1', '--tid')).toEqual([-1]);
    expect(parseIntList('1,', '--pid')).toEqual([1, 0]);
    expect(parseIntList(' 7', '--pid')).toEqual([7]);
    expect(usage(() => parseIntList('1-3', '--pid'))).toContain('--pid');
    expect(usage(() => parseIntList('x', '--tid'))).toContain('--tid');
    expect(usage(() => parseIntList('99999999999', '--tid'))).toContain('out of range');
  });
});

describe('parseFilterArgs', () => {
  it('is null without a filter, and describes one in the words that select it again', () => {
    expect(parseFilterArgs({})).toBeNull();
    const spec = parseFilterArgs({ time: '1,2', cpu: '1,0', comm: 'a,b', pid: '3', tid: '4,5' });
    expect(spec).not.toBeNull();
    if (spec === null) return;
    expect(describeFilter(spec)).toEqual({ time: '1,2', cpu: '0,1', comm: 'a,b', pid: '3', tid: '4,5' });
  });
});
