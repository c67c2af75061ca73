/**
 * What the timeline draws from the table rows, before it is placed on tracks: slices and instants on a CPU
 * (marks) and, per packet, the marks its flow arrow joins.
 *
 * - hard IRQ: rx_irqs entry_ns .. exit_ns, on its CPU;
 * - NET_RX softirq: rx_hunks softirq_entry_ns .. softirq_exit_ns;
 * - napi_poll: the napi:napi_poll tracepoint fires when a poll returns, so a poll is drawn from the end of the
 *   one before it in the same softirq (or from the softirq's entry) to its own time: net_rx_action runs them
 *   back to back, and the packets the poll received fall inside it;
 * - per packet, zero-length slices for netif_receive_skb, skb_copy_datagram_iovec, net_dev_queue, net_dev_xmit
 *   and consume_skb, and an instant for kfree_skb (a drop, with its reason), joined by a flow:
 *   rx: the hunk's first IRQ -> netif_receive_skb -> copy or free; tx: queue -> xmit -> free.
 */
import type { ArgValue, Args } from './trace-event.js';
import type { Handled, TimelineRows } from './rows-of-tables.js';
import { overlaps, windowRanges, type TimeWindow } from './window.js';

/** Draw order at equal start and length: the enclosing kind first, so that nesting is read outside in. */
export const enum Depth {
  Softirq,
  Irq,
  Poll,
  Point,
}

export interface Mark {
  readonly ph: 'X' | 'i';
  readonly name: string;
  readonly cpu: number;
  readonly ts: bigint;
  readonly dur: bigint;
  readonly depth: Depth;
  readonly args: Args;
}

export interface Flow {
  readonly name: 'rx packet' | 'tx packet';
  readonly steps: readonly Mark[];
}

export interface Marks {
  readonly marks: Mark[];
  readonly flows: Flow[];
  /** Rows not drawn because an end came before its start (time went backwards), by what they were. */
  readonly backwards: Record<string, number>;
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

function point(name: string, cpu: number, ts: bigint, args: Args): Mark {
  return { ph: 'X', name, cpu, ts, dur: 0n, depth: Depth.Point, args };
}

/** The event that handled or freed a packet: a drop (kfree_skb) is an instant carrying its reason. */
function handledMark(h: Handled, skbaddr: bigint, dev: string, direction: 'rx' | 'tx', match: string | null): Mark {
  if (h.by === 'kfree_skb')
    return {
      ph: 'i',
      name: 'kfree_skb',
      cpu: h.cpu,
      ts: h.time,
      dur: 0n,
      depth: Depth.Point,
      args: { reason: h.reason, location: h.location, skbaddr: hex(skbaddr), dev, direction, match },
    };
  const args: Record<string, ArgValue> = { skbaddr: hex(skbaddr), dev, direction, match };
  // The transmit table keeps no pid for the free: only a copy (rx) says who read the packet.
  if (h.pid !== null) Object.assign(args, { pid: h.pid, comm: h.comm });
  return point(h.by, h.cpu, h.time, args);
}

/** The marks and flows of the rows, keeping only what overlaps `window`. */
export function drawMarks(rows: TimelineRows, window: TimeWindow): Marks {
  const marks: Mark[] = [];
  const flows: Flow[] = [];
  const backwards: Record<string, number> = {};
  const add = (m: Mark): Mark => {
    marks.push(m);
    return m;
  };
  const slice = (name: string, cpu: number, from: bigint, to: bigint, depth: Depth, args: Args): Mark | null => {
    if (to < from) {
      backwards[name] = (backwards[name] ?? 0) + 1;
      return null;
    }
    return add({ ph: 'X', name, cpu, ts: from, dur: to - from, depth, args });
  };
  const flow = (name: Flow['name'], steps: (Mark | null)[]): void => {
    const drawn = steps.filter((m): m is Mark => m !== null);
    if (drawn.length >= 2) flows.push({ name, steps: drawn });
  };

  const hunkEntry = new Map<number, bigint>();
  for (const h of rows.hunks) {
    hunkEntry.set(h.hunkId, h.softirqEntry);
    slice('NET_RX softirq', h.cpu, h.softirqEntry, h.softirqExit, Depth.Softirq, {
      hunk_id: h.hunkId,
      irqs: h.irqCount,
      napi_polls: h.napiPollCount,
      packets: h.packetCount,
      lost_near: h.lostNear,
    });
  }

  const firstIrq = new Map<number, Mark | null>();
  for (const q of rows.irqs) {
    const args = { irq: q.irq, irq_name: q.irqName, hunk_id: q.hunkId, irq_index: q.irqIndex };
    const name = `irq ${q.irqName}`;
    // Still running when its softirq ended (the table says so with a null exit): its end is unknown.
    const m =
      q.exit === null
        ? add({ ph: 'i', name: `${name} (no exit seen)`, cpu: q.cpu, ts: q.entry, dur: 0n, depth: Depth.Irq, args })
        : slice(name, q.cpu, q.entry, q.exit, Depth.Irq, args);
    if (q.irqIndex === 0) firstIrq.set(q.hunkId, m);
  }

  const pollsOf = new Map<number, typeof rows.polls>();
  for (const p of rows.polls) {
    const list = pollsOf.get(p.hunkId);
    if (list === undefined) pollsOf.set(p.hunkId, [p]);
    else list.push(p);
  }
  const cpuOf = new Map(rows.hunks.map((h) => [h.hunkId, h.cpu]));
  for (const [hunkId, polls] of pollsOf) {
    const entry = hunkEntry.get(hunkId);
    const cpu = cpuOf.get(hunkId);
    if (entry === undefined || cpu === undefined) continue;
    polls.sort((a, b) => a.eventIndex - b.eventIndex);
    let from = entry;
    for (const p of polls) {
      slice(`napi_poll ${p.dev}`, cpu, from, p.time, Depth.Poll, {
        dev: p.dev,
        napi: hex(p.napi),
        work: p.work,
        budget: p.budget,
        hunk_id: hunkId,
        // The start is inferred, not traced: say which event it is.
        start: from === entry ? 'softirq_entry' : 'previous napi_poll',
      });
      if (p.time >= from) from = p.time;
    }
  }

  for (const p of rows.rxPackets) {
    const receive = add(
      point('netif_receive_skb', p.cpu, p.time, {
        dev: p.dev,
        len: p.len,
        skbaddr: hex(p.skbaddr),
        hunk_id: p.hunkId,
        fate: p.fate,
      }),
    );
    const handled = p.handled === null ? null : add(handledMark(p.handled, p.skbaddr, p.dev, 'rx', p.match));
    const irq = p.hunkId === null ? null : (firstIrq.get(p.hunkId) ?? null);
    flow('rx packet', [irq, receive, handled]);
  }

  for (const p of rows.txPackets) {
    const packet = { dev: p.dev, len: p.len, skbaddr: hex(p.skbaddr) };
    const queue = add(
      point('net_dev_queue', p.queueCpu, p.queue, {
        ...packet,
        pid: p.queuePid,
        comm: p.queueComm,
        status: p.status,
        fate: p.fate,
      }),
    );
    const xmit = p.xmit === null || p.xmitCpu === null ? null : add(point('net_dev_xmit', p.xmitCpu, p.xmit, packet));
    const freed = p.freed === null ? null : add(handledMark(p.freed, p.skbaddr, p.dev, 'tx', p.match));
    flow('tx packet', [queue, xmit, freed]);
  }
  return { ...inWindow(marks, flows, window), backwards };
}

/** The marks that overlap the window, and the flows that still join two of them. */
function inWindow(marks: Mark[], flows: Flow[], window: TimeWindow): { marks: Mark[]; flows: Flow[] } {
  if (window === null || marks.length === 0) return { marks, flows };
  let first = marks[0].ts;
  let last = first;
  for (const m of marks) {
    if (m.ts < first) first = m.ts;
    if (m.ts + m.dur > last) last = m.ts + m.dur;
  }
  const ranges = windowRanges(window, first, last);
  const kept = new Set(marks.filter((m) => overlaps(ranges, m.ts, m.ts + m.dur)));
  const keptFlows: Flow[] = [];
  for (const f of flows) {
    const steps = f.steps.filter((m) => kept.has(m));
    if (steps.length >= 2) keptFlows.push({ name: f.name, steps });
  }
  return { marks: [...kept], flows: keptFlows };
}
