/**
 * A seeded model of the shared traces (../shared/traces): the scenarios their workloads are made of, with
 * the payload formats of a 6.18 kernel and perf 6.1, and how often each one occurs in the mix.
 * - loopbackTcp: tcp-bulk / http-lo segments (queue, netif_rx, xmit, receive in one NET_RX softirq, copy)
 * - ethRx / ethTx: eth-npm's virtio NIC (hard IRQs, so receive hunks; transmit freed by __free_old_xmit)
 * - udpDrop: udp-drop's kfree_skb with SOCKET_RCVBUFF / NO_SOCKET reasons
 * - timers: the TIMER, SCHED and RCU softirqs every trace has
 * - sched: mixed's unrelated sched:sched_switch / sched_wakeup events (kept with their payload)
 */
import type { Random } from './random.js';

/** A thread as perf prints it: comm may contain spaces, ':' and '/'. */
export interface Proc {
  comm: string;
  tid: number;
}

/** Where a scenario's events go: the generator stamps time, formats the line and counts it. */
export interface Sink {
  /** One event `gapNs` after the previous one (the trace's single clock keeps perf's time order). */
  emit(proc: Proc, cpu: number, event: string, payload: string, gapNs: number): void;
}

export const SCENARIOS = ['loopbackTcp', 'ethRx', 'ethTx', 'udpDrop', 'timers', 'sched'] as const;
export type Scenario = (typeof SCENARIOS)[number];
export type Mix = Record<Scenario, number>;

/** Scenario weights that give roughly the event mix of the shared traces taken together (tcp-bulk-heavy). */
export const DEFAULT_MIX: Mix = { loopbackTcp: 50, ethRx: 6, ethTx: 5, udpDrop: 7, timers: 22, sched: 10 };

const SENDERS: Proc[] = [
  { comm: 'python3', tid: 15638 },
  { comm: 'python3', tid: 15640 },
  { comm: 'curl', tid: 15101 },
  { comm: 'node', tid: 14916 },
  { comm: 'npm view left-p', tid: 14937 },
];
const OTHERS: Proc[] = [
  { comm: 'swapper', tid: 0 },
  { comm: 'kworker/1:0-vir', tid: 123 },
  { comm: 'ksoftirqd/0', tid: 16 },
  { comm: 'memfd:sealed-91', tid: 15300 },
  { comm: ':-1', tid: -1 },
  { comm: 'rcu_preempt', tid: 17 },
];
const TCP_LENS = [66, 74, 9282, 16450, 32834, 56386, 65483];
const LOOPBACK_NAPI = ['0xffff888627d2d188', '0xffff888627c2d188'];
const ETH_NAPI = ['0xffff8881024052c0', '0xffff888102406008'];
const SOFTIRQS: readonly (readonly [number, string])[] = [
  [1, 'TIMER'],
  [7, 'SCHED'],
  [9, 'RCU'],
  [6, 'TASKLET'],
];

/** skbaddr values come from a small slab, as in real traces: addresses are reused, which matching must handle. */
function skb(r: Random): string {
  return `0xffff8881${(0x34fa0000 + r.int(0, 255) * 0x200 + 0xe0).toString(16)}`;
}

const netRx = (
  s: Sink,
  p: Proc,
  cpu: number,
  ev: 'softirq_raise' | 'softirq_entry' | 'softirq_exit',
  gap: number,
): void => s.emit(p, cpu, `irq:${ev}`, 'vec=3 [action=NET_RX]', gap);

function loopbackTcp(r: Random, s: Sink, cpu: number): void {
  const p = r.pick(SENDERS);
  const segments = r.int(1, 3);
  netRx(s, p, cpu, 'softirq_raise', 300);
  let first = true;
  const received: [string, number][] = [];
  for (let k = 0; k < segments; k++) {
    const addr = skb(r);
    const len = r.pick(TCP_LENS);
    s.emit(p, cpu, 'net:net_dev_queue', `dev=lo skbaddr=${addr} len=${len}`, r.int(300, 5000));
    s.emit(p, cpu, 'net:netif_rx', `dev=lo skbaddr=${addr} len=${len - 14}`, r.int(300, 600));
    s.emit(p, cpu, 'net:net_dev_xmit', `dev=lo skbaddr=${addr} len=${len} rc=0`, r.int(300, 600));
    if (first) netRx(s, p, cpu, 'softirq_entry', r.int(300, 600));
    first = false;
    s.emit(p, cpu, 'net:netif_receive_skb', `dev=lo skbaddr=${addr} len=${len - 14}`, r.int(300, 600));
    received.push([addr, len - 66]);
  }
  s.emit(
    p,
    cpu,
    'napi:napi_poll',
    `napi poll on napi struct ${LOOPBACK_NAPI[cpu & 1]} for device (no_device) work ${segments} budget 64`,
    r.int(500, 3000),
  );
  netRx(s, p, cpu, 'softirq_exit', r.int(300, 600));
  const reader = r.pick(SENDERS);
  for (const [addr, len] of received) {
    if (len <= 0) continue;
    s.emit(
      reader,
      cpu,
      'skb:skb_copy_datagram_iovec',
      `skbaddr=${addr} len=${Math.min(len, 65536)}`,
      r.int(2000, 20000),
    );
    if (r.chance(0.2))
      s.emit(reader, cpu, 'skb:consume_skb', `skbaddr=${addr} location=tcp_rcv_state_process+0x804`, r.int(300, 3000));
  }
}

function ethRx(r: Random, s: Sink, cpu: number): void {
  const p = r.chance(0.5) ? r.pick(SENDERS) : r.pick(OTHERS);
  s.emit(p, cpu, 'irq:irq_handler_entry', 'irq=38 name=virtio2-input.0', r.int(5000, 50000));
  netRx(s, p, cpu, 'softirq_raise', r.int(500, 3000));
  s.emit(p, cpu, 'irq:irq_handler_exit', 'irq=38 ret=handled', r.int(300, 900));
  netRx(s, p, cpu, 'softirq_entry', r.int(500, 2000));
  const n = r.int(1, 4);
  const addrs: string[] = [];
  for (let k = 0; k < n; k++) {
    const addr = `0xffff88812f${(0x183d00 + r.int(0, 63) * 0x100).toString(16)}`;
    addrs.push(addr);
    s.emit(p, cpu, 'net:netif_receive_skb', `dev=eth0 skbaddr=${addr} len=${r.int(52, 1514)}`, r.int(1000, 15000));
  }
  s.emit(
    p,
    cpu,
    'napi:napi_poll',
    `napi poll on napi struct ${ETH_NAPI[cpu & 1]} for device eth0 work ${n} budget 64`,
    r.int(1000, 20000),
  );
  netRx(s, p, cpu, 'softirq_exit', r.int(300, 900));
  const reader = r.pick(SENDERS);
  for (const addr of addrs) {
    if (r.chance(0.6))
      s.emit(reader, cpu, 'skb:skb_copy_datagram_iovec', `skbaddr=${addr} len=${r.int(1, 1448)}`, r.int(2000, 30000));
    else
      s.emit(reader, cpu, 'skb:consume_skb', `skbaddr=${addr} location=skb_defer_free_flush+0x70`, r.int(2000, 30000));
  }
}

function ethTx(r: Random, s: Sink, cpu: number): void {
  const p = r.pick(SENDERS);
  const addr = `0xffff88812f${(0x183c00 + r.int(0, 63) * 0x100).toString(16)}`;
  const len = r.int(54, 1514);
  s.emit(p, cpu, 'net:net_dev_queue', `dev=eth0 skbaddr=${addr} len=${len}`, r.int(2000, 40000));
  s.emit(p, cpu, 'net:net_dev_xmit', `dev=eth0 skbaddr=${addr} len=${len} rc=0`, r.int(1000, 8000));
  const q = r.chance(0.5) ? p : r.pick(OTHERS);
  s.emit(q, cpu, 'irq:irq_handler_entry', 'irq=39 name=virtio2-output.0', r.int(10000, 90000));
  netRx(s, q, cpu, 'softirq_raise', r.int(500, 3000));
  s.emit(q, cpu, 'irq:irq_handler_exit', 'irq=39 ret=handled', r.int(300, 900));
  netRx(s, q, cpu, 'softirq_entry', r.int(500, 2000));
  s.emit(q, cpu, 'skb:consume_skb', `skbaddr=${addr} location=__free_old_xmit+0x69`, r.int(1000, 4000));
  s.emit(
    q,
    cpu,
    'napi:napi_poll',
    `napi poll on napi struct ${ETH_NAPI[cpu & 1]} for device eth0 work 0 budget 64`,
    r.int(1000, 4000),
  );
  netRx(s, q, cpu, 'softirq_exit', r.int(300, 900));
}

function udpDrop(r: Random, s: Sink, cpu: number): void {
  const p = r.pick(SENDERS);
  const addr = skb(r);
  const len = r.int(60, 1200);
  s.emit(p, cpu, 'net:net_dev_queue', `dev=lo skbaddr=${addr} len=${len}`, r.int(1000, 20000));
  s.emit(p, cpu, 'net:netif_rx', `dev=lo skbaddr=${addr} len=${len - 14}`, r.int(300, 600));
  netRx(s, p, cpu, 'softirq_raise', r.int(300, 600));
  s.emit(p, cpu, 'net:net_dev_xmit', `dev=lo skbaddr=${addr} len=${len} rc=0`, r.int(300, 600));
  netRx(s, p, cpu, 'softirq_entry', r.int(300, 600));
  s.emit(p, cpu, 'net:netif_receive_skb', `dev=lo skbaddr=${addr} len=${len - 14}`, r.int(300, 600));
  const drop = r.weighted([90, 5, 5]);
  const payload =
    drop === 0
      ? `skbaddr=${addr} rx_sk=0xffff88812f35a500 protocol=2048 location=udp_queue_rcv_one_skb+0x437 reason: SOCKET_RCVBUFF`
      : drop === 1
        ? `skbaddr=${addr} rx_sk=(nil) protocol=2048 location=__udp4_lib_rcv+0x4bc reason: NO_SOCKET`
        : `skbaddr=${addr} rx_sk=(nil) protocol=34525 location=__udp6_lib_rcv+0xe1 reason: NO_SOCKET`;
  s.emit(p, cpu, 'skb:kfree_skb', payload, r.int(1000, 5000));
  s.emit(
    p,
    cpu,
    'napi:napi_poll',
    `napi poll on napi struct ${LOOPBACK_NAPI[cpu & 1]} for device (no_device) work 1 budget 64`,
    r.int(500, 2000),
  );
  netRx(s, p, cpu, 'softirq_exit', r.int(300, 600));
}

function timers(r: Random, s: Sink, cpu: number): void {
  const p = r.chance(0.6) ? OTHERS[0] : r.pick(SENDERS);
  const [vec, name] = r.pick(SOFTIRQS);
  const payload = `vec=${vec} [action=${name}]`;
  s.emit(p, cpu, 'irq:softirq_raise', payload, r.int(1000, 400000));
  s.emit(p, cpu, 'irq:softirq_entry', payload, r.int(1000, 9000));
  s.emit(p, cpu, 'irq:softirq_exit', payload, r.int(500, 12000));
}

function sched(r: Random, s: Sink, cpu: number): void {
  const prev = r.pick(SENDERS);
  const next = r.pick(OTHERS);
  s.emit(
    prev,
    cpu,
    'sched:sched_wakeup',
    `comm=${next.comm} pid=${next.tid} prio=120 target_cpu=00${cpu}`,
    r.int(2000, 30000),
  );
  s.emit(
    prev,
    cpu,
    'sched:sched_switch',
    `prev_comm=${prev.comm} prev_pid=${prev.tid} prev_prio=120 prev_state=S ==> next_comm=${next.comm} next_pid=${next.tid} next_prio=120`,
    r.int(1000, 9000),
  );
}

const RUN: Record<Scenario, (r: Random, s: Sink, cpu: number) => void> = {
  loopbackTcp,
  ethRx,
  ethTx,
  udpDrop,
  timers,
  sched,
};

/** Runs one scenario drawn from `mix` on one of `cpus` CPUs. */
export function runScenario(r: Random, s: Sink, mix: Mix, cpus: number): void {
  const i = r.weighted(SCENARIOS.map((k) => mix[k]));
  RUN[SCENARIOS[i]](r, s, r.int(0, cpus - 1));
}
