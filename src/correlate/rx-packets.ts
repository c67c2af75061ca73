import { AddressList } from './address-list.js';
import type { BatchView } from './batch-view.js';
import { growI32, growPairs, growU8, IdAllocator } from './growable.js';
import { copyPair } from './irq-lists.js';
import { FateId, FateWhyId, HandledById, MatchId } from '../tables/labels.js';
import { pairBelow, pairToNumber, type LostWindows } from './lost-windows.js';
import type { Flagged } from './stats.js';
import type { DeviceClass } from './trust.js';
import { Fill, fillSpec, PendingRows, type FillSpec, type RowChunks } from './row-chunks.js';
import { Rx } from '../tables/tables.js';

/**
 * Received packets: every netif_receive_skb the reference records (those inside a NET_RX softirq of
 * their CPU), matched later by address, most recent first, to skb_copy_datagram_iovec or kfree_skb.
 * A row is final once two things are known: the packet's fate (matched, evicted by the budget, or the
 * trace ended) and its softirq's fate (kept as hunk `hunkId` at event `eventIndex`, or not a hunk).
 * Whichever comes second queues the row; queued rows are written column-wise once per input batch
 * (writeRows), which frees their records, so only undecided packets stay in memory.
 */
export class RxPackets {
  readonly list: AddressList;
  private readonly ids = new IdAllocator();
  private skb = new Int32Array(0);
  private len = new Int32Array(0);
  private dev = new Int32Array(0);
  private cpu = new Int32Array(0);
  private t = new Int32Array(0);
  /** 1 once the softirq of the packet has closed (or was discarded). */
  private decided = new Uint8Array(0);
  private hunkId = new Int32Array(0);
  private eventIndex = new Int32Array(0);
  private baseT = new Int32Array(0);
  /** 1 once matched, evicted or left over at the end. */
  private resolved = new Uint8Array(0);
  private evicted = new Int32Array(0);
  /** Bits of what the packet saw (Seen.*): they select the columns its row fills. */
  private seen = new Uint8Array(0);
  private handledBy = new Int32Array(0);
  private handledT = new Int32Array(0);
  private handledCpu = new Int32Array(0);
  private handledPid = new Int32Array(0);
  private handledComm = new Int32Array(0);
  private location = new Int32Array(0);
  private reason = new Int32Array(0);
  /** Set when the row is final, from what the packet saw (issue 15): fate, fate_why, match (-1: null), lost_near, time_backwards. */
  private fate = new Int32Array(0);
  private why = new Int32Array(0);
  private match = new Int32Array(0);
  private lostNear = new Int32Array(0);
  private timeBack = new Int32Array(0);
  /** Time of the first event that ended what can be known of an unmatched packet (Seen.Gone): its end for lost_near. */
  private goneT = new Int32Array(0);
  /** 1 when the match was a kfree_skb (the fate is dropped). */
  private kfreed = new Uint8Array(0);

  /** Packets whose rows are final but not written yet. */
  private readonly pending: PendingRows;
  /** How each rx_packets column is filled from the arrays above (made again when they grow). */
  private specs: FillSpec[] = [];

  constructor(
    budget: number,
    private readonly rows: RowChunks,
    private readonly lost: LostWindows,
    private readonly flagged: Flagged,
    private readonly devices: DeviceClass,
  ) {
    this.list = new AddressList(budget);
    this.pending = new PendingRows(rows);
  }

  /** Records netif_receive_skb event i and returns the packet's id (its entry in the hunk's event list). */
  receive(v: BatchView, i: number): number {
    const id = this.ids.alloc();
    if (id >= this.len.length) this.reserve(id + 1);
    const lo = v.skb[2 * i];
    const hi = v.skb[2 * i + 1];
    this.skb[2 * id] = lo;
    this.skb[2 * id + 1] = hi;
    this.len[id] = v.len[i];
    this.dev[id] = v.dev[i];
    this.cpu[id] = v.cpu[i];
    copyPair(this.t, id, v.t, i);
    this.decided[id] = 0;
    this.resolved[id] = 0;
    this.evicted[id] = 0;
    this.seen[id] = 0;
    // Received again while the older packet of the address waits: that one was freed without a tracepoint,
    // so whatever the reference matches to it later belongs to a newer packet.
    const older = this.list.peekNewest(lo, hi);
    if (older >= 0) this.mark(older, Seen.Superseded, v, i);
    const victim = this.list.insert(lo, hi, id);
    if (victim >= 0) {
      this.evicted[victim] = 1;
      this.resolve(victim);
    }
    return id;
  }

  /** skb_copy_datagram_iovec or (after the transmit lists) kfree_skb: true when a received packet matched. */
  handle(v: BatchView, i: number, by: HandledById): boolean {
    const id = this.list.takeNewest(v.skb[2 * i], v.skb[2 * i + 1]);
    if (id < 0) return false;
    this.handledBy[id] = by;
    this.kfreed[id] = by === HandledById.KfreeSkb ? 1 : 0;
    this.seen[id] |= Seen.Handled;
    copyPair(this.handledT, id, v.t, i);
    this.handledCpu[id] = v.cpu[i];
    this.handledPid[id] = v.tid[i];
    this.handledComm[id] = v.comm[i];
    this.location[id] = by === HandledById.KfreeSkb ? v.location[i] : -1;
    this.reason[id] = by === HandledById.KfreeSkb ? v.reason[i] : -1;
    this.resolve(id);
    return true;
  }

  /**
   * net_dev_queue of an address: a pending packet of it was forwarded (another device) or, on its own device,
   * freed untraced and its address reused (the loopback path queues new skbs on lo). Looked at, never taken.
   */
  noteQueued(v: BatchView, i: number): void {
    const id = this.list.peekNewest(v.skb[2 * i], v.skb[2 * i + 1]);
    if (id >= 0) this.mark(id, this.dev[id] === v.dev[i] ? Seen.Superseded : Seen.OtherDev, v, i);
  }

  /**
   * consume_skb or kfree_skb of an address: `inTx` when the reference matched it to a transmit lifecycle (on
   * loopback the same skb is in both tables; its fate is counted once, on the tx_packets row), else a
   * consume_skb the reference ignores (it never matches received packets to consume_skb): the packet was
   * consumed. Only a packet with no end seen yet is marked; the reference's list is left as it is.
   */
  noteFreed(v: BatchView, i: number, inTx: boolean): void {
    const id = this.list.peekNewest(v.skb[2 * i], v.skb[2 * i + 1]);
    if (id < 0 || (this.seen[id] & (Seen.Superseded | Seen.FateInTx | Seen.Consumed)) !== 0) return;
    // Too long after its receive on loopback to be this packet: its address was reused (see trust.ts).
    const far = this.devices.tooFar(this.dev[id], pairToNumber(v.t, i) - pairToNumber(this.t, id));
    this.mark(id, far ? Seen.Superseded : inTx ? Seen.FateInTx : Seen.Consumed, v, i);
  }

  /** Sets `bit` on packet id; the first such mark's time (event i) ends what can be known of it. */
  private mark(id: number, bit: Seen, v: BatchView, i: number): void {
    if ((this.seen[id] & Seen.Gone) === 0) copyPair(this.goneT, id, v.t, i);
    this.seen[id] |= bit | Seen.Gone;
  }

  /** The packet's softirq became hunk `hunkId` (event `eventIndex`, base time baseT[k]), or no hunk (-1). */
  decide(id: number, hunkId: number, eventIndex: number, base: Int32Array, k: number): void {
    this.decided[id] = 1;
    this.hunkId[id] = hunkId;
    this.eventIndex[id] = eventIndex;
    if (hunkId >= 0) {
      this.seen[id] |= Seen.InHunk;
      copyPair(this.baseT, id, base, k);
    }
    if (this.resolved[id]) this.write(id);
  }

  /** End of trace: whatever is still unmatched stays unmatched. */
  finish(): void {
    for (let id = this.list.takeOldest(); id >= 0; id = this.list.takeOldest()) this.resolve(id);
  }

  /** Packets alive (waiting for a match or for their softirq): for tests of boundedness. */
  get live(): number {
    return this.ids.live;
  }

  private resolve(id: number): void {
    this.resolved[id] = 1;
    if (this.decided[id]) this.write(id);
  }

  /** Queues the row of a packet whose fate and softirq are both known (see Transmit.end for the flush). */
  private write(id: number): void {
    this.judge(id);
    const pending = this.pending;
    if (pending.count === this.rows.room()) {
      this.writeRows();
      this.rows.flush();
    }
    pending.add(id);
  }

  /**
   * The row's fate, fate_why, match, lost_near and time_backwards, from what the packet saw (the columns'
   * descriptions in schemas/rx_packets.json and docs/summary.md say what each means).
   */
  private judge(id: number): void {
    const seen = this.seen[id];
    const handled = (seen & Seen.Handled) !== 0;
    const lost = this.lost;
    const end = handled
      ? pairToNumber(this.handledT, id)
      : (seen & Seen.Gone) !== 0
        ? pairToNumber(this.goneT, id)
        : Infinity;
    const near = !lost.empty && lost.overlapsAny(pairToNumber(this.t, id), end);
    this.lostNear[id] = near ? 1 : 0;
    if (near) this.flagged.rxLostNear++;
    let fate: FateId = FateId.NotObserved;
    let why = -1;
    if (handled) fate = this.kfreed[id] === 1 ? FateId.Dropped : FateId.Delivered;
    else if ((seen & Seen.Consumed) !== 0) fate = FateId.Consumed;
    // The fate is on the tx row: known, whatever was lost around it.
    else if ((seen & Seen.FateInTx) !== 0) why = FateWhyId.FateInTx;
    else if (near) why = FateWhyId.EventsLost;
    else if ((seen & Seen.OtherDev) !== 0) why = FateWhyId.OtherDevice;
    else if ((seen & Seen.Superseded) !== 0) why = FateWhyId.AddressReused;
    else why = this.evicted[id] ? FateWhyId.Evicted : FateWhyId.TraceEnded;
    this.fate[id] = fate;
    this.why[id] = why;
    let match = -1;
    if (handled) {
      // Its address began a newer packet, or its end was seen, before the match: the match is reuse's.
      const reused =
        (seen & (Seen.Superseded | Seen.FateInTx | Seen.Consumed)) !== 0 ||
        this.devices.tooFar(this.dev[id], pairToNumber(this.handledT, id) - pairToNumber(this.t, id));
      match = reused ? MatchId.AddressReuseSuspect : MatchId.Direct;
      if (reused) this.flagged.rxAddressReuseSuspect++;
    }
    this.match[id] = match;
    const back =
      (handled && pairBelow(this.handledT, id, this.t, id)) ||
      ((seen & Seen.InHunk) !== 0 && pairBelow(this.t, id, this.baseT, id));
    this.timeBack[id] = back ? 1 : 0;
    if (back) this.flagged.rxTimeBackwards++;
  }

  /** Writes the queued rows, column by column, and frees their records. */
  writeRows(): void {
    this.pending.write(this.specs, this.seen, this.ids);
  }

  private reserve(n: number): void {
    this.skb = growPairs(this.skb, n);
    this.len = growI32(this.len, n);
    this.dev = growI32(this.dev, n);
    this.cpu = growI32(this.cpu, n);
    this.t = growPairs(this.t, n);
    this.decided = growU8(this.decided, n);
    this.hunkId = growI32(this.hunkId, n);
    this.eventIndex = growI32(this.eventIndex, n);
    this.baseT = growPairs(this.baseT, n);
    this.resolved = growU8(this.resolved, n);
    this.evicted = growI32(this.evicted, n);
    this.seen = growU8(this.seen, n);
    this.handledBy = growI32(this.handledBy, n);
    this.handledT = growPairs(this.handledT, n);
    this.handledCpu = growI32(this.handledCpu, n);
    this.handledPid = growI32(this.handledPid, n);
    this.handledComm = growI32(this.handledComm, n);
    this.location = growI32(this.location, n);
    this.reason = growI32(this.reason, n);
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
      fillSpec(Rx.HunkId, Fill.Int, this.hunkId, Seen.InHunk),
      fillSpec(Rx.EventIndex, Fill.Int, this.eventIndex, Seen.InHunk),
      fillSpec(Rx.Cpu, Fill.Int, this.cpu, 0),
      fillSpec(Rx.TimeNs, Fill.Pair, this.t, 0),
      fillSpec(Rx.Skbaddr, Fill.Pair, this.skb, 0),
      fillSpec(Rx.Len, Fill.Int, this.len, 0),
      fillSpec(Rx.Dev, Fill.Dict, this.dev, 0),
      fillSpec(Rx.HandledBy, Fill.Dict, this.handledBy, Seen.Handled),
      fillSpec(Rx.HandledNs, Fill.Pair, this.handledT, Seen.Handled),
      fillSpec(Rx.HandledCpu, Fill.Int, this.handledCpu, Seen.Handled),
      fillSpec(Rx.HandledPid, Fill.Int, this.handledPid, Seen.Handled),
      fillSpec(Rx.HandledComm, Fill.Dict, this.handledComm, Seen.Handled),
      fillSpec(Rx.KfreeLocation, Fill.Dict, this.location, Seen.Handled),
      fillSpec(Rx.KfreeReason, Fill.Dict, this.reason, Seen.Handled),
      fillSpec(Rx.IrqToReceiveNs, Fill.Diff, this.t, Seen.InHunk, this.baseT),
      fillSpec(Rx.ReceiveToHandledNs, Fill.Diff, this.handledT, Seen.Handled, this.t),
      fillSpec(Rx.Evicted, Fill.Int, this.evicted, 0),
      fillSpec(Rx.Fate, Fill.Dict, this.fate, 0),
      fillSpec(Rx.FateWhy, Fill.Dict, this.why, 0),
      fillSpec(Rx.Match, Fill.Dict, this.match, 0),
      fillSpec(Rx.LostNear, Fill.Int, this.lostNear, 0),
      fillSpec(Rx.TimeBackwards, Fill.Int, this.timeBack, 0),
    ];
  }
}

/** What a received packet saw, as bits of RxPackets.seen. */
const enum Seen {
  InHunk = 1,
  Handled = 2,
  /** Its address was received again (or queued on its device) while it waited: freed untraced, address reused. */
  Superseded = 4,
  /** Its address was queued on another device while it waited: forwarded. */
  OtherDev = 8,
  /** A free of its address matched a transmit lifecycle (the same skb on loopback): the fate is counted there. */
  FateInTx = 16,
  /** A consume_skb of its address that no transmit lifecycle took: consumed. */
  Consumed = 32,
  /** One of the four above was set: goneT holds when. */
  Gone = 64,
}
