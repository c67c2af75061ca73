/**
 * The payload fast paths (the exact formats perf prints) must give what the generic key=value parser gives,
 * field for field, on every fixture, on the synthetic model's mix and on lines built to fall off them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateTraceText } from '../../bench/generate.js';
import { TraceDecoder } from '../../src/decode/text/decoder.js';
import { newEventBatch } from '../../src/normalise/event-batch.js';
import { EventKind } from '../../src/normalise/kinds.js';
import { Normaliser } from '../../src/normalise/normaliser.js';
import { parseGeneric } from '../../src/normalise/payload.js';
import { TRACES } from '../helpers/fixtures.js';
import { fieldsOf, kindOf } from './helpers.js';

/** Every row normalised twice: as the normaliser does it, and through the generic parser only. */
function bothWays(text: string): { fast: unknown[]; generic: unknown[] } {
  const n = new Normaliser();
  const fast: unknown[] = [];
  const generic: unknown[] = [];
  const dec = new TraceDecoder((raw) => {
    const b = n.normalise(raw);
    const g = newEventBatch(raw, n.tables);
    for (let i = 0; i < b.length; i++) {
      const k = kindOf(b, i);
      g.kind[i] = k;
      if (k === EventKind.Other) g.keepPayload[i] = 1;
      else parseGeneric(g, i, k);
      fast.push(fieldsOf(b, i));
      generic.push(fieldsOf(g, i));
    }
  });
  dec.push(new TextEncoder().encode(text));
  dec.end();
  return { fast, generic };
}

const HEAD = '            node 14916 [000]  1520.843977865:';
const TRICKY = [
  'net:net_dev_queue: dev=lo skbaddr=0xffff888134fa90e0 len=74',
  'net:net_dev_queue: dev=lo  skbaddr=0xffff888134fa90e0 len=74',
  'net:net_dev_queue: dev=lo skbaddr=0xffff888134fa90e0 len=74 ',
  'net:net_dev_queue: dev=lo skbaddr=0xffff888134fa90e0 len=-74',
  'net:net_dev_queue: dev= skbaddr=(nil) len=0',
  'net:net_dev_queue: dev=lo skbaddr=0XFFFF888134FA90E0 len=74',
  'net:net_dev_queue: dev=lo skbaddr=0xffff888134fa90e0 len=74 extra=1',
  'net:net_dev_queue: skbaddr=0xffff888134fa90e0 dev=lo len=74',
  'net:net_dev_queue: dev=lo skbaddr=0xzz len=74',
  'net:net_dev_queue: dev=lo skbaddr=0x1ffff888134fa90e0 len=74',
  'net:net_dev_queue: dev=lo skbaddr=0xffff888134fa90e0 len=99999999999',
  'net:net_dev_xmit: dev=lo skbaddr=0xffff888134fa90e0 len=74 rc=0',
  'net:net_dev_xmit: dev=lo skbaddr=0xffff888134fa90e0 len=74 rc=-16',
  'net:net_dev_xmit: dev=lo skbaddr=0xffff888134fa90e0 len=74',
  'net:net_dev_xmit: dev=lo skbaddr=0xffff888134fa90e0 len=74 rc=0 rc=1',
  'net:netif_rx: dev=eth0 skbaddr=0xffff88812f183d00 len=60',
  'net:netif_receive_skb: dev=eth0 skbaddr=0xffff88812f183d00 len=60',
  'skb:skb_copy_datagram_iovec: skbaddr=0xffff888134fa90e0 len=32768',
  'skb:skb_copy_datagram_iovec: skbaddr=0xffff888134fa90e0 len=-1',
  'skb:skb_copy_datagram_iovec: skbaddr=0xffff888134fa90e0',
  'skb:consume_skb: skbaddr=0xffff888134fa90e0',
  'skb:consume_skb: skbaddr=0xffff888134fa90e0 location=tcp_rcv_state_process+0x804',
  'skb:consume_skb: skbaddr=0xffff888134fa90e0 location=0xffffffff81234567',
  'skb:consume_skb: skbaddr=0xffff888134fa90e0 location=',
  'skb:consume_skb: skbaddr=0xffff888134fa90e0 location=a b',
  'skb:consume_skb: skbaddr=0xffff888134fa90e0 reason=x',
  'irq:softirq_raise: vec=3 [action=NET_RX]',
  'irq:softirq_entry: vec=9 [action=RCU]',
  'irq:softirq_exit: vec=5 [action=0x5]',
  'irq:softirq_exit: vec=3 [action=NET_RX',
  'irq:softirq_exit: vec=-3 [action=NET_RX]',
  'irq:softirq_exit: vec=3',
  'irq:softirq_exit: softirq=3 action=NET_RX',
  'irq:softirq_exit: vec=3 [action=NET_RX] more',
  'irq:softirq_entry: vec=3 [action=]',
  'irq:softirq_entry: vec=3 [action=]]',
  'irq:softirq_entry: vec=3 [action',
  'irq:softirq_entry: vec= [action=NET_RX]',
  'net:net_dev_queue: dev=lo skbaddr=0x len=74',
  'net:net_dev_queue: dev=lo skbaddr=0xffff888134fa90e0len=74',
  'net:net_dev_queue: dev=lo skbaddr=(nil) len=74',
  'net:net_dev_queue: dev=lo skbaddr=(nil)x len=74',
  'net:net_dev_queue: dev=lo skbaddr=(nul) len=74',
  'net:net_dev_queue: dev=lo skbaddr=0xf5b2c3c0 len=74',
  'net:net_dev_queue: dev=lo skbaddr=0x0ffff888134fa90e0 len=74',
  'net:net_dev_queue: dev=lo skbaddr=0xffff888134fa90e0 len=',
  'net:net_dev_queue: dev=lo skbaddr=0xffff888134fa90e0 len',
  'net:net_dev_queue: dev=lo skbaddr=0xffff888134fa90e0',
  'net:net_dev_queue: dev=lo',
  'net:net_dev_queue: dev',
  'net:net_dev_xmit: dev=lo skbaddr=0xffff888134fa90e0 len=74 rc=',
  'net:net_dev_xmit: dev=lo skbaddr=0xffff888134fa90e0 len=-74 rc=0',
  'net:net_dev_xmit: dev=lo skbaddr=0xffff888134fa90e0 len=74 rc=0 ',
  'skb:consume_skb: skbaddr=0xffff888134fa90e0 location',
  'skb:consume_skb: skbaddr=0xffff888134fa90e0 locationx=a',
  'skb:consume_skb: skbaddr=(nil)',
  'skb:consume_skb: skbaddr=0xffff888134fa90e0 ',
  'napi:napi_poll: napi poll on napi struct 0xffff888103e4c010 for device (no_device) work 1 budget 64',
  'napi:napi_poll: napi poll on napi struct 0xffff880405c1a810 for device eth0',
  'napi:napi_poll: napi poll on napi struct 0xffff880405c1a810 for device eth0 ',
  'napi:napi_poll: napi poll on napi struct 0xffff880405c1a810 for device ',
  'napi:napi_poll: napi poll on napi struct 0xffff880405c1a810 for device',
  'napi:napi_poll: napi poll on napi struct (nil) for device eth0 work 0 budget 64',
  'napi:napi_poll: napi poll on napi struct 0xzz for device eth0 work 0 budget 64',
  'napi:napi_poll: napi poll on napi struct 0xffff888103e4c010 for device eth0 work -1 budget 64',
  'napi:napi_poll: napi poll on napi struct 0xffff888103e4c010 for device eth0 work x budget 64',
  'napi:napi_poll: napi poll on napi struct 0xffff888103e4c010 for device eth0 work 1 budget 64 more',
  'napi:napi_poll: napi poll on napi struct 0xffff888103e4c010 for device eth0 work 1 budget',
  'napi:napi_poll: napi poll on napi struct 0xffff888103e4c010 for device eth0 work 1',
  'napi:napi_poll: napi poll on napi struct 0xffff888103e4c010 for device eth0 workload 1 budget 64',
  'napi:napi_poll: napi poll on napi struct 0xffff888103e4c010  for device eth0',
  'napi:napi_poll: napi poll on napi struct 0xffff888103e4c010 for device eth0  work 1 budget 64',
  'napi:napi_poll: napi poll on napi struct 0xffff888103e4c010 for device eth0 work 1  budget 64',
  'napi:napi_poll: napi poll on napi struct',
  'napi:napi_poll: napi poll on napi struct ',
  'napi:napi_poll: napi poll on napi',
  // Names the fast paths remember (by vector, by length): same slot, other bytes.
  'irq:softirq_raise: vec=3 [action=NET_RX]',
  'irq:softirq_raise: vec=3 [action=NET_TX]',
  'irq:softirq_raise: vec=19 [action=NET_RX]',
  'irq:softirq_raise: vec=3 [action=NET_RX]',
  'irq:softirq_raise: vec=3 [action=NET RX]',
  'irq:softirq_raise: vec=3 [action=NET_RX',
  'net:netif_rx: dev=lo skbaddr=0xffff88812f183d00 len=60',
  'net:netif_rx: dev=wg skbaddr=0xffff88812f183d00 len=60',
  'net:netif_rx: dev=lo skbaddr=0xffff88812f183d00 len=60',
  'skb:consume_skb: skbaddr=0xffff888134fa90e0 location=abc+0x1',
  'skb:consume_skb: skbaddr=0xffff888134fa90e0 location=abd+0x1',
  'skb:consume_skb: skbaddr=0xffff888134fa90e0 location=abc+0x1',
  'skb:consume_skb: skbaddr=0xffff888134fa90e0 location=ab +0x1',
];

describe('payload fast paths', () => {
  const files = readdirSync(TRACES).filter(
    (f) => f.endsWith('.txt') && !f.includes('report') && !/\.(rx|tx|debug|report|dev-[^.]*)\.txt$/.test(f),
  );

  it.each(files)('%s: the same fields as the generic parser', (f) => {
    const { fast, generic } = bothWays(readFileSync(`${TRACES}${f}`, 'utf8'));
    expect(fast.length).toBeGreaterThan(0);
    expect(fast).toEqual(generic);
  });

  it('the synthetic model: the same fields as the generic parser', () => {
    const { fast, generic } = bothWays(generateTraceText({ events: 30000, seed: 9 }));
    expect(fast).toEqual(generic);
  });

  it('lines off the fast paths (spacing, order, extra fields, bad values): the same fields as the generic parser', () => {
    const { fast, generic } = bothWays(TRICKY.map((p) => `${HEAD} ${p}\n`).join(''));
    expect(fast.length).toBe(TRICKY.length);
    expect(fast).toEqual(generic);
  });
});
