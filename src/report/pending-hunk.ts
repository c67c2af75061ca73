import { diffNs, msec, secsDotUsecs } from './py-format.js';

/** A netif_rx under an IRQ (softirq_raise events are counted but never printed). */
export interface NetifRxLine {
  eventIndex: number;
  tLo: number;
  tHi: number;
  skb: string;
}

export interface IrqLine {
  irq: number;
  name: string;
  tLo: number;
  tHi: number;
  netifRx: NetifRxLine[];
}

export interface NapiLine {
  kind: 'napi';
  tLo: number;
  tHi: number;
  dev: string;
}

export interface PacketLine {
  kind: 'packet';
  tLo: number;
  tHi: number;
  skb: string;
  len: number;
  /** Set when skb_copy_datagram_iovec or kfree_skb matched it (both print as skb_copy_datagram_iovec). */
  handled: { tLo: number; tHi: number; pid: number; comm: string } | null;
}

/**
 * One receive hunk being gathered from its rows, which may arrive in any order and in any grouping.
 * The rx_hunks row carries the counts of the other tables' rows, so completeness is known exactly.
 */
export class PendingHunk {
  hasHunkRow = false;
  cpu = 0;
  baseLo = 0;
  baseHi = 0;
  sirqLo = 0;
  sirqHi = 0;
  expectIrqs = 0;
  expectIrqEvents = 0;
  expectNapis = 0;
  expectPackets = 0;
  readonly irqs: IrqLine[] = [];
  readonly events: (NapiLine | PacketLine)[] = [];
  gotIrqs = 0;
  gotIrqEvents = 0;
  gotNapis = 0;
  gotPackets = 0;

  get complete(): boolean {
    return (
      this.hasHunkRow &&
      this.gotIrqs === this.expectIrqs &&
      this.gotIrqEvents === this.expectIrqEvents &&
      this.gotNapis === this.expectNapis &&
      this.gotPackets === this.expectPackets
    );
  }

  /** What is missing, for errors about incomplete datasets. */
  describeMissing(): string {
    if (!this.hasHunkRow) return 'its rx_hunks row';
    return (
      `rx_irqs ${this.gotIrqs}/${this.expectIrqs}, rx_irq_events ${this.gotIrqEvents}/${this.expectIrqEvents}, ` +
      `rx_napi_polls ${this.gotNapis}/${this.expectNapis}, rx_packets ${this.gotPackets}/${this.expectPackets}`
    );
  }

  /** IRQ at index k, created on first mention (its events may come first). */
  irqAt(k: number): IrqLine {
    const irqs: readonly (IrqLine | undefined)[] = this.irqs; // holes until each IRQ is mentioned
    let irq = irqs[k];
    if (irq === undefined) {
      irq = { irq: 0, name: '', tLo: 0, tHi: 0, netifRx: [] };
      this.irqs[k] = irq;
    }
    return irq;
  }

  /** dev=: a hunk is shown when one of its IRQ names contains the string. */
  matchesDev(dev: string): boolean {
    return this.irqs.some((q) => q.name.includes(dev));
  }

  /** The reference's print_receive, line by line. */
  render(lines: string[]): void {
    const bLo = this.baseLo;
    const bHi = this.baseHi;
    const rel = (lo: number, hi: number): string => msec(diffNs(lo, hi, bLo, bHi));
    lines.push(`${secsDotUsecs(bLo, bHi)}sec cpu=${this.cpu}`);
    for (const q of this.irqs) {
      lines.push(`  irq_entry(+${rel(q.tLo, q.tHi)}msec irq=${q.irq}:${q.name})`, JOINT);
      q.netifRx.sort((a, b) => a.eventIndex - b.eventIndex);
      for (const e of q.netifRx) lines.push(`         |---netif_rx(+${rel(e.tLo, e.tHi)}msec skb=${e.skb})`, JOINT);
    }
    lines.push(`  softirq_entry(+${rel(this.sirqLo, this.sirqHi)}msec)`, JOINT);
    const last = this.events.length - 1;
    this.events.forEach((e, i) => {
      if (e.kind === 'napi') {
        lines.push(`  napi_poll_exit(+${rel(e.tLo, e.tHi)}msec ${e.dev})`, i === last ? '' : JOINT);
        return;
      }
      lines.push(`         |---netif_receive_skb(+${rel(e.tLo, e.tHi)}msec skb=${e.skb} len=${e.len})`);
      const h = e.handled;
      if (h !== null) {
        // The reference tests 'comm' before 'handle', so a kfree_skb prints as skb_copy_datagram_iovec too.
        lines.push(
          '         |            |',
          `         |      skb_copy_datagram_iovec(+${rel(h.tLo, h.tHi)}msec ${h.pid}:${h.comm})`,
        );
      }
      lines.push(JOINT);
    });
  }
}

const JOINT = '         |';
