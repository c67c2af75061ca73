/** Hand-written traces for the correlate and report tests, and row access for assertions. */
import { TraceDecoder } from '../../src/decode/text/decoder.js';
import { Normaliser } from '../../src/normalise/normaliser.js';
import type { TableChunk } from '../../src/core/columns.js';
import { Correlator, type CorrelatorOptions } from '../../src/correlate/index.js';
import type { CorrelationStats } from '../../src/correlate/stats.js';
import { renderReport } from '../../src/pipeline/report.js';
import { type NamedChunk } from '../../src/tables/named-chunk.js';
import { type ReportOptions } from '../../src/report/index.js';

export interface Correlated {
  chunks: NamedChunk[];
  stats: CorrelationStats;
}

/** Runs decode -> normalise -> correlate over `perf script --ns` text held in a string. */
export function correlateText(text: string, options: CorrelatorOptions = {}): Correlated {
  const chunks: NamedChunk[] = [];
  const normaliser = new Normaliser();
  // Hand-written traces start inside an IRQ, as if cut from a trace whose softirq_entry symbols perf knows.
  const correlator = new Correlator((table, chunk) => chunks.push({ table, chunk }), {
    softirqEntrySeen: true,
    ...options,
  });
  const decoder = new TraceDecoder((raw) => correlator.push(normaliser.normalise(raw)), {
    onReject: (r) => {
      throw new Error(`test trace line ${r.line} rejected: ${r.reason}: ${r.text}`);
    },
  });
  decoder.push(new TextEncoder().encode(text));
  decoder.end();
  return { chunks, stats: correlator.finish() };
}

export const report = (c: Correlated, options: ReportOptions = {}): string =>
  renderReport(c.chunks, options, c.stats.debug);

export type Cell = number | bigint | string | null;
export type Row = Record<string, Cell>;

/** Every row of `table` as an object: int32 -> number, int64/uint64 -> bigint, dictionary -> string; null for null. */
export function rowsOf(chunks: readonly NamedChunk[], table: string): Row[] {
  const out: Row[] = [];
  for (const { table: t, chunk } of chunks) if (t === table) out.push(...chunkRows(chunk));
  return out;
}

export function chunkRows(chunk: TableChunk): Row[] {
  const out: Row[] = [];
  for (let r = 0; r < chunk.length; r++) {
    const row: Row = {};
    for (const [name, c] of Object.entries(chunk.columns)) {
      switch (c.kind) {
        case 'int32':
          row[name] = c.valid[r] ? c.values[r] : null;
          break;
        case 'int64':
        case 'uint64':
          row[name] = c.valid[r] ? c.values[r] : null;
          break;
        case 'dict':
          row[name] = c.ids[r] >= 0 ? c.table.values[c.ids[r]] : null;
          break;
        default:
          throw new Error(`unexpected column kind ${c.kind}`);
      }
    }
    out.push(row);
  }
  return out;
}

/**
 * A trace builder: times are microseconds after 100 s, printed with nanoseconds (`--ns`), so a test
 * states `at(5)` and gets 100.000005000.
 */
export class Trace {
  private lines: string[] = [];

  private ev(cpu: number, us: number, event: string, payload: string, comm = 'swapper', pid = 0): this {
    const ns = 100_000_000_000 + Math.round(us * 1000);
    const t = `${Math.floor(ns / 1e9)}.${String(ns % 1e9).padStart(9, '0')}`;
    this.lines.push(
      `${comm.padStart(16)} ${String(pid).padStart(5)} [${String(cpu).padStart(3, '0')}] ${t}: ${event.padStart(25)}: ${payload}`,
    );
    return this;
  }

  irqEntry(cpu: number, us: number, irq: number, name = `virtio2-input.${irq}`): this {
    return this.ev(cpu, us, 'irq:irq_handler_entry', `irq=${irq} name=${name}`);
  }
  irqExit(cpu: number, us: number, irq: number): this {
    return this.ev(cpu, us, 'irq:irq_handler_exit', `irq=${irq} ret=handled`);
  }
  raise(cpu: number, us: number, vec = 3, name = 'NET_RX'): this {
    return this.ev(cpu, us, 'irq:softirq_raise', `vec=${vec} [action=${name}]`);
  }
  softirqEntry(cpu: number, us: number, vec = 3, name = 'NET_RX'): this {
    return this.ev(cpu, us, 'irq:softirq_entry', `vec=${vec} [action=${name}]`);
  }
  softirqExit(cpu: number, us: number, vec = 3, name = 'NET_RX'): this {
    return this.ev(cpu, us, 'irq:softirq_exit', `vec=${vec} [action=${name}]`);
  }
  napiPoll(cpu: number, us: number, dev = 'eth0'): this {
    return this.ev(
      cpu,
      us,
      'napi:napi_poll',
      `napi poll on napi struct 0xffff8881024052c0 for device ${dev} work 1 budget 64`,
    );
  }
  receive(cpu: number, us: number, skb: string, len = 60, dev = 'eth0'): this {
    return this.ev(cpu, us, 'net:netif_receive_skb', `dev=${dev} skbaddr=0x${skb} len=${len}`);
  }
  netifRx(cpu: number, us: number, skb: string, len = 60, dev = 'lo'): this {
    return this.ev(cpu, us, 'net:netif_rx', `dev=${dev} skbaddr=0x${skb} len=${len}`);
  }
  copy(cpu: number, us: number, skb: string, comm = 'curl', pid = 4242): this {
    return this.ev(cpu, us, 'skb:skb_copy_datagram_iovec', `skbaddr=0x${skb} len=60`, comm, pid);
  }
  kfree(cpu: number, us: number, skb: string, reason = 'NO_SOCKET', comm = 'curl', pid = 4242): this {
    return this.ev(
      cpu,
      us,
      'skb:kfree_skb',
      `skbaddr=0x${skb} rx_sk=(nil) protocol=2048 location=tcp_v4_rcv+0x1e4 reason: ${reason}`,
      comm,
      pid,
    );
  }
  consume(cpu: number, us: number, skb: string): this {
    return this.ev(cpu, us, 'skb:consume_skb', `skbaddr=0x${skb} location=tcp_recvmsg+0x59`);
  }
  queue(cpu: number, us: number, skb: string, len = 74, dev = 'eth0', comm = 'curl', pid = 4242): this {
    return this.ev(cpu, us, 'net:net_dev_queue', `dev=${dev} skbaddr=0x${skb} len=${len}`, comm, pid);
  }
  xmit(cpu: number, us: number, skb: string, rc = 0, len = 74, dev = 'eth0'): this {
    return this.ev(cpu, us, 'net:net_dev_xmit', `dev=${dev} skbaddr=0x${skb} len=${len} rc=${rc}`);
  }
  other(cpu: number, us: number): this {
    return this.ev(
      cpu,
      us,
      'sched:sched_switch',
      'prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=curl next_pid=4242 next_prio=120',
    );
  }
  /** A raw line, for malformed payloads. */
  raw(cpu: number, us: number, event: string, payload: string): this {
    return this.ev(cpu, us, event, payload);
  }

  /** A NET_RX hunk on `cpu` from one IRQ: entry, raise, exit, softirq_entry, `body`, softirq_exit. */
  hunk(cpu: number, us: number, irq: number, body: (t: this) => void, exitUs = us + 100): this {
    this.irqEntry(cpu, us, irq)
      .raise(cpu, us + 1)
      .irqExit(cpu, us + 2, irq)
      .softirqEntry(cpu, us + 3);
    body(this);
    return this.softirqExit(cpu, exitUs);
  }

  get text(): string {
    return this.lines.join('\n') + '\n';
  }
}

/** Addresses used by the tests. */
export const A = 'ffff888100000100';
export const B = 'ffff888100000200';
export const C = 'ffff888100000300';
export const addr = (hex: string): bigint => BigInt(`0x${hex}`);
