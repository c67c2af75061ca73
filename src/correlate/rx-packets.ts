import { AddressList } from './address-list.js';
import type { BatchView } from './batch-view.js';
import { growI32, growPairs, growU8, IdAllocator } from './growable.js';
import { copyPair } from './irq-lists.js';
import { HandledById } from './labels.js';
import type { RowChunks } from './row-chunks.js';
import { Rx } from './tables.js';

/**
 * Received packets: every netif_receive_skb the reference records (those inside a NET_RX softirq of
 * their CPU), matched later by address, most recent first, to skb_copy_datagram_iovec or kfree_skb.
 * A row is final once two things are known: the packet's fate (matched, evicted by the budget, or the
 * trace ended) and its softirq's fate (kept as hunk `hunkId` at event `eventIndex`, or not a hunk).
 * Whichever comes second writes the row and frees the record, so only undecided packets stay in memory.
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
  private evicted = new Uint8Array(0);
  private handledBy = new Int32Array(0);
  private handledT = new Int32Array(0);
  private handledCpu = new Int32Array(0);
  private handledPid = new Int32Array(0);
  private handledComm = new Int32Array(0);
  private location = new Int32Array(0);
  private reason = new Int32Array(0);

  constructor(budget: number, private readonly rows: RowChunks) {
    this.list = new AddressList(budget);
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
    this.handledBy[id] = -1;
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
    if (hunkId >= 0) copyPair(this.baseT, id, base, k);
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

  private write(id: number): void {
    const rows = this.rows;
    const r = rows.row();
    const hunk = this.hunkId[id];
    if (hunk >= 0) {
      rows.int(Rx.HunkId, r, hunk);
      rows.int(Rx.EventIndex, r, this.eventIndex[id]);
      rows.i64Diff(Rx.IrqToReceiveNs, r, this.t, id, this.baseT, id);
    }
    rows.int(Rx.Cpu, r, this.cpu[id]);
    rows.i64At(Rx.TimeNs, r, this.t, id);
    rows.u64At(Rx.Skbaddr, r, this.skb, id);
    rows.int(Rx.Len, r, this.len[id]);
    rows.dict(Rx.Dev, r, this.dev[id]);
    if (this.handledBy[id] >= 0) {
      rows.dict(Rx.HandledBy, r, this.handledBy[id]);
      rows.i64At(Rx.HandledNs, r, this.handledT, id);
      rows.int(Rx.HandledCpu, r, this.handledCpu[id]);
      rows.int(Rx.HandledPid, r, this.handledPid[id]);
      rows.dict(Rx.HandledComm, r, this.handledComm[id]);
      rows.dict(Rx.KfreeLocation, r, this.location[id]);
      rows.dict(Rx.KfreeReason, r, this.reason[id]);
      rows.i64Diff(Rx.ReceiveToHandledNs, r, this.handledT, id, this.t, id);
    }
    rows.int(Rx.Evicted, r, this.evicted[id]);
    this.ids.release(id);
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
    this.evicted = growU8(this.evicted, n);
    this.handledBy = growI32(this.handledBy, n);
    this.handledT = growPairs(this.handledT, n);
    this.handledCpu = growI32(this.handledCpu, n);
    this.handledPid = growI32(this.handledPid, n);
    this.handledComm = growI32(this.handledComm, n);
    this.location = growI32(this.location, n);
    this.reason = growI32(this.reason, n);
  }
}
