/**
 * The Trace Event Format's rules, checked on a parsed timeline: the fields each phase needs, slices that nest
 * on their track, time order, flows that start, (step) and finish once with one id, each step bound to a
 * slice of its track at its instant, and a thread_name for every track. Returns what breaks them (empty: none).
 */

export interface JsonEvent {
  ph: string;
  pid: number;
  tid: number;
  name: string;
  cat?: string;
  ts?: number;
  dur?: number;
  id?: number;
  bp?: string;
  s?: string;
  args?: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The traceEvents of a parsed file, each checked to be an object with ph, pid, tid and name of the right types. */
export function eventsOf(parsed: unknown): JsonEvent[] {
  if (!isObject(parsed) || !Array.isArray(parsed.traceEvents)) throw new Error('no traceEvents array');
  const list: unknown[] = parsed.traceEvents;
  return list.map((e, k) => {
    if (
      !isObject(e) ||
      typeof e.ph !== 'string' ||
      typeof e.pid !== 'number' ||
      typeof e.tid !== 'number' ||
      typeof e.name !== 'string'
    )
      throw new Error(`event ${k}: not an object with ph, pid, tid and name`);
    return {
      ph: e.ph,
      pid: e.pid,
      tid: e.tid,
      name: e.name,
      cat: typeof e.cat === 'string' ? e.cat : undefined,
      ts: typeof e.ts === 'number' ? e.ts : undefined,
      dur: typeof e.dur === 'number' ? e.dur : undefined,
      id: typeof e.id === 'number' ? e.id : undefined,
      bp: typeof e.bp === 'string' ? e.bp : undefined,
      s: typeof e.s === 'string' ? e.s : undefined,
      args: isObject(e.args) ? e.args : undefined,
    };
  });
}

const track = (e: JsonEvent): string => `${e.pid}/${e.tid}`;

export function formatProblems(events: readonly JsonEvent[]): string[] {
  const bad: string[] = [];
  const named = new Set<string>();
  const used = new Set<string>();
  const slicesOf = new Map<string, JsonEvent[]>();
  let lastTs = -Infinity;
  for (const [k, e] of events.entries()) {
    const at = `event ${k} (${e.ph} ${e.name})`;
    if (e.ph === 'M') {
      if (e.name === 'thread_name' && typeof e.args?.name === 'string') named.add(track(e));
      else if (!['process_name', 'thread_sort_index', 'thread_name'].includes(e.name))
        bad.push(`${at}: unknown metadata`);
      continue;
    }
    used.add(track(e));
    if (e.cat === undefined || e.ts === undefined) {
      bad.push(`${at}: no cat or ts`);
      continue;
    }
    if (e.ts < lastTs) bad.push(`${at}: ts ${e.ts} before ${lastTs}`);
    lastTs = e.ts;
    if (e.ph === 'X') {
      if (e.dur === undefined || e.dur < 0) bad.push(`${at}: dur missing or negative`);
    } else if (e.ph === 'i') {
      if (e.s !== 't') bad.push(`${at}: an instant without thread scope`);
    } else if (e.ph === 's' || e.ph === 't' || e.ph === 'f') {
      if (e.id === undefined) bad.push(`${at}: a flow step without id`);
      if (e.ph === 'f' && e.bp !== 'e') bad.push(`${at}: a flow end not bound to its enclosing slice`);
      continue;
    } else bad.push(`${at}: unexpected phase`);
    const list = slicesOf.get(track(e)) ?? [];
    list.push(e);
    slicesOf.set(track(e), list);
  }
  for (const t of used) if (!named.has(t)) bad.push(`track ${t}: no thread_name`);
  bad.push(...nestingProblems(slicesOf), ...flowProblems(events, slicesOf));
  return bad;
}

/** Slices of a track nest or are apart; one that begins exactly where another ends follows it. */
function nestingProblems(slicesOf: Map<string, JsonEvent[]>): string[] {
  const bad: string[] = [];
  for (const [t, list] of slicesOf) {
    const stack: { end: number; name: string }[] = [];
    for (const e of list) {
      const ts = e.ts ?? 0;
      const end = ts + (e.dur ?? 0);
      const dur = e.dur ?? 0;
      while (stack.length > 0 && (stack[stack.length - 1].end < ts || (stack[stack.length - 1].end === ts && dur > 0)))
        stack.pop();
      const top = stack.at(-1);
      if (top !== undefined && end > top.end) bad.push(`track ${t}: ${e.name} at ${ts} crosses ${top.name}`);
      stack.push({ end, name: e.name });
    }
  }
  return bad;
}

function flowProblems(events: readonly JsonEvent[], slicesOf: Map<string, JsonEvent[]>): string[] {
  const bad: string[] = [];
  const steps = new Map<number, JsonEvent[]>();
  for (const e of events)
    if (e.id !== undefined && (e.ph === 's' || e.ph === 't' || e.ph === 'f')) {
      const list = steps.get(e.id) ?? [];
      list.push(e);
      steps.set(e.id, list);
    }
  for (const [id, list] of steps) {
    const phases = list.map((e) => e.ph).join('');
    if (!/^st*f$/.test(phases)) bad.push(`flow ${id}: steps ${phases}, not one s, any t, one f`);
    if (new Set(list.map((e) => `${e.name}|${e.cat}`)).size !== 1) bad.push(`flow ${id}: steps of several names`);
    for (const e of list) {
      // DevTools binds a step to the event of its track with its ts and cat; Perfetto to the slice enclosing it.
      const bound = (slicesOf.get(track(e)) ?? []).some((s) => s.ts === e.ts && s.cat === e.cat);
      if (!bound) bad.push(`flow ${id}: the ${e.ph} step at ${e.ts} on ${track(e)} has no slice to bind to`);
    }
  }
  return bad;
}
