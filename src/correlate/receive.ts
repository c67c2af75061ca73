import type { BatchView } from './batch-view.js';
import { growI32, growPairs, growU8, IdAllocator } from './growable.js';
import { copyPair, IrqLists, MAX_CPUS } from './irq-lists.js';
import { HandledById, IrqEventId } from '../tables/labels.js';
import type { RowChunks } from './row-chunks.js';
import { RxPackets } from './rx-packets.js';
import { pairToNumber, type LostWindows } from './lost-windows.js';
import type { DeviceClass } from './trust.js';
import type { Anomalies, Flagged, PendingEvictions } from './stats.js';
import { Hunk, Napi } from '../tables/tables.js';

/** Output tables of the receive side. */
export interface ReceiveRows {
  hunks: RowChunks;
  irqs: RowChunks;
  irqEvents: RowChunks;
  napiPolls: RowChunks;
  packets: RowChunks;
}

/**
 * The receive half of the reference: per-CPU NET_RX softirqs (net_rx_dic) collecting napi_poll and
 * netif_receive_skb events, closed into hunks with the CPU's IRQ list. A hunk's event list is an array
 * per CPU of packet ids (2 * id) and napi poll ids (2 * id + 1) in event order.
 *
 * Bounded: a softirq that never exits would hold its events forever. At most `pendingBudget` events are held
 * in open softirqs across CPUs; past it the softirq opened first is given up like a re-entered one (its napi
 * polls dropped, its packets written with no hunk) and counted in `evictions`.
 */
export class Receive {
  readonly irqs: IrqLists;
  readonly packets: RxPackets;
  /**
   * Whether a softirq_entry has been met. The reference tests softirq_raise and softirq_exit with
   * symbol_str("irq__softirq_entry", "vec", vec), and perf defines that event's symbols only when the first
   * softirq_entry sample reaches the script: until then symbol_str is "" and the reference drops them. Seldom
   * seen in a whole trace, it is in a filtered one: `--time` starting inside a NET_RX IRQ loses its raise.
   */
  softirqNamesKnown = false;
  private open = new Uint8Array(0);
  private entryT = new Int32Array(0);
  private events: number[][] = [];
  /** Events held in all open softirqs (sum of events[cpu].length). */
  private held = 0;
  /** Open softirqs chained in order of entry (by CPU), for eviction of the oldest. */
  private olderOpen = new Int32Array(0);
  private newerOpen = new Int32Array(0);
  private oldestOpen = -1;
  private newestOpen = -1;
  private nextHunk = 0;
  /** Scratch: the base time of the hunk being closed. */
  private readonly base = new Int32Array(2);

  private readonly napiIds = new IdAllocator();
  private napiT = new Int32Array(0);
  private napiDev = new Int32Array(0);
  private napiAddr = new Int32Array(0);
  private napiWork = new Int32Array(0);
  private napiBudget = new Int32Array(0);
  /** Bit 0: work valid, bit 1: budget valid (older kernels print neither). */
  private napiValid = new Uint8Array(0);

  constructor(
    budget: number,
    private readonly rows: ReceiveRows,
    private readonly anomalies: Anomalies,
    private readonly pendingBudget: number,
    private readonly evictions: PendingEvictions,
    private readonly lost: LostWindows,
    private readonly flagged: Flagged,
    devices: DeviceClass,
  ) {
    this.irqs = new IrqLists(anomalies, pendingBudget, evictions);
    this.packets = new RxPackets(budget, rows.packets, lost, flagged, devices);
  }

  get hunks(): number {
    return this.nextHunk;
  }

  irqEntry(v: BatchView, i: number): void {
    this.irqs.entry(v, i);
  }

  irqExit(v: BatchView, i: number): void {
    this.irqs.exit(v, i);
  }

  softirqRaise(v: BatchView, i: number): void {
    this.irqs.event(v, i, IrqEventId.SoftirqRaise);
  }

  netifRx(v: BatchView, i: number): void {
    this.irqs.event(v, i, IrqEventId.NetifRx);
  }

  /** NET_RX softirq_entry: (re)opens the CPU's softirq; an open one is thrown away, as in the reference. */
  softirqEntry(v: BatchView, i: number): void {
    const cpu = v.cpu[i];
    if (cpu >= MAX_CPUS) {
      this.anomalies.cpuOutOfRange++;
      return;
    }
    if (cpu >= this.open.length) this.reserveCpu(cpu + 1);
    if (this.open[cpu]) {
      this.anomalies.softirqReentered++;
      this.discardEvents(cpu);
      this.unlinkOpen(cpu);
    }
    this.open[cpu] = 1;
    this.linkOpen(cpu);
    copyPair(this.entryT, cpu, v.t, i);
  }

  /** NET_RX softirq_exit: a hunk if the CPU had IRQs and an open softirq; either way both are gone after. */
  softirqExit(v: BatchView, i: number): void {
    const cpu = v.cpu[i];
    const irqs = this.irqs.takeList(cpu);
    const isOpen = cpu < this.open.length && this.open[cpu] === 1;
    if (!isOpen || irqs.length === 0) {
      if (!isOpen) this.anomalies.softirqExitWithoutEntry++;
      else this.anomalies.softirqsWithoutIrq++;
      for (let k = 0; k < irqs.length; k++) this.irqs.discard(irqs[k]);
      if (isOpen) {
        this.discardEvents(cpu);
        this.open[cpu] = 0;
        this.unlinkOpen(cpu);
      }
      return;
    }
    this.open[cpu] = 0;
    this.unlinkOpen(cpu);
    const hunkId = this.nextHunk++;
    const rows = this.rows;
    this.irqs.copyEntryTime(irqs[0], this.base, 0);
    let irqEvents = 0;
    for (let k = 0; k < irqs.length; k++) {
      irqEvents += this.irqs.writeRows(irqs[k], hunkId, k, rows.irqs, rows.irqEvents);
      this.irqs.discard(irqs[k]);
    }
    const events = this.events[cpu];
    let polls = 0;
    for (let k = 0; k < events.length; k++) {
      const e = events[k];
      if (e & 1) {
        this.writeNapi(e >>> 1, hunkId, k);
        polls++;
      } else {
        this.packets.decide(e >>> 1, hunkId, k, this.base, 0);
      }
    }
    const r = rows.hunks.row();
    rows.hunks.int(Hunk.HunkId, r, hunkId);
    // The reference prints the first IRQ's CPU; lists are per CPU, so it is this one.
    rows.hunks.int(Hunk.Cpu, r, this.irqs.cpu(irqs[0]));
    rows.hunks.i64At(Hunk.BaseNs, r, this.base, 0);
    rows.hunks.i64At(Hunk.SoftirqEntryNs, r, this.entryT, cpu);
    rows.hunks.i64At(Hunk.SoftirqExitNs, r, v.t, i);
    rows.hunks.int(Hunk.IrqCount, r, irqs.length);
    rows.hunks.int(Hunk.IrqEventCount, r, irqEvents);
    rows.hunks.int(Hunk.NapiPollCount, r, polls);
    rows.hunks.int(Hunk.PacketCount, r, events.length - polls);
    // Lost events of this CPU inside the hunk's span: some of its IRQs, polls or packets may be missing.
    const near = !this.lost.empty && this.lost.overlapsCpu(cpu, pairToNumber(this.base, 0), pairToNumber(v.t, i));
    rows.hunks.int(Hunk.LostNear, r, near ? 1 : 0);
    if (near) this.flagged.hunksLostNear++;
    this.held -= events.length;
    events.length = 0;
  }

  napiPoll(v: BatchView, i: number): void {
    const cpu = v.cpu[i];
    if (this.held >= this.pendingBudget) this.evictOpen();
    if (cpu >= this.open.length || this.open[cpu] === 0) {
      this.anomalies.napiPollOutsideSoftirq++;
      return;
    }
    const id = this.napiIds.alloc();
    if (id >= this.napiWork.length) this.reserveNapi(id + 1);
    copyPair(this.napiT, id, v.t, i);
    this.napiDev[id] = v.dev[i];
    copyPair(this.napiAddr, id, v.napi, i);
    this.napiWork[id] = v.work[i];
    this.napiBudget[id] = v.budget[i];
    this.napiValid[id] = v.workValid[i] | (v.budgetValid[i] << 1);
    this.events[cpu].push(2 * id + 1);
    this.held++;
  }

  netifReceiveSkb(v: BatchView, i: number): void {
    const cpu = v.cpu[i];
    if (this.held >= this.pendingBudget) this.evictOpen();
    if (cpu >= this.open.length || this.open[cpu] === 0) {
      this.anomalies.receiveOutsideSoftirq++;
      return;
    }
    this.events[cpu].push(2 * this.packets.receive(v, i));
    this.held++;
  }

  skbCopyDatagramIovec(v: BatchView, i: number): void {
    this.packets.handle(v, i, HandledById.SkbCopyDatagramIovec);
  }

  /** kfree_skb that matched no transmit: the receive list's turn. */
  kfreeSkb(v: BatchView, i: number): void {
    this.packets.handle(v, i, HandledById.KfreeSkb);
  }

  /** End of trace: open softirqs are not hunks (the reference never closes them); unmatched packets stay so. */
  finish(): void {
    for (let cpu = 0; cpu < this.open.length; cpu++) {
      if (this.open[cpu]) this.discardEvents(cpu);
      this.open[cpu] = 0;
    }
    this.oldestOpen = this.newestOpen = -1;
    this.packets.finish();
  }

  /** Events held in open softirqs: for tests of boundedness. */
  get heldEvents(): number {
    return this.held;
  }

  /** Gives up the softirq opened first (the budget of held events is reached): not a hunk, counted. */
  private evictOpen(): void {
    while (this.held >= this.pendingBudget && this.oldestOpen >= 0) {
      const cpu = this.oldestOpen;
      this.evictions.softirqs++;
      this.evictions.softirqEvents += this.events[cpu].length;
      this.discardEvents(cpu);
      this.open[cpu] = 0;
      this.unlinkOpen(cpu);
    }
  }

  private linkOpen(cpu: number): void {
    this.olderOpen[cpu] = this.newestOpen;
    this.newerOpen[cpu] = -1;
    if (this.newestOpen >= 0) this.newerOpen[this.newestOpen] = cpu;
    else this.oldestOpen = cpu;
    this.newestOpen = cpu;
  }

  private unlinkOpen(cpu: number): void {
    const n = this.newerOpen[cpu];
    const o = this.olderOpen[cpu];
    if (n >= 0) this.olderOpen[n] = o;
    else this.newestOpen = o;
    if (o >= 0) this.newerOpen[o] = n;
    else this.oldestOpen = n;
  }

  /** A softirq that will not be a hunk: its napi polls are dropped, its packets become hunk-less. */
  private discardEvents(cpu: number): void {
    const events = this.events[cpu];
    for (let k = 0; k < events.length; k++) {
      const e = events[k];
      if (e & 1) this.napiIds.release(e >>> 1);
      else this.packets.decide(e >>> 1, -1, -1, this.base, 0);
    }
    this.held -= events.length;
    events.length = 0;
  }

  private writeNapi(id: number, hunkId: number, eventIndex: number): void {
    const rows = this.rows.napiPolls;
    const r = rows.row();
    rows.int(Napi.HunkId, r, hunkId);
    rows.int(Napi.EventIndex, r, eventIndex);
    rows.i64At(Napi.TimeNs, r, this.napiT, id);
    rows.dict(Napi.Dev, r, this.napiDev[id]);
    rows.u64At(Napi.Napi, r, this.napiAddr, id);
    if (this.napiValid[id] & 1) rows.int(Napi.Work, r, this.napiWork[id]);
    if (this.napiValid[id] & 2) rows.int(Napi.Budget, r, this.napiBudget[id]);
    this.napiIds.release(id);
  }

  private reserveCpu(n: number): void {
    this.open = growU8(this.open, n);
    this.entryT = growPairs(this.entryT, n);
    this.olderOpen = growI32(this.olderOpen, this.open.length);
    this.newerOpen = growI32(this.newerOpen, this.open.length);
    while (this.events.length < this.open.length) this.events.push([]);
  }

  private reserveNapi(n: number): void {
    this.napiT = growPairs(this.napiT, n);
    this.napiDev = growI32(this.napiDev, n);
    this.napiAddr = growPairs(this.napiAddr, n);
    this.napiWork = growI32(this.napiWork, n);
    this.napiBudget = growI32(this.napiBudget, n);
    this.napiValid = growU8(this.napiValid, n);
  }
}
