import type { LostEvents } from '../core/lost.js';
import type { StringTable } from '../core/strings.js';
import type { EventBatch } from '../normalise/event-batch.js';
import { BatchView } from './batch-view.js';
import { countOutOfOrder, dispatch } from './dispatch.js';
import { growU8 } from './growable.js';
import { Receive, type ReceiveRows } from './receive.js';
import { RowChunks, type ChunkSink } from './row-chunks.js';
import type { OutColumnDef } from '../tables/column-def.js';
import { LostWindows } from './lost-windows.js';
import { DeviceClass } from './trust.js';
import { newAnomalies, newEvictions, newFlagged, type CorrelationStats } from './stats.js';
import {
  rxHunkColumns,
  rxIrqColumns,
  rxIrqEventColumns,
  rxNapiPollColumns,
  rxPacketColumns,
  txPacketColumns,
  type SourceTables,
} from '../tables/tables.js';
import { Transmit } from './transmit.js';

export interface CorrelatorOptions {
  /** Entries per matching list before the oldest is evicted: the reference's buffer_budget (65536). */
  budget?: number;
  /** Rows per emitted chunk (default 16384). */
  chunkRows?: number;
  /**
   * Pending receive state, across CPUs: IRQs plus their attached events in the IRQ lists, and events held
   * in open NET_RX softirqs, each at most this many (default 65536); past it the oldest is evicted and counted
   * in CorrelationStats.evictions. Real traces hold a handful; only IRQs that never exit or softirqs that
   * never end reach it.
   */
  pendingBudget?: number;
  /**
   * The input's lost-event records, as the decoder fills them (it may add some after the batches they concern
   * have been pushed): rows whose life a lost window overlaps are flagged (lost_near). Read at each push and at
   * finish.
   */
  lost?: LostEvents;
  /**
   * The events are the rest of a trace whose script has already met a softirq_entry: softirq_raise and
   * softirq_exit count from the first event on. Default false, as for the reference, which drops them until
   * the first softirq_entry (Receive.softirqNamesKnown). Hand-written test traces that start inside an IRQ.
   */
  softirqEntrySeen?: boolean;
  /**
   * The sink is done with a chunk when its call returns (the report, the summary): each table's arrays are
   * then filled again for its next chunk instead of new ones being allocated.
   */
  reuseChunks?: boolean;
}

export const DEFAULT_BUDGET = 65536;

/**
 * Replays the reference's handlers over the events in input order (its time sort is a no-op) and writes
 * rx_hunks, rx_irqs, rx_irq_events, rx_napi_polls, rx_packets and tx_packets as soon as each row is
 * final. One Correlator per input: the dictionaries of its batches (devices, comms, ...) must be shared.
 */
export class Correlator {
  private readonly budget: number;
  private readonly chunkRows: number;
  private state: { rx: Receive; tx: Transmit; tables: SourceTables; all: RowChunks[] } | undefined;
  private readonly anomalies = newAnomalies();
  private readonly evictions = newEvictions();
  private readonly flagged = newFlagged();
  private readonly lostWindows: LostWindows;
  private readonly devices = new DeviceClass();
  private readonly pendingBudget: number;
  private readonly softirqEntrySeen: boolean;
  private readonly reuseChunks: boolean;
  private events = 0;
  private skipped = 0;
  private outOfOrder = 0;
  /** Time words of the last event (int32 views). */
  private lastLo = 0;
  private lastHi = 0;
  /** netRxName[vecName id]: 1 when the name is NET_RX; ids below netRxSeen are filled in. */
  private netRxName = new Uint8Array(16);
  private netRxSeen = 0;
  private readonly view = new BatchView();
  private finished: CorrelationStats | undefined;

  constructor(
    private readonly sink: ChunkSink,
    options: CorrelatorOptions = {},
  ) {
    this.budget = options.budget ?? DEFAULT_BUDGET;
    this.chunkRows = options.chunkRows ?? 16384;
    this.pendingBudget = options.pendingBudget ?? DEFAULT_BUDGET;
    this.softirqEntrySeen = options.softirqEntrySeen ?? false;
    this.reuseChunks = options.reuseChunks ?? false;
    this.lostWindows = new LostWindows(options.lost);
    if (!(this.pendingBudget >= 1 && Number.isInteger(this.pendingBudget)))
      throw new RangeError(`pendingBudget must be a positive integer, not ${this.pendingBudget}`);
    if (!(this.budget >= 0 && Number.isInteger(this.budget)))
      throw new RangeError(`budget must be a non-negative integer, not ${this.budget}`);
    if (!(this.chunkRows >= 1 && Number.isInteger(this.chunkRows)))
      throw new RangeError(`chunkRows must be a positive integer, not ${this.chunkRows}`);
  }

  push(batch: EventBatch): void {
    if (this.finished) throw new Error('Correlator.push after finish');
    const { rx, tx } = this.stateFor(batch);
    const n = batch.length;
    const v = this.view;
    v.bind(batch);
    v.netRx = this.netRxNames(batch);
    this.devices.update(batch.dev.table.values);
    if (n > 0) {
      this.outOfOrder += countOutOfOrder(v.t, n, this.lastLo, this.lastHi);
      this.lastLo = v.t[2 * n - 2];
      this.lastHi = v.t[2 * n - 1];
    }
    // Lost records decoded so far flag rows from now on; the scan fixes their windows' starts (see LostWindows).
    this.lostWindows.scan(v.cpu, v.t, n);
    const skipped = dispatch(rx, tx, v, batch);
    this.skipped += skipped;
    this.events += n;
    rx.packets.writeRows();
    tx.writeRows();
    // A full chunk goes out now rather than on the next row of its table, which may never come.
    const all = this.state?.all ?? [];
    for (let t = 0; t < all.length; t++) all[t].flushIfFull();
  }

  /** netRx[id] of each vector name of the input: 1 for NET_RX. Names are looked at once, when first seen. */
  private netRxNames(b: EventBatch): Uint8Array {
    const names = b.vecName.table.values;
    if (names.length > this.netRxName.length) this.netRxName = growU8(this.netRxName, names.length);
    const netRx = this.netRxName;
    for (let id = this.netRxSeen; id < names.length; id++) netRx[id] = names[id] === 'NET_RX' ? 1 : 0;
    this.netRxSeen = names.length;
    return netRx;
  }

  /** Ends the input: flushes every pending row and returns the counters. Idempotent. */
  finish(): CorrelationStats {
    if (this.finished) return this.finished;
    const s = this.state;
    const debug = {
      txQueueRemain: s ? s.tx.queue.size : 0,
      txQueueOverflow: s ? s.tx.queue.overflow : 0,
      txXmitRemain: s ? s.tx.xmit.size : 0,
      txXmitOverflow: s ? s.tx.xmit.overflow : 0,
      rxRemain: s ? s.rx.packets.list.size : 0,
      rxOverflow: s ? s.rx.packets.list.overflow : 0,
    };
    const rows: Record<string, number> = {};
    this.lostWindows.finish();
    if (s) {
      s.rx.finish();
      s.rx.packets.writeRows();
      s.tx.finish();
      s.tx.writeRows();
      for (const t of s.all) {
        t.flush();
        rows[t.table] = t.emitted;
      }
    }
    this.finished = {
      events: this.events,
      skippedUnparsed: this.skipped,
      outOfOrderTimestamps: this.outOfOrder,
      debug,
      rows,
      hunks: s ? s.rx.hunks : 0,
      txComplete: s ? s.tx.complete : 0,
      anomalies: { ...this.anomalies },
      evictions: { ...this.evictions },
      flagged: { ...this.flagged },
    };
    return this.finished;
  }

  /** Records alive in the correlator's state: for tests that inputs built to grow it stay within the budgets. */
  live(): {
    irqs: number;
    irqEvents: number;
    heldSoftirqEvents: number;
    rxPackets: number;
    rxList: number;
    txQueue: number;
    txXmit: number;
  } {
    const s = this.state;
    if (!s) return { irqs: 0, irqEvents: 0, heldSoftirqEvents: 0, rxPackets: 0, rxList: 0, txQueue: 0, txXmit: 0 };
    return {
      irqs: s.rx.irqs.live,
      irqEvents: s.rx.irqs.liveEvents,
      heldSoftirqEvents: s.rx.heldEvents,
      rxPackets: s.rx.packets.live,
      rxList: s.rx.packets.list.size,
      txQueue: s.tx.queue.size,
      txXmit: s.tx.xmit.size,
    };
  }

  private stateFor(b: EventBatch): { rx: Receive; tx: Transmit } {
    const tables: SourceTables = {
      dev: b.dev.table,
      comm: b.raw.comms,
      irqName: b.irqName.table,
      location: b.location.table,
      reason: b.reason.table,
    };
    if (this.state) {
      if (!sameTables(this.state.tables, tables))
        throw new Error('Correlator: a batch from another input (its dictionaries differ)');
      return this.state;
    }
    const chunk = (name: string, defs: OutColumnDef[]): RowChunks =>
      new RowChunks(name, defs, this.chunkRows, this.sink, this.reuseChunks);
    const rows: ReceiveRows = {
      hunks: chunk('rx_hunks', rxHunkColumns()),
      irqs: chunk('rx_irqs', rxIrqColumns(tables)),
      irqEvents: chunk('rx_irq_events', rxIrqEventColumns(tables)),
      napiPolls: chunk('rx_napi_polls', rxNapiPollColumns(tables)),
      packets: chunk('rx_packets', rxPacketColumns(tables)),
    };
    const txRows = chunk('tx_packets', txPacketColumns(tables));
    const rx = new Receive(
      this.budget,
      rows,
      this.anomalies,
      this.pendingBudget,
      this.evictions,
      this.lostWindows,
      this.flagged,
      this.devices,
    );
    rx.softirqNamesKnown = this.softirqEntrySeen;
    const tx = new Transmit(this.budget, txRows, this.anomalies, this.lostWindows, this.flagged, this.devices);
    this.state = { rx, tx, tables, all: [rows.hunks, rows.irqs, rows.irqEvents, rows.napiPolls, rows.packets, txRows] };
    return this.state;
  }
}

function sameTables(a: SourceTables, b: SourceTables): boolean {
  const same = (x: StringTable, y: StringTable): boolean => x === y;
  return (
    same(a.dev, b.dev) &&
    same(a.comm, b.comm) &&
    same(a.irqName, b.irqName) &&
    same(a.location, b.location) &&
    same(a.reason, b.reason)
  );
}
