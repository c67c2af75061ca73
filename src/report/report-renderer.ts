import type { BufferStatus } from '../correlate/stats.js';
import type { TableChunk } from '../core/columns.js';
import { dictAt, dictCol, i64Col, intCol, u64Col } from '../tables/chunk-columns.js';
import { PendingHunk } from './pending-hunk.js';
import { TxLines } from './tx-lines.js';
import { reportText } from '../core/strings.js';
import { hex64 } from './py-format.js';

/** The reference's options: `tx`, `rx`, `dev=NAME`, `debug`. Neither tx nor rx means both. */
export interface ReportOptions {
  tx?: boolean;
  rx?: boolean;
  /** Substring of IRQ names (receive hunks) and devices (transmit lines); '' matches everything. */
  dev?: string;
  debug?: boolean;
}

const TX_HEADER = '   dev    len      Qdisc               netdevice             free';
/** Text is handed to `write` in pieces of about this many characters. */
const WRITE_CHUNK = 1 << 16;

/**
 * Prints the reference's report from the correlate tables. Rows may arrive as the correlator emits them
 * or read back from a dataset in any order and grouping: hunks are printed in hunk_id order as soon as
 * each one and all before it are complete; transmit lines wait for the end (the reference prints them
 * after every hunk) and are put in report_order. The debug block comes from the given BufferStatus or,
 * without one, is counted from the rows (the tables hold every entry the reference's lists held).
 * Names (comm, device, IRQ) are the bytes perf printed: a byte that is not UTF-8 is a lone surrogate in the
 * text (core/strings.ts reportText), which reportBytes turns back into that byte when the text is written.
 */
export class ReportRenderer {
  private readonly showTx: boolean;
  private readonly showRx: boolean;
  private readonly dev: string | undefined;
  private readonly debug: boolean;
  private readonly hunks = new Map<number, PendingHunk>();
  private nextHunk = 0;
  /** Transmit lines by report_order. */
  private readonly txLines = new TxLines();
  private txRows = 0;
  private readonly counted: BufferStatus = {
    txQueueRemain: 0,
    txQueueOverflow: 0,
    txXmitRemain: 0,
    txXmitOverflow: 0,
    rxRemain: 0,
    rxOverflow: 0,
  };
  private buf: string[] = [];
  private bufLen = 0;
  private done = false;

  constructor(
    private readonly write: (text: string) => void,
    options: ReportOptions = {},
  ) {
    const both = !options.tx && !options.rx;
    this.showTx = both || options.tx === true;
    this.showRx = both || options.rx === true;
    this.dev = options.dev;
    this.debug = options.debug === true;
  }

  push(table: string, chunk: TableChunk): void {
    if (this.done) throw new Error('ReportRenderer.push after finish');
    switch (table) {
      case 'rx_hunks':
        this.hunkRows(chunk);
        break;
      case 'rx_irqs':
        this.irqRows(chunk);
        break;
      case 'rx_irq_events':
        this.irqEventRows(chunk);
        break;
      case 'rx_napi_polls':
        this.napiRows(chunk);
        break;
      case 'rx_packets':
        this.packetRows(chunk);
        break;
      case 'tx_packets':
        this.txPacketRows(chunk);
        break;
      default:
        return;
    }
    this.printReadyHunks();
    // Hand printed hunks on now: a stream's reader should not wait for the next 64 KiB.
    this.flushText();
  }

  /** Prints what is left; `status` (the correlator's) replaces the debug counts taken from the rows. */
  finish(status?: BufferStatus): void {
    if (this.done) return;
    this.done = true;
    if (this.showRx) {
      this.printReadyHunks();
      if (this.hunks.size > 0) {
        let first = Infinity;
        for (const id of this.hunks.keys()) first = Math.min(first, id);
        const h = this.hunks.get(first);
        throw new Error(
          `report: receive hunk ${first} is incomplete (${h ? h.describeMissing() : 'no rows'}); ` +
            `expected hunk ${this.nextHunk} next`,
        );
      }
    }
    if (this.showTx) {
      this.emit(TX_HEADER);
      for (let k = 0; k < this.txLines.count; k++) {
        const line = this.txLines.line(k);
        if (line === undefined)
          throw new Error(`report: tx_packets has no row with report_order ${k} (of ${this.txRows})`);
        if (line !== null) this.emit(line);
      }
    }
    if (this.debug) {
      const d = status ?? this.counted;
      this.emit('debug buffer status');
      this.emit('----------------------------');
      this.emit(`xmit Qdisc:remain:${d.txQueueRemain} overflow:${d.txQueueOverflow}`);
      this.emit(`xmit netdevice:remain:${d.txXmitRemain} overflow:${d.txXmitOverflow}`);
      this.emit(`receive:remain:${d.rxRemain} overflow:${d.rxOverflow}`);
    }
    this.flushText();
  }

  /** The debug block as counted from the rows seen so far. */
  get countedStatus(): BufferStatus {
    return { ...this.counted };
  }

  private hunk(id: number): PendingHunk {
    let h = this.hunks.get(id);
    if (h === undefined) {
      h = new PendingHunk();
      this.hunks.set(id, h);
    }
    return h;
  }

  private hunkRows(c: TableChunk): void {
    if (!this.showRx) return;
    const T = 'rx_hunks';
    const id = intCol(T, c, 'hunk_id');
    const cpu = intCol(T, c, 'cpu');
    const base = i64Col(T, c, 'base_ns').words;
    const sirq = i64Col(T, c, 'softirq_entry_ns').words;
    const nIrq = intCol(T, c, 'irq_count');
    const nIrqEv = intCol(T, c, 'irq_event_count');
    const nNapi = intCol(T, c, 'napi_poll_count');
    const nPkt = intCol(T, c, 'packet_count');
    for (let r = 0; r < c.length; r++) {
      const h = this.hunk(id.values[r]);
      h.hasHunkRow = true;
      h.cpu = cpu.values[r];
      h.baseLo = base[2 * r];
      h.baseHi = base[2 * r + 1];
      h.sirqLo = sirq[2 * r];
      h.sirqHi = sirq[2 * r + 1];
      h.expectIrqs = nIrq.values[r];
      h.expectIrqEvents = nIrqEv.values[r];
      h.expectNapis = nNapi.values[r];
      h.expectPackets = nPkt.values[r];
    }
  }

  private irqRows(c: TableChunk): void {
    if (!this.showRx) return;
    const T = 'rx_irqs';
    const id = intCol(T, c, 'hunk_id');
    const index = intCol(T, c, 'irq_index');
    const irq = intCol(T, c, 'irq');
    const name = dictCol(T, c, 'irq_name');
    const t = i64Col(T, c, 'entry_ns').words;
    for (let r = 0; r < c.length; r++) {
      const h = this.hunk(id.values[r]);
      const q = h.irqAt(index.values[r]);
      q.irq = irq.values[r];
      q.name = reportText(dictAt(name, r) ?? '');
      q.tLo = t[2 * r];
      q.tHi = t[2 * r + 1];
      h.gotIrqs++;
    }
  }

  private irqEventRows(c: TableChunk): void {
    if (!this.showRx) return;
    const T = 'rx_irq_events';
    const id = intCol(T, c, 'hunk_id');
    const index = intCol(T, c, 'irq_index');
    const evIndex = intCol(T, c, 'event_index');
    const event = dictCol(T, c, 'event');
    const t = i64Col(T, c, 'time_ns').words;
    const skb = u64Col(T, c, 'skbaddr');
    for (let r = 0; r < c.length; r++) {
      const h = this.hunk(id.values[r]);
      h.gotIrqEvents++;
      if (dictAt(event, r) !== 'netif_rx') continue;
      h.irqAt(index.values[r]).netifRx.push({
        eventIndex: evIndex.values[r],
        tLo: t[2 * r],
        tHi: t[2 * r + 1],
        skb: hex64(skb.words[2 * r], skb.words[2 * r + 1]),
      });
    }
  }

  private napiRows(c: TableChunk): void {
    if (!this.showRx) return;
    const T = 'rx_napi_polls';
    const id = intCol(T, c, 'hunk_id');
    const evIndex = intCol(T, c, 'event_index');
    const t = i64Col(T, c, 'time_ns').words;
    const dev = dictCol(T, c, 'dev');
    for (let r = 0; r < c.length; r++) {
      const h = this.hunk(id.values[r]);
      h.events[evIndex.values[r]] = {
        kind: 'napi',
        tLo: t[2 * r],
        tHi: t[2 * r + 1],
        dev: reportText(dictAt(dev, r) ?? 'None'),
      };
      h.gotNapis++;
    }
  }

  private packetRows(c: TableChunk): void {
    const T = 'rx_packets';
    const id = intCol(T, c, 'hunk_id');
    const handledBy = dictCol(T, c, 'handled_by');
    const evicted = intCol(T, c, 'evicted');
    const evIndex = intCol(T, c, 'event_index');
    const t = i64Col(T, c, 'time_ns').words;
    const skb = u64Col(T, c, 'skbaddr');
    const len = intCol(T, c, 'len');
    const ht = i64Col(T, c, 'handled_ns').words;
    const pid = intCol(T, c, 'handled_pid');
    const comm = dictCol(T, c, 'handled_comm');
    for (let r = 0; r < c.length; r++) {
      const handled = handledBy.ids[r] >= 0;
      if (evicted.values[r]) this.counted.rxOverflow++;
      else if (!handled) this.counted.rxRemain++;
      if (!this.showRx || !id.valid[r]) continue;
      const h = this.hunk(id.values[r]);
      h.events[evIndex.values[r]] = {
        kind: 'packet',
        tLo: t[2 * r],
        tHi: t[2 * r + 1],
        skb: hex64(skb.words[2 * r], skb.words[2 * r + 1]),
        len: len.values[r],
        handled: handled
          ? { tLo: ht[2 * r], tHi: ht[2 * r + 1], pid: pid.values[r], comm: reportText(dictAt(comm, r) ?? '') }
          : null,
      };
      h.gotPackets++;
    }
  }

  private txPacketRows(c: TableChunk): void {
    const T = 'tx_packets';
    const order = intCol(T, c, 'report_order');
    const evicted = intCol(T, c, 'evicted');
    const xmit = i64Col(T, c, 'xmit_ns');
    const free = i64Col(T, c, 'free_ns');
    const dev = dictCol(T, c, 'dev');
    const len = intCol(T, c, 'len');
    const queue = i64Col(T, c, 'queue_ns').words;
    const qdisc = i64Col(T, c, 'qdisc_ns').words;
    const device = i64Col(T, c, 'device_ns').words;
    const status = this.counted;
    for (let r = 0; r < c.length; r++) {
      const transmitted = xmit.valid[r] === 1;
      if (evicted.values[r]) {
        if (transmitted) status.txXmitOverflow++;
        else status.txQueueOverflow++;
      } else if (!free.valid[r]) {
        if (transmitted) status.txXmitRemain++;
        else status.txQueueRemain++;
      }
      if (!order.valid[r] || !this.showTx) continue;
      this.txRows++;
      const d = reportText(dictAt(dev, r) ?? 'None');
      if (this.dev === undefined || d.includes(this.dev))
        this.txLines.add(order.values[r], d, len.values[r], queue, qdisc, device, r);
      else this.txLines.hide(order.values[r]);
    }
  }

  private printReadyHunks(): void {
    if (!this.showRx) return;
    for (;;) {
      const h = this.hunks.get(this.nextHunk);
      if (h === undefined || !h.complete) return;
      this.hunks.delete(this.nextHunk);
      this.nextHunk++;
      if (this.dev !== undefined && !h.matchesDev(this.dev)) continue;
      const lines: string[] = [];
      h.render(lines);
      for (const l of lines) this.emit(l);
    }
  }

  private emit(line: string): void {
    this.buf.push(line);
    this.bufLen += line.length + 1;
    if (this.bufLen >= WRITE_CHUNK) this.flushText();
  }

  private flushText(): void {
    if (this.buf.length === 0) return;
    this.buf.push('');
    this.write(this.buf.join('\n'));
    this.buf = [];
    this.bufLen = 0;
  }
}
