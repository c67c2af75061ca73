/** Traces built to grow the correlator's state, for the boundedness tests: `perf script --ns` text. */
import { closeSync, openSync, writeSync } from 'node:fs';

export type Attack =
  /** net_dev_queue of ever new skbs, never transmitted: the queue list. */
  | 'queued-never-sent'
  /** net_dev_queue + net_dev_xmit, never freed: the xmit list. */
  | 'sent-never-freed'
  /** irq_handler_entry that never exits: one CPU's IRQ list. */
  | 'irq-never-exits'
  /** One IRQ that never exits, raising NET_RX forever: its event list. */
  | 'endless-raises'
  /** IRQs that exit after a raise, on a CPU that never runs a NET_RX softirq_exit: the list keeps them all. */
  | 'irqs-never-taken'
  /** One NET_RX softirq that never exits, with napi polls and received skbs: an endless hunk. */
  | 'endless-hunk'
  /** Complete NET_RX softirqs whose skbs are never copied nor freed: the receive list. */
  | 'received-never-freed'
  /** NET_RX softirqs that never exit, on many CPUs (a third as many as lines, at most 60,000), receiving. */
  | 'many-cpus';

export const ATTACKS: Attack[] = [
  'queued-never-sent',
  'sent-never-freed',
  'irq-never-exits',
  'endless-raises',
  'irqs-never-taken',
  'endless-hunk',
  'received-never-freed',
  'many-cpus',
];

const NAPI = 'napi poll on napi struct 0xffff8881024052c0 for device eth0 work 1 budget 64';

/** Yields the trace in chunks of lines; exactly `lines` event lines. */
export function* attackTrace(kind: Attack, lines: number): Generator<string> {
  let us = 0;
  let n = 0;
  let out: string[] = [];
  const ev = (cpu: number, event: string, payload: string, comm = 'swapper', pid = 0): void => {
    if (n >= lines) return;
    const ns = 100_000_000_000 + us++ * 1000;
    out.push(
      `${comm.padStart(16)} ${String(pid).padStart(5)} [${String(cpu).padStart(3, '0')}] ${Math.floor(ns / 1e9)}.${String(ns % 1e9).padStart(9, '0')}: ${event.padStart(27)}: ${payload}`,
    );
    n++;
  };
  const skb = (i: number): string => `0xffff8881${(i >>> 0).toString(16).padStart(8, '0')}`;
  for (let i = 0; n < lines; i++) {
    switch (kind) {
      case 'queued-never-sent':
        ev(1, 'net:net_dev_queue', `dev=eth0 skbaddr=${skb(i)} len=74`, 'curl', 4242);
        break;
      case 'sent-never-freed':
        ev(1, 'net:net_dev_queue', `dev=eth0 skbaddr=${skb(i)} len=74`, 'curl', 4242);
        ev(1, 'net:net_dev_xmit', `dev=eth0 skbaddr=${skb(i)} len=74 rc=0`, 'curl', 4242);
        break;
      case 'irq-never-exits':
        ev(0, 'irq:irq_handler_entry', `irq=${i % 64} name=eth0-TxRx-${i % 64}`);
        break;
      case 'endless-raises':
        if (i === 0) ev(0, 'irq:irq_handler_entry', 'irq=38 name=virtio2-input.0');
        ev(0, 'irq:softirq_raise', 'vec=3 [action=NET_RX]');
        break;
      case 'irqs-never-taken':
        ev(0, 'irq:irq_handler_entry', 'irq=38 name=virtio2-input.0');
        ev(0, 'irq:softirq_raise', 'vec=3 [action=NET_RX]');
        ev(0, 'irq:irq_handler_exit', 'irq=38 ret=handled');
        break;
      case 'endless-hunk':
        if (i === 0) {
          ev(0, 'irq:irq_handler_entry', 'irq=38 name=virtio2-input.0');
          ev(0, 'irq:softirq_raise', 'vec=3 [action=NET_RX]');
          ev(0, 'irq:irq_handler_exit', 'irq=38 ret=handled');
          ev(0, 'irq:softirq_entry', 'vec=3 [action=NET_RX]');
        }
        ev(0, 'napi:napi_poll', NAPI);
        ev(0, 'net:netif_receive_skb', `dev=eth0 skbaddr=${skb(i)} len=60`);
        break;
      case 'received-never-freed':
        ev(0, 'irq:irq_handler_entry', 'irq=38 name=virtio2-input.0');
        ev(0, 'irq:softirq_raise', 'vec=3 [action=NET_RX]');
        ev(0, 'irq:irq_handler_exit', 'irq=38 ret=handled');
        ev(0, 'irq:softirq_entry', 'vec=3 [action=NET_RX]');
        for (let k = 0; k < 16; k++) ev(0, 'net:netif_receive_skb', `dev=eth0 skbaddr=${skb(16 * i + k)} len=60`);
        ev(0, 'napi:napi_poll', NAPI);
        ev(0, 'irq:softirq_exit', 'vec=3 [action=NET_RX]');
        break;
      case 'many-cpus': {
        const cpus = Math.min(60000, Math.max(2, Math.floor(lines / 3)));
        const cpu = i % cpus;
        if (i < cpus) ev(cpu, 'irq:softirq_entry', 'vec=3 [action=NET_RX]');
        ev(cpu, 'net:netif_receive_skb', `dev=eth0 skbaddr=${skb(i)} len=60`);
        break;
      }
    }
    if (out.length >= 4096) {
      yield out.join('\n') + '\n';
      out = [];
    }
  }
  if (out.length > 0) yield out.join('\n') + '\n';
}

export function writeAttack(path: string, kind: Attack, lines: number): void {
  const fd = openSync(path, 'w');
  try {
    for (const chunk of attackTrace(kind, lines)) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}
