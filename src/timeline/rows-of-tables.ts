/**
 * The rows of the correlate tables that a timeline draws, kept as small records: rx_packets rows arrive when
 * their fate is known, not in time order, and a hunk's napi_poll slices need its softirq entry, so nothing can
 * be drawn before every table has been read.
 */
import type { TableChunk } from '../core/columns.js';
import { chunkReader, required } from './rows.js';

export interface HunkRow {
  readonly hunkId: number;
  readonly cpu: number;
  readonly softirqEntry: bigint;
  readonly softirqExit: bigint;
  readonly irqCount: number;
  readonly napiPollCount: number;
  readonly packetCount: number;
  readonly lostNear: number;
}

export interface IrqRow {
  readonly hunkId: number;
  readonly irqIndex: number;
  readonly cpu: number;
  readonly irq: number;
  readonly irqName: string;
  readonly entry: bigint;
  readonly exit: bigint | null;
}

export interface PollRow {
  readonly hunkId: number;
  readonly eventIndex: number;
  readonly time: bigint;
  readonly dev: string;
  readonly napi: bigint;
  readonly work: number | null;
  readonly budget: number | null;
}

/** Where a packet was matched: the event that handled (rx) or freed (tx) it. */
export interface Handled {
  readonly by: string;
  readonly time: bigint;
  readonly cpu: number;
  readonly pid: number | null;
  readonly comm: string | null;
  readonly location: string | null;
  readonly reason: string | null;
}

export interface RxPacketRow {
  readonly hunkId: number | null;
  readonly cpu: number;
  readonly time: bigint;
  readonly skbaddr: bigint;
  readonly len: number;
  readonly dev: string;
  readonly handled: Handled | null;
  readonly fate: string;
  readonly match: string | null;
}

export interface TxPacketRow {
  readonly dev: string;
  readonly skbaddr: bigint;
  readonly len: number;
  readonly queue: bigint;
  readonly queueCpu: number;
  readonly queuePid: number;
  readonly queueComm: string;
  readonly xmit: bigint | null;
  readonly xmitCpu: number | null;
  readonly freed: Handled | null;
  readonly status: string;
  readonly fate: string;
  readonly match: string | null;
}

export class TimelineRows {
  readonly hunks: HunkRow[] = [];
  readonly irqs: IrqRow[] = [];
  readonly polls: PollRow[] = [];
  readonly rxPackets: RxPacketRow[] = [];
  readonly txPackets: TxPacketRow[] = [];

  /** Takes one chunk of any table; the tables a timeline does not draw (rx_irq_events) are skipped. */
  push(table: string, chunk: TableChunk): void {
    if (table === 'rx_hunks') this.pushHunks(chunk);
    else if (table === 'rx_irqs') this.pushIrqs(chunk);
    else if (table === 'rx_napi_polls') this.pushPolls(chunk);
    else if (table === 'rx_packets') this.pushRx(chunk);
    else if (table === 'tx_packets') this.pushTx(chunk);
  }

  private pushHunks(chunk: TableChunk): void {
    const t = 'rx_hunks';
    const c = chunkReader(t, chunk);
    const [id, cpu, entry, exit, irqs, polls, packets, lost] = [
      c.int('hunk_id'),
      c.int('cpu'),
      c.i64('softirq_entry_ns'),
      c.i64('softirq_exit_ns'),
      c.int('irq_count'),
      c.int('napi_poll_count'),
      c.int('packet_count'),
      c.int('lost_near'),
    ];
    for (let r = 0; r < c.length; r++)
      this.hunks.push({
        hunkId: required(id(r), t, 'hunk_id'),
        cpu: required(cpu(r), t, 'cpu'),
        softirqEntry: required(entry(r), t, 'softirq_entry_ns'),
        softirqExit: required(exit(r), t, 'softirq_exit_ns'),
        irqCount: required(irqs(r), t, 'irq_count'),
        napiPollCount: required(polls(r), t, 'napi_poll_count'),
        packetCount: required(packets(r), t, 'packet_count'),
        lostNear: required(lost(r), t, 'lost_near'),
      });
  }

  private pushIrqs(chunk: TableChunk): void {
    const t = 'rx_irqs';
    const c = chunkReader(t, chunk);
    const [id, index, cpu, irq, name, entry, exit] = [
      c.int('hunk_id'),
      c.int('irq_index'),
      c.int('cpu'),
      c.int('irq'),
      c.str('irq_name'),
      c.i64('entry_ns'),
      c.i64('exit_ns'),
    ];
    for (let r = 0; r < c.length; r++)
      this.irqs.push({
        hunkId: required(id(r), t, 'hunk_id'),
        irqIndex: required(index(r), t, 'irq_index'),
        cpu: required(cpu(r), t, 'cpu'),
        irq: required(irq(r), t, 'irq'),
        irqName: required(name(r), t, 'irq_name'),
        entry: required(entry(r), t, 'entry_ns'),
        exit: exit(r),
      });
  }

  private pushPolls(chunk: TableChunk): void {
    const t = 'rx_napi_polls';
    const c = chunkReader(t, chunk);
    const [id, index, time, dev, napi, work, budget] = [
      c.int('hunk_id'),
      c.int('event_index'),
      c.i64('time_ns'),
      c.str('dev'),
      c.u64('napi'),
      c.int('work'),
      c.int('budget'),
    ];
    for (let r = 0; r < c.length; r++)
      this.polls.push({
        hunkId: required(id(r), t, 'hunk_id'),
        eventIndex: required(index(r), t, 'event_index'),
        time: required(time(r), t, 'time_ns'),
        dev: required(dev(r), t, 'dev'),
        napi: required(napi(r), t, 'napi'),
        work: work(r),
        budget: budget(r),
      });
  }

  private pushRx(chunk: TableChunk): void {
    const t = 'rx_packets';
    const c = chunkReader(t, chunk);
    const [id, cpu, time, skb, len, dev, fate, match] = [
      c.int('hunk_id'),
      c.int('cpu'),
      c.i64('time_ns'),
      c.u64('skbaddr'),
      c.int('len'),
      c.str('dev'),
      c.str('fate'),
      c.str('match'),
    ];
    const [by, hTime, hCpu, hPid, hComm, location, reason] = [
      c.str('handled_by'),
      c.i64('handled_ns'),
      c.int('handled_cpu'),
      c.int('handled_pid'),
      c.str('handled_comm'),
      c.str('kfree_location'),
      c.str('kfree_reason'),
    ];
    for (let r = 0; r < c.length; r++) {
      const b = by(r);
      this.rxPackets.push({
        hunkId: id(r),
        cpu: required(cpu(r), t, 'cpu'),
        time: required(time(r), t, 'time_ns'),
        skbaddr: required(skb(r), t, 'skbaddr'),
        len: required(len(r), t, 'len'),
        dev: required(dev(r), t, 'dev'),
        handled:
          b === null
            ? null
            : {
                by: b,
                time: required(hTime(r), t, 'handled_ns'),
                cpu: required(hCpu(r), t, 'handled_cpu'),
                pid: hPid(r),
                comm: hComm(r),
                location: location(r),
                reason: reason(r),
              },
        fate: required(fate(r), t, 'fate'),
        match: match(r),
      });
    }
  }

  private pushTx(chunk: TableChunk): void {
    const t = 'tx_packets';
    const c = chunkReader(t, chunk);
    const [dev, skb, len, queue, qCpu, qPid, qComm, xmit, xCpu] = [
      c.str('dev'),
      c.u64('skbaddr'),
      c.int('len'),
      c.i64('queue_ns'),
      c.int('queue_cpu'),
      c.int('queue_pid'),
      c.str('queue_comm'),
      c.i64('xmit_ns'),
      c.int('xmit_cpu'),
    ];
    const [free, fCpu, by, location, reason, status, fate, match] = [
      c.i64('free_ns'),
      c.int('free_cpu'),
      c.str('freed_by'),
      c.str('kfree_location'),
      c.str('kfree_reason'),
      c.str('status'),
      c.str('fate'),
      c.str('match'),
    ];
    for (let r = 0; r < c.length; r++) {
      const b = by(r);
      const x = xmit(r);
      this.txPackets.push({
        dev: required(dev(r), t, 'dev'),
        skbaddr: required(skb(r), t, 'skbaddr'),
        len: required(len(r), t, 'len'),
        queue: required(queue(r), t, 'queue_ns'),
        queueCpu: required(qCpu(r), t, 'queue_cpu'),
        queuePid: required(qPid(r), t, 'queue_pid'),
        queueComm: required(qComm(r), t, 'queue_comm'),
        xmit: x,
        xmitCpu: x === null ? null : required(xCpu(r), t, 'xmit_cpu'),
        freed:
          b === null
            ? null
            : {
                by: b,
                time: required(free(r), t, 'free_ns'),
                cpu: required(fCpu(r), t, 'free_cpu'),
                pid: null,
                comm: null,
                location: location(r),
                reason: reason(r),
              },
        status: required(status(r), t, 'status'),
        fate: required(fate(r), t, 'fate'),
        match: match(r),
      });
    }
  }
}
