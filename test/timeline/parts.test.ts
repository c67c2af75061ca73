/** The timeline's parts on their own: exact times, streamed text, track placement, the size warning. */
import { describe, expect, it } from 'vitest';
import { sizeWarning, BROWSER_EVENT_LIMIT } from '../../src/timeline/limits.js';
import { Depth, type Mark } from '../../src/timeline/marks.js';
import { microseconds, writeTraceJson, type TraceEvent } from '../../src/timeline/trace-event.js';
import { LANE_STRIDE, placeMarks } from '../../src/timeline/tracks.js';
import { overlaps, parseTimeWindow, windowRanges } from '../../src/timeline/window.js';
import { eventsOf, formatProblems } from './trace-format.js';

describe('microseconds', () => {
  it('prints ns / 1000 exactly, without trailing zeros', () => {
    expect(microseconds(1234567n)).toBe('1234.567');
    expect(microseconds(5000n)).toBe('5');
    expect(microseconds(1500n)).toBe('1.5');
    expect(microseconds(1n)).toBe('0.001');
    expect(microseconds(0n)).toBe('0');
    expect(microseconds(-1500n)).toBe('-1.5');
    // Past 2^53 ns (104 days of uptime) a double would round: the text does not.
    expect(microseconds(9007199254740993n)).toBe('9007199254740.993');
  });
});

describe('writeTraceJson', () => {
  const slice = (k: number): TraceEvent => ({
    ph: 'X',
    name: `s${k}`,
    tid: 0,
    ts: BigInt(k) * 1000n,
    dur: 0n,
    args: { k, text: 'quote " and \\ and \n' },
  });

  it('hands the text over in pieces, none near the size of the whole, that join into valid JSON', async () => {
    const pieces: string[] = [];
    const n = await writeTraceJson(
      (function* () {
        for (let k = 0; k < 20000; k++) yield slice(k);
      })(),
      (t) => void pieces.push(t),
      { source: 'x' },
    );
    expect(n).toBe(20000);
    const whole = pieces.join('');
    expect(pieces.length).toBeGreaterThan(10);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(whole.length / 10);
    const parsed: unknown = JSON.parse(whole);
    expect(eventsOf(parsed)[19999].args?.text).toBe('quote " and \\ and \n');
  });

  it('waits for the sink before writing more', async () => {
    let pending = 0;
    let maxPending = 0;
    await writeTraceJson(
      Array.from({ length: 5000 }, (_, k) => slice(k)),
      async () => {
        pending++;
        maxPending = Math.max(maxPending, pending);
        await new Promise((r) => setTimeout(r, 1));
        pending--;
      },
      {},
    );
    expect(maxPending).toBe(1);
  });
});

describe('placeMarks', () => {
  const mark = (cpu: number, ts: number, dur: number, depth: Depth, name = `m${ts}`): Mark => ({
    ph: 'X',
    name,
    cpu,
    ts: BigInt(ts),
    dur: BigInt(dur),
    depth,
    args: {},
  });

  it('keeps nesting and back-to-back slices on the CPU track, and moves a crossing slice to an extra one', () => {
    const softirq = mark(2, 100, 50, Depth.Softirq);
    const poll1 = mark(2, 100, 20, Depth.Poll);
    const poll2 = mark(2, 120, 20, Depth.Poll); // begins where poll1 ends
    const atEnd = mark(2, 140, 0, Depth.Point); // a point at poll2's end: inside it
    const crossing = mark(2, 145, 30, Depth.Irq); // begins inside the softirq, ends after it
    const other = mark(5, 0, 1000, Depth.Softirq);
    const { tidOf, tracks } = placeMarks([crossing, atEnd, poll2, poll1, softirq, other]);
    expect([softirq, poll1, poll2, atEnd, other].map((m) => tidOf.get(m))).toEqual([2, 2, 2, 2, 5]);
    expect(tidOf.get(crossing)).toBe(2 + LANE_STRIDE);
    expect(tracks.map((t) => t.tid)).toEqual([2, 2 + LANE_STRIDE, 5]);
  });

  it('gives slices a format-valid placement whatever their order', () => {
    const marks: Mark[] = [];
    for (let k = 0; k < 200; k++) marks.push(mark(k % 3, (k * 7919) % 1000, (k * 104729) % 300, Depth.Irq, `x${k}`));
    const { tidOf } = placeMarks(marks);
    const events = marks.map((m) => ({
      ph: 'X',
      pid: 1,
      tid: tidOf.get(m) ?? -1,
      name: m.name,
      cat: 'net',
      ts: Number(m.ts),
      dur: Number(m.dur),
    }));
    const names = [...new Set(events.map((e) => e.tid))].map((tid) => ({
      ph: 'M',
      pid: 1,
      tid,
      name: 'thread_name',
      args: { name: `t${tid}` },
    }));
    expect(formatProblems(eventsOf({ traceEvents: [...names, ...events] }))).toEqual([]);
  });
});

describe('time window', () => {
  it('keeps what overlaps any range, both ends inclusive, with open ends', () => {
    const r = windowRanges(parseTimeWindow('1.5,2 3,'), 0n, 0n);
    expect(overlaps(r, 1_000_000_000n, 1_500_000_000n)).toBe(true);
    expect(overlaps(r, 2_000_000_001n, 2_999_999_999n)).toBe(false);
    expect(overlaps(r, 9_000_000_000n, 9_000_000_000n)).toBe(true);
    expect(overlaps(windowRanges(null, 0n, 0n), 5n, 5n)).toBe(true);
  });

  it('reads percents as parts of the span it is given', () => {
    expect(windowRanges(parseTimeWindow('0%-50%'), 1000n, 2000n)).toEqual([{ start: 1000n, end: 1499n }]);
  });
});

describe('sizeWarning', () => {
  it('says nothing up to the limit and names --time past it', () => {
    expect(sizeWarning(BROWSER_EVENT_LIMIT)).toBeNull();
    expect(sizeWarning(BROWSER_EVENT_LIMIT + 1)).toMatch(/more than a browser viewer loads.*--time/);
  });
});
