/**
 * A real consumer: Chrome DevTools' trace engine (@paulirish/trace_engine, the model of DevTools' Performance
 * panel, published from Chromium's devtools-frontend) parses the timeline as it would to draw it. It must find
 * the CPU tracks by name, every slice on its track, every flow, each bound to the events of its packet's chain.
 */
import * as Trace from '@paulirish/trace_engine';
import { describe, expect, it } from 'vitest';
import { timelineOf } from '../../src/pipeline/timeline.js';
import { writeTraceJson } from '../../src/timeline/trace-event.js';
import { TRACES } from '../helpers/fixtures.js';
import { eventsOf } from './trace-format.js';

type EngineEvent = Trace.Types.Events.Event;

/** The engine measures boxes with DOMRect, which Node lacks (its README says to provide one). */
class DOMRect {
  constructor(
    readonly x = 0,
    readonly y = 0,
    readonly width = 0,
    readonly height = 0,
  ) {}
}

/** What the engine reads of each event, checked rather than assumed of parsed JSON. */
function engineEvents(parsed: unknown): EngineEvent[] {
  const out: EngineEvent[] = [];
  const list: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'traceEvents') : null;
  if (!Array.isArray(list)) throw new Error('no traceEvents');
  const items: unknown[] = list;
  for (const e of items) {
    if (!isEngineEvent(e)) throw new Error(`not a trace event: ${JSON.stringify(e)}`);
    out.push(e);
  }
  return out;
}

function isEngineEvent(e: unknown): e is EngineEvent {
  if (typeof e !== 'object' || e === null) return false;
  const f = (k: string): unknown => Reflect.get(e, k);
  return (
    typeof f('ph') === 'string' &&
    typeof f('pid') === 'number' &&
    typeof f('tid') === 'number' &&
    typeof f('name') === 'string' &&
    (f('ph') === 'M' || (typeof f('ts') === 'number' && typeof f('cat') === 'string'))
  );
}

describe.each(['eth-npm.ns.txt', 'udp-drop.ns.txt'])("DevTools' trace engine on the timeline of %s", (name) => {
  it('finds the CPU tracks, every slice and every packet flow', async () => {
    const timeline = await timelineOf(`${TRACES}${name}`);
    const parts: string[] = [];
    await writeTraceJson(timeline.events, (t) => void parts.push(t), {});
    const parsed: unknown = JSON.parse(parts.join(''));
    const ours = eventsOf(parsed);

    Object.assign(globalThis, { DOMRect });
    const model = Trace.TraceModel.Model.createWithAllHandlers();
    await model.parse(engineEvents(parsed));
    const data = model.parsedTrace()?.data;
    if (data === undefined) throw new Error('the engine parsed nothing');

    const threads = [...(data.Renderer.processes.get(Trace.Types.Events.ProcessID(1))?.threads.entries() ?? [])];
    const seen = Object.fromEntries(
      threads.map(([tid, t]) => [String(tid), { name: t.name, slices: t.entries.length }]),
    );
    const expected: Record<string, { name: string | null; slices: number }> = {};
    for (const e of ours) {
      const key = String(e.tid);
      if (e.ph === 'M' && e.name === 'thread_name') expected[key] = { name: String(e.args?.name), slices: 0 };
    }
    for (const e of ours) if (e.ph === 'X') expected[String(e.tid)].slices++;
    expect(seen).toEqual(expected);

    // Each flow the engine rebuilt, as the names of the events it bound: the chains we drew, all of them.
    const chains = (flows: string[][]): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const f of flows) out[f.join(' > ')] = (out[f.join(' > ')] ?? 0) + 1;
      return out;
    };
    const drawn: string[][] = [];
    const byId = new Map<number, string[]>();
    const slices = new Map<string, string>();
    for (const e of ours) if (e.ph === 'X' || e.ph === 'i') slices.set(`${e.tid}@${e.ts}`, e.name);
    for (const e of ours)
      if (e.id !== undefined) {
        const chain = byId.get(e.id) ?? [];
        if (chain.length === 0) drawn.push(chain);
        byId.set(e.id, chain);
        chain.push(slices.get(`${e.tid}@${e.ts}`) ?? '?');
      }
    expect(data.Flows.flows.length).toBe(timeline.counts.flows);
    expect(chains(data.Flows.flows.map((f) => f.map((e) => e.name)))).toEqual(chains(drawn));
  });
});
