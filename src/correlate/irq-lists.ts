import type { BatchView } from './batch-view.js';
import { growI32, growPairs, growU8, IdAllocator } from './growable.js';
import { IrqEventId } from '../tables/labels.js';
import type { RowChunks } from './row-chunks.js';
import type { Anomalies, PendingEvictions } from './stats.js';
import { Irq, IrqEv } from '../tables/tables.js';

/**
 * CPU numbers from 0 to MAX_CPUS - 1 have per-CPU state (Linux builds at most 8192 CPUs); an event on a
 * higher CPU number is kept in the events table but not correlated (anomalies.cpuOutOfRange), so that one
 * impossible `[cpu]` cannot make the per-CPU arrays gigabytes long.
 */
export const MAX_CPUS = 65536;

/**
 * The reference's per-CPU IRQ lists (irq_dic). Its "stack" is really a list: an IRQ that saw a NET_RX
 * raise or a netif_rx is pushed back on top when it exits, so later raises on that CPU attach to it,
 * and the whole list becomes the IRQ list of the next NET_RX softirq that exits on the CPU.
 * IRQs and their events live in struct-of-arrays pools; a list is an array of IRQ ids per CPU.
 *
 * Bounded: IRQs that never exit, or a CPU that never runs a NET_RX softirq_exit, would grow a list forever
 * (the reference's does). At most `budget` IRQs plus attached events are alive across all CPUs; past it the
 * oldest IRQ (the bottom of its CPU's list) is evicted with its events and counted in `evictions`.
 */
export class IrqLists {
  private readonly irqIds = new IdAllocator();
  private irqNo = new Int32Array(0);
  private name = new Int32Array(0);
  private cpuOf = new Int32Array(0);
  private entT = new Int32Array(0);
  private extT = new Int32Array(0);
  private hasExt = new Uint8Array(0);
  private evHead = new Int32Array(0);
  private evTail = new Int32Array(0);
  private evCount = new Int32Array(0);

  private readonly evIds = new IdAllocator();
  private evKind = new Int32Array(0);
  private evT = new Int32Array(0);
  private evSkb = new Int32Array(0);
  private evLen = new Int32Array(0);
  private evDev = new Int32Array(0);
  private evNext = new Int32Array(0);

  /** present[cpu]: the CPU has a list (the reference's `cpu in irq_dic`), possibly empty. */
  private present = new Uint8Array(0);
  private lists: number[][] = [];
  /** base[cpu]: index of the bottom of the CPU's list in lists[cpu] (entries below it were evicted). */
  private base = new Int32Array(0);
  /** Every live IRQ on a chain in allocation order (= bottom-to-top order within each CPU's list). */
  private older = new Int32Array(0);
  private newer = new Int32Array(0);
  private oldest = -1;
  private newest = -1;

  constructor(
    private readonly anomalies: Anomalies,
    private readonly budget: number,
    private readonly evictions: PendingEvictions,
  ) {}

  entry(v: BatchView, i: number): void {
    const cpu = v.cpu[i];
    if (cpu >= MAX_CPUS) {
      this.anomalies.cpuOutOfRange++;
      return;
    }
    const list = this.listOf(cpu, true);
    while (this.irqIds.live + this.evIds.live >= this.budget && this.oldest >= 0) this.evictOldest();
    const id = this.irqIds.alloc();
    this.reserveIrq(id + 1);
    this.older[id] = this.newest;
    this.newer[id] = -1;
    if (this.newest >= 0) this.newer[this.newest] = id;
    else this.oldest = id;
    this.newest = id;
    this.irqNo[id] = v.irq[i];
    this.name[id] = v.irqName[i];
    this.cpuOf[id] = cpu;
    copyPair(this.entT, id, v.t, i);
    this.hasExt[id] = 0;
    this.evHead[id] = -1;
    this.evTail[id] = -1;
    this.evCount[id] = 0;
    list.push(id);
  }

  exit(v: BatchView, i: number): void {
    const cpu = v.cpu[i];
    const list = this.listOf(cpu, false);
    if (list === undefined) {
      this.anomalies.irqExitWithoutList++;
      return;
    }
    const id = list.pop();
    if (id === undefined) {
      this.anomalies.irqExitOnEmptyList++;
      return;
    }
    // Entries below base were evicted: the list is empty when only those are left.
    if (list.length <= this.base[cpu]) {
      list.length = 0;
      this.base[cpu] = 0;
    }
    if (this.irqNo[id] !== v.irq[i]) {
      this.anomalies.irqExitMismatch++;
      this.discard(id);
      return;
    }
    copyPair(this.extT, id, v.t, i);
    this.hasExt[id] = 1;
    // An IRQ that raised no NET_RX softirq and saw no netif_rx is of no interest to the reference.
    if (this.evCount[id] > 0) list.push(id);
    else this.discard(id);
  }

  /** softirq_raise (NET_RX) or netif_rx: attaches to the IRQ on top of the CPU's list, if any. */
  event(v: BatchView, i: number, kind: IrqEventId): void {
    const list = this.listOf(v.cpu[i], false);
    if (list === undefined || list.length === 0) return;
    while (this.irqIds.live + this.evIds.live >= this.budget && this.oldest >= 0) this.evictOldest();
    if (list.length === 0) {
      // The IRQ it belonged to was just evicted.
      this.evictions.irqEvents++;
      return;
    }
    const irq = list[list.length - 1];
    const e = this.evIds.alloc();
    this.reserveEv(e + 1);
    this.evKind[e] = kind;
    copyPair(this.evT, e, v.t, i);
    if (kind === IrqEventId.NetifRx) {
      copyPair(this.evSkb, e, v.skb, i);
      this.evLen[e] = v.len[i];
      this.evDev[e] = v.dev[i];
    }
    this.evNext[e] = -1;
    if (this.evTail[irq] >= 0) this.evNext[this.evTail[irq]] = e;
    else this.evHead[irq] = e;
    this.evTail[irq] = e;
    this.evCount[irq]++;
  }

  /**
   * Takes the CPU's list away (the reference deletes irq_dic[cpu] at every NET_RX softirq_exit) and
   * returns its IRQ ids, bottom first. They stay readable until `discard`.
   */
  takeList(cpu: number): readonly number[] {
    const list = this.listOf(cpu, false);
    if (list === undefined) return NO_IRQS;
    const base = this.base[cpu];
    this.present[cpu] = 0;
    this.lists[cpu] = [];
    this.base[cpu] = 0;
    return base === 0 ? list : list.slice(base);
  }

  /** Base time of a hunk: the entry time of the first IRQ of its list, as a word pair copied to `dst[k]`. */
  copyEntryTime(id: number, dst: Int32Array, k: number): void {
    dst[2 * k] = this.entT[2 * id];
    dst[2 * k + 1] = this.entT[2 * id + 1];
  }

  cpu(id: number): number {
    return this.cpuOf[id];
  }

  /** Writes the rows of one IRQ of kept hunk `hunkId` and its events. Returns its event count. */
  writeRows(id: number, hunkId: number, irqIndex: number, irqRows: RowChunks, evRows: RowChunks): number {
    const r = irqRows.row();
    irqRows.int(Irq.HunkId, r, hunkId);
    irqRows.int(Irq.IrqIndex, r, irqIndex);
    irqRows.int(Irq.Cpu, r, this.cpuOf[id]);
    irqRows.int(Irq.Irq, r, this.irqNo[id]);
    irqRows.dict(Irq.IrqName, r, this.name[id]);
    irqRows.i64At(Irq.EntryNs, r, this.entT, id);
    if (this.hasExt[id]) irqRows.i64At(Irq.ExitNs, r, this.extT, id);
    const count = this.evCount[id];
    irqRows.int(Irq.EventCount, r, count);
    if (count === 0) this.anomalies.hunkIrqsWithoutEvents++;
    let k = 0;
    for (let e = this.evHead[id]; e >= 0; e = this.evNext[e], k++) {
      const q = evRows.row();
      evRows.int(IrqEv.HunkId, q, hunkId);
      evRows.int(IrqEv.IrqIndex, q, irqIndex);
      evRows.int(IrqEv.EventIndex, q, k);
      evRows.dict(IrqEv.Event, q, this.evKind[e]);
      evRows.i64At(IrqEv.TimeNs, q, this.evT, e);
      // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-comparison -- event ids live in an Int32Array, typed number
      if (this.evKind[e] === IrqEventId.NetifRx) {
        evRows.u64At(IrqEv.Skbaddr, q, this.evSkb, e);
        evRows.int(IrqEv.Len, q, this.evLen[e]);
        evRows.dict(IrqEv.Dev, q, this.evDev[e]);
      }
    }
    return count;
  }

  /** Frees an IRQ and its events. */
  discard(id: number): void {
    for (let e = this.evHead[id]; e >= 0;) {
      const next = this.evNext[e];
      this.evIds.release(e);
      e = next;
    }
    const n = this.newer[id];
    const o = this.older[id];
    if (n >= 0) this.older[n] = o;
    else this.newest = o;
    if (o >= 0) this.newer[o] = n;
    else this.oldest = n;
    this.irqIds.release(id);
  }

  /** Evicts the oldest live IRQ, which is the bottom of its CPU's list, with its events. */
  private evictOldest(): void {
    const id = this.oldest;
    const cpu = this.cpuOf[id];
    const list = this.lists[cpu];
    let b = this.base[cpu];
    if (list[b] === id) {
      b++;
    } else {
      // Not expected (lists keep allocation order), but never leave a freed id in a list.
      const p = list.indexOf(id, b);
      if (p >= 0) list.splice(p, 1);
    }
    if (b >= list.length) {
      list.length = 0;
      b = 0;
    } else if (b >= 1024 && 2 * b >= list.length) {
      list.splice(0, b);
      b = 0;
    }
    this.base[cpu] = b;
    this.evictions.irqs++;
    this.evictions.irqEvents += this.evCount[id];
    this.discard(id);
  }

  /** IRQs alive (in lists or taken and not yet released): for tests of boundedness. */
  get live(): number {
    return this.irqIds.live;
  }

  /** softirq_raise / netif_rx records attached to live IRQs: for tests of boundedness. */
  get liveEvents(): number {
    return this.evIds.live;
  }

  private listOf(cpu: number, create: true): number[];
  private listOf(cpu: number, create: false): number[] | undefined;
  private listOf(cpu: number, create: boolean): number[] | undefined {
    if (cpu >= this.present.length) {
      if (!create) return undefined;
      this.present = growU8(this.present, cpu + 1);
      this.base = growI32(this.base, this.present.length);
    }
    if (this.present[cpu] === 0) {
      if (!create) return undefined;
      this.present[cpu] = 1;
      while (this.lists.length <= cpu) this.lists.push([]);
      this.lists[cpu].length = 0;
      this.base[cpu] = 0;
    }
    return this.lists[cpu];
  }

  private reserveIrq(n: number): void {
    if (this.irqNo.length >= n) return;
    this.irqNo = growI32(this.irqNo, n);
    this.name = growI32(this.name, n);
    this.cpuOf = growI32(this.cpuOf, n);
    this.entT = growPairs(this.entT, n);
    this.extT = growPairs(this.extT, n);
    this.hasExt = growU8(this.hasExt, n);
    this.evHead = growI32(this.evHead, n);
    this.evTail = growI32(this.evTail, n);
    this.evCount = growI32(this.evCount, n);
    this.older = growI32(this.older, n);
    this.newer = growI32(this.newer, n);
  }

  private reserveEv(n: number): void {
    if (this.evKind.length >= n) return;
    this.evKind = growI32(this.evKind, n);
    this.evT = growPairs(this.evT, n);
    this.evSkb = growPairs(this.evSkb, n);
    this.evLen = growI32(this.evLen, n);
    this.evDev = growI32(this.evDev, n);
    this.evNext = growI32(this.evNext, n);
  }
}

const NO_IRQS: readonly number[] = [];

/** Copies the int64 word pair at index `from` of `src` to index `to` of `dst`. */
export function copyPair(dst: Int32Array, to: number, src: Int32Array, from: number): void {
  dst[2 * to] = src[2 * from];
  dst[2 * to + 1] = src[2 * from + 1];
}
