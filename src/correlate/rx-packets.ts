import { AddressList } from './address-list.js';
import type { BatchView } from './batch-view.js';
import { growI32, growPairs, growU8, IdAllocator } from './growable.js';
import { copyPair } from './irq-lists.js';
import { HandledById } from '../tables/labels.js';
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

  /** Packets whose rows are final but not written yet. */
  private readonly pending: PendingRows;
  /** How each rx_packets column is filled from the arrays above (made again when they grow). */
  private specs: FillSpec[] = [];

  constructor(
    budget: number,
    private readonly rows: RowChunks,
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
    const pending = this.pending;
    if (pending.count === this.rows.room()) {
      this.writeRows();
      this.rows.flush();
    }
    pending.add(id);
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
    ];
  }
}

/** What a received packet saw, as bits of RxPackets.seen. */
const enum Seen {
  InHunk = 1,
  Handled = 2,
}
