import { AddressList } from './address-list.js';
import type { BatchView } from './batch-view.js';
import { growI32, growPairs, growU8, IdAllocator } from './growable.js';
import { copyPair } from './irq-lists.js';
import { FreedById, TxStatusId } from './labels.js';
import type { RowChunks } from './row-chunks.js';
import type { Anomalies } from './stats.js';
import { Tx } from './tables.js';

/**
 * Transmit lifecycles: net_dev_queue puts an skb on the queue list; net_dev_xmit with rc 0 moves the
 * most recent queued entry of its address to the xmit list; consume_skb or kfree_skb of an xmit entry
 * completes it (the reference's tx_free_list, whose position is `report_order`); kfree_skb of a queued
 * entry ends it before transmission. Every lifecycle becomes a row when it ends, including the ones the
 * reference forgets: dropped, failed, evicted by the budget, or still pending at the end.
 */
export class Transmit {
  readonly queue: AddressList;
  readonly xmit: AddressList;
  private readonly ids = new IdAllocator();
  private skb = new Int32Array(0);
  private dev = new Int32Array(0);
  private len = new Int32Array(0);
  private queueT = new Int32Array(0);
  private queueCpu = new Int32Array(0);
  private queuePid = new Int32Array(0);
  private queueComm = new Int32Array(0);
  private hasXmit = new Uint8Array(0);
  private xmitT = new Int32Array(0);
  private xmitCpu = new Int32Array(0);
  private hasFail = new Uint8Array(0);
  private failRc = new Int32Array(0);
  private failT = new Int32Array(0);
  private hasFree = new Uint8Array(0);
  private freeT = new Int32Array(0);
  private freeCpu = new Int32Array(0);
  private freedBy = new Int32Array(0);
  private location = new Int32Array(0);
  private reason = new Int32Array(0);
  /** Next position in the reference's tx_free_list. */
  private completed = 0;

  constructor(budget: number, private readonly rows: RowChunks, private readonly anomalies: Anomalies) {
    this.queue = new AddressList(budget);
    this.xmit = new AddressList(budget);
  }

  get complete(): number {
    return this.completed;
  }

  netDevQueue(v: BatchView, i: number): void {
    const id = this.ids.alloc();
    if (id >= this.len.length) this.reserve(id + 1);
    const lo = v.skb[2 * i];
    const hi = v.skb[2 * i + 1];
    this.skb[2 * id] = lo;
    this.skb[2 * id + 1] = hi;
    this.dev[id] = v.dev[i];
    this.len[id] = v.len[i];
    copyPair(this.queueT, id, v.t, i);
    this.queueCpu[id] = v.cpu[i];
    this.queuePid[id] = v.tid[i];
    this.queueComm[id] = v.comm[i];
    this.hasXmit[id] = 0;
    this.hasFail[id] = 0;
    this.hasFree[id] = 0;
    const victim = this.queue.insert(lo, hi, id);
    if (victim >= 0) this.end(victim, TxStatusId.Evicted, true);
  }

  netDevXmit(v: BatchView, i: number): void {
    const lo = v.skb[2 * i];
    const hi = v.skb[2 * i + 1];
    const rc = v.rc[i];
    if (rc !== 0) {
      // The reference ignores it; the queued skb it was for remembers the failure.
      this.anomalies.xmitFailures++;
      const id = this.queue.peekNewest(lo, hi);
      if (id >= 0) {
        this.hasFail[id] = 1;
        this.failRc[id] = rc;
        copyPair(this.failT, id, v.t, i);
      }
      return;
    }
    const id = this.queue.takeNewest(lo, hi);
    if (id < 0) {
      this.anomalies.xmitWithoutQueue++;
      return;
    }
    this.hasXmit[id] = 1;
    copyPair(this.xmitT, id, v.t, i);
    this.xmitCpu[id] = v.cpu[i];
    const victim = this.xmit.insert(lo, hi, id);
    if (victim >= 0) this.end(victim, TxStatusId.Evicted, true);
  }

  /** kfree_skb: the queue list first, then the xmit list. False when neither holds the address. */
  kfreeSkb(v: BatchView, i: number): boolean {
    const lo = v.skb[2 * i];
    const hi = v.skb[2 * i + 1];
    let id = this.queue.takeNewest(lo, hi);
    if (id >= 0) {
      this.free(id, v, i, FreedById.KfreeSkb);
      this.end(id, TxStatusId.DroppedBeforeXmit, false);
      return true;
    }
    id = this.xmit.takeNewest(lo, hi);
    if (id < 0) return false;
    this.free(id, v, i, FreedById.KfreeSkb);
    this.end(id, TxStatusId.Complete, false);
    return true;
  }

  /** consume_skb: only the xmit list (a queued, untransmitted entry stays queued, as in the reference). */
  consumeSkb(v: BatchView, i: number): void {
    const lo = v.skb[2 * i];
    const hi = v.skb[2 * i + 1];
    const id = this.xmit.takeNewest(lo, hi);
    if (id < 0) {
      if (this.queue.peekNewest(lo, hi) >= 0) this.anomalies.consumeOfQueued++;
      return;
    }
    this.free(id, v, i, FreedById.ConsumeSkb);
    this.end(id, TxStatusId.Complete, false);
  }

  /** End of trace: what is still in either list was never (seen) freed. */
  finish(): void {
    for (let id = this.queue.takeOldest(); id >= 0; id = this.queue.takeOldest()) this.end(id, TxStatusId.NotFreed, false);
    for (let id = this.xmit.takeOldest(); id >= 0; id = this.xmit.takeOldest()) this.end(id, TxStatusId.NotFreed, false);
  }

  /** Lifecycles alive: for tests of boundedness. */
  get live(): number {
    return this.ids.live;
  }

  private free(id: number, v: BatchView, i: number, by: FreedById): void {
    this.hasFree[id] = 1;
    copyPair(this.freeT, id, v.t, i);
    this.freeCpu[id] = v.cpu[i];
    this.freedBy[id] = by;
    this.location[id] = by === FreedById.KfreeSkb ? v.location[i] : -1;
    this.reason[id] = by === FreedById.KfreeSkb ? v.reason[i] : -1;
  }

  /** Writes the row of a lifecycle that just ended and frees its record. */
  private end(id: number, how: TxStatusId, evicted: boolean): void {
    const rows = this.rows;
    const r = rows.row();
    let status = how;
    if (how === TxStatusId.Complete) rows.int(Tx.ReportOrder, r, this.completed++);
    else if (this.hasFail[id] && !this.hasXmit[id]) status = TxStatusId.XmitFailed;
    rows.dict(Tx.Status, r, status);
    rows.dict(Tx.Dev, r, this.dev[id]);
    rows.u64At(Tx.Skbaddr, r, this.skb, id);
    rows.int(Tx.Len, r, this.len[id]);
    rows.i64At(Tx.QueueNs, r, this.queueT, id);
    rows.int(Tx.QueueCpu, r, this.queueCpu[id]);
    rows.int(Tx.QueuePid, r, this.queuePid[id]);
    rows.dict(Tx.QueueComm, r, this.queueComm[id]);
    if (this.hasXmit[id]) {
      rows.i64At(Tx.XmitNs, r, this.xmitT, id);
      rows.int(Tx.XmitCpu, r, this.xmitCpu[id]);
      rows.i64Diff(Tx.QdiscNs, r, this.xmitT, id, this.queueT, id);
    }
    if (this.hasFail[id]) {
      rows.int(Tx.FailedXmitRc, r, this.failRc[id]);
      rows.i64At(Tx.FailedXmitNs, r, this.failT, id);
    }
    if (this.hasFree[id]) {
      rows.i64At(Tx.FreeNs, r, this.freeT, id);
      rows.int(Tx.FreeCpu, r, this.freeCpu[id]);
      rows.dict(Tx.FreedBy, r, this.freedBy[id]);
      rows.dict(Tx.KfreeLocation, r, this.location[id]);
      rows.dict(Tx.KfreeReason, r, this.reason[id]);
      if (this.hasXmit[id]) rows.i64Diff(Tx.DeviceNs, r, this.freeT, id, this.xmitT, id);
    }
    rows.int(Tx.Evicted, r, evicted ? 1 : 0);
    this.ids.release(id);
  }

  private reserve(n: number): void {
    this.skb = growPairs(this.skb, n);
    this.dev = growI32(this.dev, n);
    this.len = growI32(this.len, n);
    this.queueT = growPairs(this.queueT, n);
    this.queueCpu = growI32(this.queueCpu, n);
    this.queuePid = growI32(this.queuePid, n);
    this.queueComm = growI32(this.queueComm, n);
    this.hasXmit = growU8(this.hasXmit, n);
    this.xmitT = growPairs(this.xmitT, n);
    this.xmitCpu = growI32(this.xmitCpu, n);
    this.hasFail = growU8(this.hasFail, n);
    this.failRc = growI32(this.failRc, n);
    this.failT = growPairs(this.failT, n);
    this.hasFree = growU8(this.hasFree, n);
    this.freeT = growPairs(this.freeT, n);
    this.freeCpu = growI32(this.freeCpu, n);
    this.freedBy = growI32(this.freedBy, n);
    this.location = growI32(this.location, n);
    this.reason = growI32(this.reason, n);
  }
}
