/**
 * `netdev-times timeline`: the correlate tables as a Chrome trace-event timeline. Chunks go in (live from the
 * correlator or read back from a dataset), the events come out in time order, metadata first.
 */
import type { TableChunk } from '../core/columns.js';
import { drawMarks, type Mark } from './marks.js';
import { TimelineRows } from './rows-of-tables.js';
import { placeMarks, type Track } from './tracks.js';
import type { FlowEvent, MetadataEvent, TraceEvent } from './trace-event.js';
import { WHOLE_TRACE, type TimeWindow } from './window.js';

export interface TimelineCounts {
  /** Every event written, metadata included. */
  readonly events: number;
  /** X slices and i instants by name. */
  readonly byName: Readonly<Record<string, number>>;
  readonly flows: number;
  /** Tracks beyond one per CPU, made for slices that would cross another. */
  readonly extraTracks: number;
  /** Rows not drawn because their end came before their start, by slice name. */
  readonly backwards: Readonly<Record<string, number>>;
}

export interface Timeline {
  readonly events: readonly TraceEvent[];
  readonly counts: TimelineCounts;
}

function trackName(t: Track): string {
  return t.lane === 0 ? `CPU ${t.cpu}` : `CPU ${t.cpu} (crossing slices ${t.lane})`;
}

function metadata(label: string, tracks: readonly Track[]): MetadataEvent[] {
  const out: MetadataEvent[] = [{ ph: 'M', name: 'process_name', tid: 0, args: { name: `netdev-times ${label}` } }];
  tracks.forEach((t, k) => {
    out.push({ ph: 'M', name: 'thread_name', tid: t.tid, args: { name: trackName(t) } });
    out.push({ ph: 'M', name: 'thread_sort_index', tid: t.tid, args: { sort_index: k } });
  });
  return out;
}

/** Collects chunks; `finish` lays them out. */
export class TimelineBuilder {
  private readonly rows = new TimelineRows();

  push(table: string, chunk: TableChunk): void {
    this.rows.push(table, chunk);
  }

  /** The events of the rows that overlap `window`; `label` names the process (the trace or source). */
  finish(label: string, window: TimeWindow = WHOLE_TRACE): Timeline {
    const { marks, flows, backwards } = drawMarks(this.rows, window);
    const { tidOf, tracks } = placeMarks(marks);
    const tid = (m: Mark): number => {
      const t = tidOf.get(m);
      if (t === undefined) throw new Error('a flow step that was not placed');
      return t;
    };
    const byName: Record<string, number> = {};
    const timed: { ts: bigint; event: TraceEvent }[] = [];
    for (const m of marks) {
      byName[m.name] = (byName[m.name] ?? 0) + 1;
      const event: TraceEvent =
        m.ph === 'X'
          ? { ph: 'X', name: m.name, tid: tid(m), ts: m.ts, dur: m.dur, args: m.args }
          : { ph: 'i', name: m.name, tid: tid(m), ts: m.ts, args: m.args };
      timed.push({ ts: m.ts, event });
    }
    const flowEvents: FlowEvent[] = [];
    flows.forEach((f, id) => {
      f.steps.forEach((m, k) => {
        const ph = k === 0 ? 's' : k === f.steps.length - 1 ? 'f' : 't';
        flowEvents.push({ ph, name: f.name, tid: tid(m), ts: m.ts, id: id + 1 });
      });
    });
    // marks is in markOrder already (placeMarks sorts it); a flow step comes after the slices of its instant,
    // so that a reader binding it to "the slice open now" finds the slice already begun.
    flowEvents.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    const events: TraceEvent[] = metadata(label, tracks);
    let f = 0;
    for (const { ts, event } of timed) {
      while (f < flowEvents.length && flowEvents[f].ts < ts) events.push(flowEvents[f++]);
      events.push(event);
    }
    while (f < flowEvents.length) events.push(flowEvents[f++]);
    return {
      events,
      counts: {
        events: events.length,
        byName,
        flows: flows.length,
        extraTracks: tracks.filter((t) => t.lane > 0).length,
        backwards,
      },
    };
  }
}
