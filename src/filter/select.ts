/**
 * Selecting the events of a RawBatch, in place, as `perf script` selects the samples its script sees
 * (process_sample_event): a time outside every `--time` range, a CPU not in `--cpu`, a thread whose name,
 * process id or thread id is not listed (thread__is_filtered). Kept events move down over dropped ones,
 * column by column; nothing is allocated per event, and a name is compared once per dictionary id.
 */
import { NetdevTimesError } from '../core/errors.js';
import type { RawBatch } from '../decode/raw-batch.js';
import { percentRanges, type FilterSpec, type TimeRange } from './parse.js';

/** What the input says of itself that the filters need: only a perf.data recording knows these. */
export interface RecordingFacts {
  /** First and last sample time (HEADER_SAMPLE_TIME), for percent `--time`. */
  sampleTime: { first: bigint; last: bigint } | null;
  /** nr_cpus_avail: perf refuses a `--cpu` at or above it. */
  cpus: number | null;
}

/**
 * The filters of one input, ready for its batches. Made once per input: it caches, per comm id of the
 * input's dictionary, whether the name is listed.
 */
export class EventSelector {
  /** Ranges as [start0, end0, start1, ...]; 0 is an open end. */
  private readonly ranges: BigInt64Array | null;
  private readonly cpus: Uint8Array | null;
  private readonly comms: ReadonlySet<string> | null;
  private readonly pids: ReadonlySet<number> | null;
  private readonly tids: ReadonlySet<number> | null;
  /** Per comm id: 0 not looked at yet, 1 listed, 2 not listed. */
  private commVerdict = new Uint8Array(64);
  /** Events dropped so far. */
  dropped = 0;

  constructor(
    readonly spec: FilterSpec,
    facts: RecordingFacts,
  ) {
    this.ranges = spec.time ? flat(timeRanges(spec, facts)) : null;
    this.cpus = spec.cpus ? cpuBitmap(spec.cpus, facts.cpus) : null;
    this.comms = spec.comms ? new Set(spec.comms) : null;
    this.pids = spec.pids ? new Set(spec.pids) : null;
    this.tids = spec.tids ? new Set(spec.tids) : null;
  }

  /** Keeps the selected events of `b` (in order, at its front) and sets its length; returns how many went. */
  select(b: RawBatch): number {
    const n = b.length;
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (!this.keeps(b, i)) continue;
      if (k !== i) moveEvent(b, i, k);
      k++;
    }
    b.length = k;
    this.dropped += n - k;
    return n - k;
  }

  private keeps(b: RawBatch, i: number): boolean {
    const ranges = this.ranges;
    if (ranges !== null && !inRanges(ranges, b.timeNs[i])) return false;
    const cpus = this.cpus;
    // An event with no CPU (perf's (u32)-1) passes, as in perf's filter_cpu.
    if (cpus !== null) {
      const cpu = b.cpu[i];
      if (cpu !== -1 && (cpu < 0 || cpu >= cpus.length || cpus[cpu] === 0)) return false;
    }
    if (this.comms !== null && !this.commListed(b, b.comm[i])) return false;
    if (this.pids !== null) {
      if (b.pidValid[i] === 0)
        throw new NetdevTimesError(
          `--pid: this trace does not print process ids (line ${b.line[i]}); print them with perf script -F ...,pid,tid,... or give --tid`,
          2,
        );
      if (!this.pids.has(b.pid[i])) return false;
    }
    if (this.tids !== null && !this.tids.has(b.tid[i])) return false;
    return true;
  }

  private commListed(b: RawBatch, id: number): boolean {
    let v = this.commVerdict;
    if (id >= v.length) {
      const grown = new Uint8Array(Math.max(id + 1, v.length * 2));
      grown.set(v);
      this.commVerdict = v = grown;
    }
    if (v[id] === 0) v[id] = this.comms?.has(b.comms.values[id]) === true ? 1 : 2;
    return v[id] === 1;
  }
}

/** perf_time__ranges_skip_sample: time 0 always passes; both ends are inclusive; 0 is an open end. */
function inRanges(r: BigInt64Array, t: bigint): boolean {
  if (t === 0n) return true;
  for (let j = 0; j < r.length; j += 2) {
    const start = r[j];
    const end = r[j + 1];
    if (t >= start && (end === 0n || t <= end)) return true;
  }
  return false;
}

/** Every per-event column of RawBatch (a column added there must be added here: test/filter/select.test.ts checks). */
function moveEvent(b: RawBatch, from: number, to: number): void {
  b.line[to] = b.line[from];
  b.timeNs[to] = b.timeNs[from];
  b.cpu[to] = b.cpu[from];
  b.pid[to] = b.pid[from];
  b.pidValid[to] = b.pidValid[from];
  b.tid[to] = b.tid[from];
  b.comm[to] = b.comm[from];
  b.event[to] = b.event[from];
  b.payloadStart[to] = b.payloadStart[from];
  b.payloadEnd[to] = b.payloadEnd[from];
  b.rawPayload[to] = b.rawPayload[from];
  b.frameStart[to] = b.frameStart[from];
  b.frameEnd[to] = b.frameEnd[from];
}

function timeRanges(spec: FilterSpec, facts: RecordingFacts): readonly TimeRange[] {
  const time = spec.time;
  if (time === undefined) return [];
  if (time.kind === 'absolute') return time.ranges;
  if (facts.sampleTime === null)
    throw new NetdevTimesError(
      `--time '${time.text}': a percent needs the first and last sample times that only a perf.data file (not pipe mode, not text) records; give START,END in seconds`,
      2,
    );
  return percentRanges(time.slices, facts.sampleTime.first, facts.sampleTime.last);
}

function flat(ranges: readonly TimeRange[]): BigInt64Array {
  const out = new BigInt64Array(ranges.length * 2);
  ranges.forEach((r, j) => {
    out[2 * j] = r.start;
    out[2 * j + 1] = r.end;
  });
  return out;
}

/** A CPU list as a bitmap; a CPU beyond any machine's (a typo such as 1000000) is simply never met. */
const MAX_CPUS = 1 << 16;

/** perf_session__cpu_bitmap: a CPU the recording cannot have is an error, as in perf. */
function cpuBitmap(cpus: readonly number[], available: number | null): Uint8Array {
  const max = cpus.length === 0 ? 0 : cpus[cpus.length - 1];
  if (available !== null && max >= available)
    throw new NetdevTimesError(`--cpu: CPU ${max} is not in the recording (it has CPUs 0-${available - 1})`, 2);
  const bitmap = new Uint8Array(Math.min(max + 1, MAX_CPUS));
  for (const c of cpus) if (c < MAX_CPUS) bitmap[c] = 1;
  return bitmap;
}
