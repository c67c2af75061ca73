/**
 * The queue against a plain model of perf's ordered_events: each flush delivers, in (time, arrival) order,
 * every queued record at or before its limit, and keeps the rest in arrival order for the next one. Records
 * carry their arrival number in their bytes, so both the order and the bytes delivered are checked.
 */
import { describe, expect, it } from 'vitest';
import { OrderedEvents } from '../../../src/decode/perf-data/ordered-events.js';
import { Random } from '../../../bench/random.js';

interface Queued {
  arrival: number;
  time: bigint;
  size: number;
}

type Step = { round: true } | { q: Queued };

/** What perf delivers for these steps, with the model's own stable sort (Array#sort). */
function model(steps: Step[]): number[] {
  const out: number[] = [];
  let queued: Queued[] = [];
  let max = 0n;
  let next = 0n;
  const flush = (limit: bigint): void => {
    const sorted = [...queued].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    for (const r of sorted) if (r.time <= limit) out.push(r.arrival);
    queued = queued.filter((r) => r.time > limit);
  };
  for (const s of steps) {
    if ('round' in s) {
      flush(next);
      next = max;
    } else {
      queued.push(s.q);
      if (s.q.time > max) max = s.q.time;
    }
  }
  flush(0xffffffffffffffffn);
  return out;
}

/** Runs the steps through OrderedEvents; each record's bytes are its arrival number repeated. */
function run(steps: Step[]): number[] {
  const out: number[] = [];
  let wrongBytes = 0;
  const q = new OrderedEvents((arena, view, off) => {
    const arrival = view.getUint32(off, true);
    const size = view.getUint32(off + 4, true);
    for (let k = 8; k < size; k++) if (arena[off + k] !== ((arrival + k) & 0xff)) wrongBytes++;
    out.push(arrival);
  });
  for (const s of steps) {
    if ('round' in s) {
      q.flushRound();
      continue;
    }
    const { arrival, time, size } = s.q;
    // Placed at an odd offset of a larger buffer, as records sit in the chunks read.
    const src = new Uint8Array(size + 3);
    const sv = new DataView(src.buffer);
    sv.setUint32(3, arrival, true);
    sv.setUint32(7, size, true);
    for (let k = 8; k < size; k++) src[3 + k] = (arrival + k) & 0xff;
    q.queue(src, sv, 3, size, Number(time >> 32n), Number(time & 0xffffffffn), 0);
  }
  q.flushAll();
  expect(wrongBytes).toBe(0);
  return out;
}

/** Rounds of per-CPU runs, as perf record writes them: each CPU's records in time order, CPUs one after another. */
function recording(seed: number, rounds: number, cpus: number, ties: boolean): Step[] {
  const r0 = new Random(seed);
  const rand = (): number => r0.next();
  const steps: Step[] = [];
  let arrival = 0;
  let clock = 1n << 33n;
  for (let r = 0; r < rounds; r++) {
    for (let c = 0; c < cpus; c++) {
      let t = clock - BigInt(Math.floor(rand() * 5000));
      const n = Math.floor(rand() * 40);
      for (let i = 0; i < n; i++) {
        t += BigInt(ties ? Math.floor(rand() * 3) : 1 + Math.floor(rand() * 400));
        // Now and then a record out of its CPU's order (a time that went back).
        const time = rand() < 0.03 ? t - 3000n : t;
        steps.push({
          q: { arrival: arrival++, time, size: 8 * (9 + Math.floor(rand() * 6)) + (rand() < 0.1 ? 3 : 0) },
        });
      }
    }
    clock += 4000n;
    if (rand() < 0.9) steps.push({ round: true });
  }
  return steps;
}

describe('OrderedEvents', () => {
  it('delivers rounds of per-CPU runs as perf does', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const steps = recording(seed, 30, 1 + (seed % 5), seed % 3 === 0);
      expect(run(steps)).toEqual(model(steps));
    }
  });

  it('keeps the records of a round past its limit, in arrival order, across many rounds', () => {
    // Every round's records are newer than the last round's limit: each round keeps all of this round's.
    const steps: Step[] = [];
    let arrival = 0;
    for (let r = 0; r < 50; r++) {
      for (let i = 0; i < 20; i++)
        steps.push({ q: { arrival: arrival++, time: BigInt(1000 * r + ((i * 7) % 20)), size: 80 } });
      steps.push({ round: true });
    }
    const got = run(steps);
    expect(got).toEqual(model(steps));
    expect(got).toHaveLength(1000);
  });

  it('delivers equal times in arrival order, whichever run they are in', () => {
    const steps: Step[] = [];
    for (let i = 0; i < 30; i++) steps.push({ q: { arrival: i, time: BigInt(100 + (i % 3)), size: 72 } });
    expect(run(steps)).toEqual(model(steps));
  });

  it('delivers the older half when its memory is full, as perf does', () => {
    const r0 = new Random(7);
    const rand = (): number => r0.next();
    const out: number[] = [];
    const q = new OrderedEvents((_a, view, off) => out.push(view.getUint32(off, true)), 64 * 100);
    const times: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const src = new Uint8Array(64);
      const sv = new DataView(src.buffer);
      sv.setUint32(0, i, true);
      times.push(Math.floor(rand() * 1e6) + 1);
      q.queue(src, sv, 0, 64, 0, times[i], 0);
    }
    q.flushAll();
    expect(q.halfFlushes).toBeGreaterThan(0);
    expect([...out].sort((a, b) => a - b)).toEqual([...Array(1000).keys()]);
    // Each half flush delivers sorted: a flushed record is never newer than one delivered after it in the same flush.
    let inversions = 0;
    for (let k = 1; k < out.length; k++) if (times[out[k]] < times[out[k - 1]]) inversions++;
    expect(inversions).toBeLessThanOrEqual(q.halfFlushes);
  });
});
