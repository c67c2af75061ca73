import type { Nanoseconds } from './units.js';

/** PERF_RECORD_LOST: the ring buffer was full and the kernel dropped `count` events. */
export const LOST_RECORD = 0;
/** PERF_RECORD_LOST_SAMPLES: samples the kernel could not write (perf.data only: perf script never prints them). */
export const LOST_SAMPLES = 1;
export type LostKind = typeof LOST_RECORD | typeof LOST_SAMPLES;

/**
 * What the kernel reported lost, each record with the CPU and time perf gave it. Read from perf.data, or from
 * the lines `perf script --show-lost-events` prints. A handful per recording, at most a few thousand: arrays.
 */
export class LostEvents {
  readonly cpu: number[] = [];
  readonly timeNs: Nanoseconds[] = [];
  readonly count: number[] = [];
  readonly kind: LostKind[] = [];
  /** The events lost: the sum of the PERF_RECORD_LOST counts (perf's "lost N chunks" warning sums the same). */
  total = 0;
  /** The sum of the PERF_RECORD_LOST_SAMPLES counts. */
  samples = 0;

  add(cpu: number, timeNs: Nanoseconds, count: number, kind: LostKind = LOST_RECORD): void {
    this.cpu.push(cpu);
    this.timeNs.push(timeNs);
    this.count.push(count);
    this.kind.push(kind);
    if (kind === LOST_RECORD) this.total += count;
    else this.samples += count;
  }

  get records(): number {
    return this.count.length;
  }
}
