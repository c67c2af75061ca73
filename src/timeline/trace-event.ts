/**
 * Chrome trace-event JSON ("Trace Event Format", what ui.perfetto.dev and chrome://tracing open): the events
 * this timeline writes and their exact text. Times stay integer nanoseconds until printed, then become
 * microseconds with up to three decimals, so no sub-microsecond digit is lost to a double on our side.
 */

/** Argument values of an event, as shown in a viewer's details panel. */
export type ArgValue = string | number | null;
export type Args = Readonly<Record<string, ArgValue>>;

/** A complete slice (ph X): begins at `ts`, lasts `dur`. */
export interface SliceEvent {
  readonly ph: 'X';
  readonly name: string;
  readonly tid: number;
  readonly ts: bigint;
  readonly dur: bigint;
  readonly args: Args;
}

/** An instant (ph i) on one thread: a drop. */
export interface InstantEvent {
  readonly ph: 'i';
  readonly name: string;
  readonly tid: number;
  readonly ts: bigint;
  readonly args: Args;
}

/** One step of a flow (ph s, t or f); the flow's steps share `id`. */
export interface FlowEvent {
  readonly ph: 's' | 't' | 'f';
  readonly name: string;
  readonly tid: number;
  readonly ts: bigint;
  readonly id: number;
}

/** thread_name / thread_sort_index / process_name (ph M). */
export interface MetadataEvent {
  readonly ph: 'M';
  readonly name: 'thread_name' | 'thread_sort_index' | 'process_name';
  readonly tid: number;
  readonly args: Args;
}

export type TraceEvent = SliceEvent | InstantEvent | FlowEvent | MetadataEvent;

/** Every event is in one process: the machine the trace was recorded on; its threads are the CPU tracks. */
export const PID = 1;

/**
 * One category for every event: DevTools binds a flow step to the event with the same cat, pid, tid and ts
 * (its FlowsHandler), so slices and flow steps must share it.
 */
export const CATEGORY = 'net';

/** Nanoseconds as microseconds, exactly: 1234567 -> "1234.567", 5000 -> "5", -1500 -> "-1.5". */
export function microseconds(ns: bigint): string {
  const sign = ns < 0n ? '-' : '';
  const abs = ns < 0n ? -ns : ns;
  const whole = (abs / 1000n).toString();
  const frac = abs % 1000n;
  if (frac === 0n) return sign + whole;
  return `${sign}${whole}.${frac.toString().padStart(3, '0').replace(/0+$/, '')}`;
}

const str = JSON.stringify;

function argsText(args: Args): string {
  return JSON.stringify(args);
}

/** The JSON text of one event, its keys in a fixed order. */
export function eventText(e: TraceEvent): string {
  const head = `{"ph":"${e.ph}","pid":${PID},"tid":${e.tid},"name":${str(e.name)}`;
  switch (e.ph) {
    case 'X':
      return `${head},"cat":"${CATEGORY}","ts":${microseconds(e.ts)},"dur":${microseconds(e.dur)},"args":${argsText(e.args)}}`;
    case 'i':
      return `${head},"cat":"${CATEGORY}","ts":${microseconds(e.ts)},"s":"t","args":${argsText(e.args)}}`;
    case 's':
    case 't':
      return `${head},"cat":"${CATEGORY}","ts":${microseconds(e.ts)},"id":${e.id}}`;
    case 'f':
      // bp e: the end binds to the slice that encloses it (the freeing event), not to the next one.
      return `${head},"cat":"${CATEGORY}","ts":${microseconds(e.ts)},"id":${e.id},"bp":"e"}`;
    case 'M':
      return `${head},"args":${argsText(e.args)}}`;
  }
}

/** Where the JSON text goes; a returned promise is awaited before more is written (backpressure). */
export type TextSink = (text: string) => Promise<void> | void;

/** Text is handed on in pieces of about this many characters: few writes, no giant string. */
const PIECE = 1 << 16;

/**
 * Writes `{"traceEvents":[...],...}` one event at a time, in pieces: the whole text never exists at once.
 * `displayTimeUnit` ns makes chrome://tracing show the sub-microsecond digits.
 */
export async function writeTraceJson(events: Iterable<TraceEvent>, sink: TextSink, otherData: Args): Promise<number> {
  let piece = '{"traceEvents":[\n';
  let n = 0;
  for (const e of events) {
    piece += (n === 0 ? '' : ',\n') + eventText(e);
    n++;
    if (piece.length >= PIECE) {
      await sink(piece);
      piece = '';
    }
  }
  piece += `\n],"displayTimeUnit":"ns","otherData":${argsText(otherData)}}\n`;
  await sink(piece);
  return n;
}
