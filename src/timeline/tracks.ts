/**
 * Places marks on tracks (trace-event threads). Viewers draw the slices of one thread as a stack and need them
 * to nest: each one inside another or apart. On a CPU they do (an IRQ inside a softirq, packets inside a
 * poll); where a trace says otherwise (time that went backwards, or an IRQ list spanning softirqs), the slice
 * that would cross another goes to an extra track of that CPU instead of being cut or dropped.
 */
import { type Mark } from './marks.js';

/** Extra tracks of CPU c are tids c + k * LANE_STRIDE (k >= 1): above any CPU number. */
export const LANE_STRIDE = 100_000;

export interface Track {
  readonly tid: number;
  readonly cpu: number;
  /** 0 for the CPU's own track. */
  readonly lane: number;
}

/** Outside in: earlier first, then longer first, then the enclosing kind first. */
export function markOrder(a: Mark, b: Mark): number {
  if (a.ts !== b.ts) return a.ts < b.ts ? -1 : 1;
  if (a.dur !== b.dur) return a.dur > b.dur ? -1 : 1;
  return a.depth - b.depth;
}

const endOf = (m: Mark): bigint => m.ts + m.dur;

const ended = (open: Mark, next: Mark): boolean => endOf(open) < next.ts || (endOf(open) === next.ts && next.dur > 0n);

/** The tid of each mark, and the tracks used. Sorts `marks` in place (markOrder). */
export function placeMarks(marks: Mark[]): { tidOf: Map<Mark, number>; tracks: Track[] } {
  marks.sort(markOrder);
  const tidOf = new Map<Mark, number>();
  /** Per CPU, per lane, the open slices (innermost last). */
  const lanes = new Map<number, Mark[][]>();
  const tracks: Track[] = [];
  for (const m of marks) {
    let stacks = lanes.get(m.cpu);
    if (stacks === undefined) {
      stacks = [];
      lanes.set(m.cpu, stacks);
    }
    let lane = 0;
    for (; lane < stacks.length; lane++) {
      const stack = stacks[lane];
      // A slice that begins where another ends follows it (napi polls back to back); a point there is inside.
      while (stack.length > 0 && ended(stack[stack.length - 1], m)) stack.pop();
      if (stack.length === 0 || endOf(m) <= endOf(stack[stack.length - 1])) break;
    }
    if (lane === stacks.length) {
      stacks.push([]);
      tracks.push({ tid: m.cpu + lane * LANE_STRIDE, cpu: m.cpu, lane });
    }
    stacks[lane].push(m);
    tidOf.set(m, m.cpu + lane * LANE_STRIDE);
  }
  tracks.sort((a, b) => a.cpu - b.cpu || a.lane - b.lane);
  return { tidOf, tracks };
}
