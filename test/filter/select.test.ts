/** Selecting the events of a RawBatch in place, with perf script's rules for each filter. */
import { describe, expect, it } from 'vitest';
import { NetdevTimesError } from '../../src/core/errors.js';
import { StringTable } from '../../src/core/strings.js';
import { newRawBatch, type RawBatch } from '../../src/decode/raw-batch.js';
import { parseFilterArgs, type FilterArgs } from '../../src/filter/parse.js';
import { EventSelector, type RecordingFacts } from '../../src/filter/select.js';

interface Ev {
  t: bigint;
  cpu?: number;
  comm?: string;
  pid?: number | null;
  tid?: number;
}

const NO_FACTS: RecordingFacts = { sampleTime: null, cpus: null };

function batch(events: Ev[]): RawBatch {
  const comms = new StringTable();
  const b = newRawBatch(events.length + 4, comms, new StringTable(), new Uint8Array(0));
  events.forEach((e, i) => {
    b.line[i] = i + 1;
    b.timeNs[i] = e.t;
    b.cpu[i] = e.cpu ?? 0;
    b.pid[i] = e.pid ?? 0;
    b.pidValid[i] = e.pid === null ? 0 : 1;
    b.tid[i] = e.tid ?? 0;
    b.comm[i] = comms.idOf(e.comm ?? 'swapper');
  });
  b.length = events.length;
  return b;
}

function selector(args: FilterArgs, facts: RecordingFacts = NO_FACTS): EventSelector {
  const spec = parseFilterArgs(args);
  if (spec === null) throw new Error('no filter');
  return new EventSelector(spec, facts);
}

/** The 1-based input lines of the events left. */
const lines = (b: RawBatch): number[] => Array.from(b.line.subarray(0, b.length));

describe('EventSelector', () => {
  it('keeps both ends of a time range, and an event at time 0 always', () => {
    const b = batch([{ t: 0n }, { t: 99n }, { t: 100n }, { t: 150n }, { t: 200n }, { t: 201n }]);
    const s = selector({ time: '0.0000001,0.0000002' });
    expect(s.select(b)).toBe(2);
    expect(lines(b)).toEqual([1, 3, 4, 5]);
    expect(s.dropped).toBe(2);
  });

  it('treats an empty START or END as open, and several ranges as a union', () => {
    const times = [1n, 5n, 10n, 15n, 20n].map((n) => ({ t: n * 1_000_000_000n }));
    const from = batch(times);
    selector({ time: '10,' }).select(from);
    expect(lines(from)).toEqual([3, 4, 5]);
    const two = batch(times);
    selector({ time: ',1 15,16' }).select(two);
    expect(lines(two)).toEqual([1, 4]);
  });

  it('resolves percents against the recording, and refuses them without its sample times', () => {
    const b = batch([{ t: 1000n }, { t: 1099n }, { t: 1100n }, { t: 1199n }, { t: 1200n }, { t: 2000n }]);
    selector({ time: '10%/2' }, { sampleTime: { first: 1000n, last: 2000n }, cpus: null }).select(b);
    expect(lines(b)).toEqual([3, 4]);
    expect(() => selector({ time: '10%/2' })).toThrow(/perf\.data/);
  });

  it('keeps the listed CPUs, and an event with no CPU (-1) as perf does', () => {
    const b = batch([
      { t: 1n, cpu: 0 },
      { t: 2n, cpu: 1 },
      { t: 3n, cpu: 2 },
      { t: 4n, cpu: -1 },
      { t: 5n, cpu: 4 },
    ]);
    selector({ cpu: '0,2-3' }).select(b);
    expect(lines(b)).toEqual([1, 3, 4]);
  });

  it('refuses a CPU the recording cannot have, as perf does', () => {
    expect(() => selector({ cpu: '2' }, { sampleTime: null, cpus: 2 })).toThrow(/CPU 2 is not in the recording/);
    expect(() => selector({ cpu: '1' }, { sampleTime: null, cpus: 2 })).not.toThrow();
  });

  it('compares whole thread names', () => {
    const b = batch([
      { t: 1n, comm: 'npm pack is-num' },
      { t: 2n, comm: 'npm' },
      { t: 3n, comm: 'swapper' },
      { t: 4n, comm: 'npm pack is-num' },
    ]);
    selector({ comm: 'npm pack is-num,swapper' }).select(b);
    expect(lines(b)).toEqual([1, 3, 4]);
  });

  it('selects by process and thread id, all filters at once', () => {
    const b = batch([
      { t: 1n, pid: 10, tid: 10 },
      { t: 2n, pid: 10, tid: 11 },
      { t: 3n, pid: 20, tid: 20 },
      { t: 4n, pid: 10, tid: 11, cpu: 1 },
    ]);
    selector({ pid: '10', tid: '11', cpu: '0' }).select(b);
    expect(lines(b)).toEqual([2]);
  });

  it('refuses --pid on a layout that prints no process id, rather than select nothing', () => {
    const b = batch([{ t: 1n, pid: null, tid: 5 }]);
    let error: unknown = null;
    try {
      selector({ pid: '5' }).select(b);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NetdevTimesError);
    if (error instanceof NetdevTimesError) {
      expect(error.exitCode).toBe(2);
      expect(error.message).toMatch(/^--pid: .*process ids/);
    }
    // --tid works on the same layout.
    selector({ tid: '5' }).select(b);
    expect(lines(b)).toEqual([1]);
  });

  it('moves every per-event column of the batch with its event', () => {
    const n = 6;
    const b = batch(Array.from({ length: n }, (_, i) => ({ t: BigInt(i + 1), tid: i % 2 })));
    // Every per-event typed array gets a value telling its row, so a column the selector forgets shows.
    const columns = Object.entries(b).filter(
      (kv): kv is [string, Int32Array | Uint8Array] =>
        (kv[1] instanceof Int32Array || kv[1] instanceof Uint8Array) && kv[1].length === b.line.length,
    );
    expect(columns.map(([k]) => k)).toEqual(expect.arrayContaining(['line', 'cpu', 'comm', 'frameStart', 'pidValid']));
    for (const [key, col] of columns) {
      if (key === 'tid' || key === 'pidValid') continue;
      for (let i = 0; i < n; i++) col[i] = i + 1;
    }
    selector({ tid: '1' }).select(b);
    expect(b.length).toBe(3);
    for (const [key, col] of columns) {
      if (key === 'tid' || key === 'pidValid') continue;
      expect([key, Array.from(col.subarray(0, 3))]).toEqual([key, [2, 4, 6]]);
    }
    expect(Array.from(b.timeNs.subarray(0, 3))).toEqual([2n, 4n, 6n]);
  });
});
