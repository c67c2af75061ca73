import { AddressList } from './address-list.js';
import type { BatchView } from './batch-view.js';
import { growI32, growPairs, growU8, IdAllocator } from './growable.js';
import { copyPair } from './irq-lists.js';
import { FateId, FateWhyId, FreedById, MatchId, TxStatusId } from '../tables/labels.js';
import { pairBelow, pairToNumber, type LostWindows } from './lost-windows.js';
import type { DeviceClass } from './trust.js';
import { Fill, fillSpec, PendingRows, type FillSpec, type RowChunks } from './row-chunks.js';
import type { Anomalies, Flagged } from './stats.js';
import { Tx } from '../tables/tables.js';

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
  /** Bits of what a lifecycle saw (Seen.*): they select the columns its row fills. */
  private seen = new Uint8Array(0);
  private xmitT = new Int32Array(0);
  private xmitCpu = new Int32Array(0);
  private failRc = new Int32Array(0);
  private failT = new Int32Array(0);
  private freeT = new Int32Array(0);
  private freeCpu = new Int32Array(0);
  private freedBy = new Int32Array(0);
  private location = new Int32Array(0);
  private reason = new Int32Array(0);
  /** Set when the lifecycle ends: its row's status, report_order (Complete only) and evicted. */
  private status = new Int32Array(0);
  private order = new Int32Array(0);
  private evicted = new Int32Array(0);
  /** Set when the lifecycle ends, from what it saw (issue 15): fate, fate_why, match (-1: null), lost_near, time_backwards. */
  private fate = new Int32Array(0);
  private why = new Int32Array(0);
  private match = new Int32Array(0);
  private lostNear = new Int32Array(0);
  private timeBack = new Int32Array(0);
  /** Time of the first event that ended what can be known of an unfreed lifecycle (Seen.Gone): its end for lost_near. */
  private goneT = new Int32Array(0);
  /** 1 when the free was a kfree_skb (the fate is dropped). */
  private kfreed = new Uint8Array(0);
  /** Next position in the reference's tx_free_list. */
  private completed = 0;
  /** Ended lifecycles whose rows are not written yet; their records stay allocated until then. */
  private readonly pending: PendingRows;
  /** How each tx_packets column is filled from the arrays above (made again when they grow). */
  private specs: FillSpec[] = [];

  constructor(
    budget: number,
    private readonly rows: RowChunks,
    private readonly anomalies: Anomalies,
    private readonly lost: LostWindows,
    private readonly flagged: Flagged,
    private readonly devices: DeviceClass,
  ) {
    this.queue = new AddressList(budget);
    this.xmit = new AddressList(budget);
    this.pending = new PendingRows(rows);
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
    this.seen[id] = 0;
    // The address starts a new lifecycle: the newest older one of it (older ones were marked when it began)
    // either left through this other device (a stacked device queues the same skb again before its own xmit)
    // or, on the same device, was freed without a tracepoint; a free matched to it later is address reuse.
    const queued = this.queue.peekNewest(lo, hi);
    if (queued >= 0) this.mark(queued, this.dev[queued] === this.dev[id] ? Seen.Superseded : Seen.OtherDev, v, i);
    const sent = this.xmit.peekNewest(lo, hi);
    if (sent >= 0) this.mark(sent, this.dev[sent] === this.dev[id] ? Seen.Superseded : Seen.OtherDev, v, i);
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
        this.seen[id] |= Seen.Fail;
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
    this.seen[id] |= Seen.Xmit;
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

  /** consume_skb: only the xmit list (a queued, untransmitted entry stays queued, as in the reference). False when it matched none. */
  consumeSkb(v: BatchView, i: number): boolean {
    const lo = v.skb[2 * i];
    const hi = v.skb[2 * i + 1];
    const id = this.xmit.takeNewest(lo, hi);
    if (id < 0) {
      if (this.queue.peekNewest(lo, hi) >= 0) this.anomalies.consumeOfQueued++;
      return false;
    }
    this.free(id, v, i, FreedById.ConsumeSkb);
    this.end(id, TxStatusId.Complete, false);
    return true;
  }

  /**
   * skb_copy_datagram_iovec (the receive side matches it as the reference does): a transmitted lifecycle of the
   * address reached a socket, the loopback path. Looked at, never taken: the reference's lists stay as they are.
   */
  noteDelivered(v: BatchView, i: number): void {
    const id = this.xmit.peekNewest(v.skb[2 * i], v.skb[2 * i + 1]);
    if (id < 0 || (this.seen[id] & (Seen.Superseded | Seen.Delivered)) !== 0) return;
    // Too long after its transmit on loopback to be this packet: its address was reused (see trust.ts).
    const far = this.devices.tooFar(this.dev[id], pairToNumber(v.t, i) - pairToNumber(this.xmitT, id));
    this.mark(id, far ? Seen.Superseded : Seen.Delivered, v, i);
  }

  /** Sets `bit` on lifecycle id; the first such mark's time (event i) ends what can be known of it. */
  private mark(id: number, bit: Seen, v: BatchView, i: number): void {
    if ((this.seen[id] & Seen.Gone) === 0) copyPair(this.goneT, id, v.t, i);
    this.seen[id] |= bit | Seen.Gone;
  }

  /** End of trace: what is still in either list was never (seen) freed. */
  finish(): void {
    this.endAll(this.queue);
    this.endAll(this.xmit);
  }

  /** One loop for both lists: the second call runs the code the first one's loop was optimized to. */
  private endAll(list: AddressList): void {
    for (let id = list.takeOldest(); id >= 0; id = list.takeOldest()) this.end(id, TxStatusId.NotFreed, false);
  }

  /** Lifecycles alive: for tests of boundedness. */
  get live(): number {
    return this.ids.live;
  }

  private free(id: number, v: BatchView, i: number, by: FreedById): void {
    this.seen[id] |= Seen.Free;
    copyPair(this.freeT, id, v.t, i);
    this.freeCpu[id] = v.cpu[i];
    this.freedBy[id] = by;
    this.kfreed[id] = by === FreedById.KfreeSkb ? 1 : 0;
    this.location[id] = by === FreedById.KfreeSkb ? v.location[i] : -1;
    this.reason[id] = by === FreedById.KfreeSkb ? v.reason[i] : -1;
  }

  /**
   * A lifecycle just ended: its row is queued, to be written with the others of this batch. When the
   * chunk has no room left for it, the queued rows are written and the chunk handed over first, at the
   * same point where writing row by row would hand it over.
   */
  private end(id: number, how: TxStatusId, evicted: boolean): void {
    const pending = this.pending;
    if (pending.count === this.rows.room()) this.writeRowsAndFlush();
    let status = how;
    if (how === TxStatusId.Complete) {
      this.seen[id] |= Seen.Complete;
      this.order[id] = this.completed++;
    } else if ((this.seen[id] & Seen.Fail) !== 0 && (this.seen[id] & Seen.Xmit) === 0) {
      status = TxStatusId.XmitFailed;
    }
    this.status[id] = status;
    this.evicted[id] = evicted ? 1 : 0;
    this.judge(id, evicted);
    pending.add(id);
  }

  /**
   * The row's fate, fate_why, match, lost_near and time_backwards, from what the lifecycle saw (the columns'
   * descriptions in schemas/tx_packets.json and docs/summary.md say what each means).
   */
  private judge(id: number, evicted: boolean): void {
    const seen = this.seen[id];
    const freed = (seen & Seen.Free) !== 0;
    const sent = (seen & Seen.Xmit) !== 0;
    const lost = this.lost;
    const end = freed
      ? pairToNumber(this.freeT, id)
      : (seen & Seen.Gone) !== 0
        ? pairToNumber(this.goneT, id)
        : Infinity;
    const near = !lost.empty && lost.overlapsAny(pairToNumber(this.queueT, id), end);
    this.lostNear[id] = near ? 1 : 0;
    if (near) this.flagged.txLostNear++;
    let fate: FateId = FateId.NotObserved;
    let why = -1;
    if (freed && this.kfreed[id] === 1) fate = FateId.Dropped;
    else if ((seen & Seen.Delivered) !== 0) fate = FateId.Delivered;
    else if (freed) fate = FateId.Consumed;
    else if (near) why = FateWhyId.EventsLost;
    else if ((seen & Seen.OtherDev) !== 0) why = FateWhyId.OtherDevice;
    else if ((seen & Seen.Superseded) !== 0) why = FateWhyId.AddressReused;
    else why = evicted ? FateWhyId.Evicted : FateWhyId.TraceEnded;
    this.fate[id] = fate;
    this.why[id] = why;
    let match = -1;
    if (freed) {
      // A newer lifecycle of the address began before the free, or the free is too late for loopback.
      const since = pairToNumber(this.freeT, id) - pairToNumber(sent ? this.xmitT : this.queueT, id);
      const reused = (seen & Seen.Superseded) !== 0 || this.devices.tooFar(this.dev[id], since);
      match = reused ? MatchId.AddressReuseSuspect : MatchId.Direct;
      if (reused) this.flagged.txAddressReuseSuspect++;
    }
    this.match[id] = match;
    // A negative latency is kept (the reference prints it) but flagged: the input's time went backwards.
    const back =
      (sent && pairBelow(this.xmitT, id, this.queueT, id)) ||
      (freed && sent && pairBelow(this.freeT, id, this.xmitT, id)) ||
      (freed && !sent && pairBelow(this.freeT, id, this.queueT, id));
    this.timeBack[id] = back ? 1 : 0;
    if (back) this.flagged.txTimeBackwards++;
  }

  /** Writes the queued rows, column by column, and frees their records. */
  writeRows(): void {
    this.pending.write(this.specs, this.seen, this.ids);
  }

  private writeRowsAndFlush(): void {
    this.writeRows();
    this.rows.flush();
  }

  private reserve(n: number): void {
    this.skb = growPairs(this.skb, n);
    this.dev = growI32(this.dev, n);
    this.len = growI32(this.len, n);
    this.queueT = growPairs(this.queueT, n);
    this.queueCpu = growI32(this.queueCpu, n);
    this.queuePid = growI32(this.queuePid, n);
    this.queueComm = growI32(this.queueComm, n);
    this.seen = growU8(this.seen, n);
    this.xmitT = growPairs(this.xmitT, n);
    this.xmitCpu = growI32(this.xmitCpu, n);
    this.failRc = growI32(this.failRc, n);
    this.failT = growPairs(this.failT, n);
    this.freeT = growPairs(this.freeT, n);
    this.freeCpu = growI32(this.freeCpu, n);
    this.freedBy = growI32(this.freedBy, n);
    this.location = growI32(this.location, n);
    this.reason = growI32(this.reason, n);
    this.status = growI32(this.status, n);
    this.order = growI32(this.order, n);
    this.evicted = growI32(this.evicted, n);
    this.fate = growI32(this.fate, n);
    this.why = growI32(this.why, n);
    this.match = growI32(this.match, n);
    this.lostNear = growI32(this.lostNear, n);
    this.timeBack = growI32(this.timeBack, n);
    this.goneT = growPairs(this.goneT, n);
    this.kfreed = growU8(this.kfreed, n);
    this.specs = this.fillSpecs();
  }

  private fillSpecs(): FillSpec[] {
    return [
      fillSpec(Tx.ReportOrder, Fill.Int, this.order, Seen.Complete),
      fillSpec(Tx.Status, Fill.Dict, this.status, 0),
      fillSpec(Tx.Dev, Fill.Dict, this.dev, 0),
      fillSpec(Tx.Skbaddr, Fill.Pair, this.skb, 0),
      fillSpec(Tx.Len, Fill.Int, this.len, 0),
      fillSpec(Tx.QueueNs, Fill.Pair, this.queueT, 0),
      fillSpec(Tx.QueueCpu, Fill.Int, this.queueCpu, 0),
      fillSpec(Tx.QueuePid, Fill.Int, this.queuePid, 0),
      fillSpec(Tx.QueueComm, Fill.Dict, this.queueComm, 0),
      fillSpec(Tx.XmitNs, Fill.Pair, this.xmitT, Seen.Xmit),
      fillSpec(Tx.XmitCpu, Fill.Int, this.xmitCpu, Seen.Xmit),
      fillSpec(Tx.QdiscNs, Fill.Diff, this.xmitT, Seen.Xmit, this.queueT),
      fillSpec(Tx.FailedXmitRc, Fill.Int, this.failRc, Seen.Fail),
      fillSpec(Tx.FailedXmitNs, Fill.Pair, this.failT, Seen.Fail),
      fillSpec(Tx.FreeNs, Fill.Pair, this.freeT, Seen.Free),
      fillSpec(Tx.FreeCpu, Fill.Int, this.freeCpu, Seen.Free),
      fillSpec(Tx.FreedBy, Fill.Dict, this.freedBy, Seen.Free),
      fillSpec(Tx.KfreeLocation, Fill.Dict, this.location, Seen.Free),
      fillSpec(Tx.KfreeReason, Fill.Dict, this.reason, Seen.Free),
      fillSpec(Tx.DeviceNs, Fill.Diff, this.freeT, Seen.Free | Seen.Xmit, this.xmitT),
      fillSpec(Tx.Evicted, Fill.Int, this.evicted, 0),
      fillSpec(Tx.Fate, Fill.Dict, this.fate, 0),
      fillSpec(Tx.FateWhy, Fill.Dict, this.why, 0),
      fillSpec(Tx.Match, Fill.Dict, this.match, 0),
      fillSpec(Tx.LostNear, Fill.Int, this.lostNear, 0),
      fillSpec(Tx.TimeBackwards, Fill.Int, this.timeBack, 0),
    ];
  }
}

/** What a transmit lifecycle saw, as bits of Transmit.seen. */
const enum Seen {
  Xmit = 1,
  Fail = 2,
  Free = 4,
  Complete = 8,
  /** An skb_copy_datagram_iovec of its address came while it was transmitted (loopback: it reached a socket). */
  Delivered = 16,
  /** Its address was queued again on its device before it was freed: a later free of it is address reuse. */
  Superseded = 32,
  /** Its address was queued on another device while it was pending: it left through that one. */
  OtherDev = 64,
  /** One of the three above was set: goneT holds when. */
  Gone = 128,
}
