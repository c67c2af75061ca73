/** The Normaliser across batches: event kinds by name id, shared dictionaries, the unparsed tally. */
import { describe, expect, it } from 'vitest';
import { EventKind, EVENT_NAMES, kindOfName } from '../../src/normalise/kinds.js';
import { Normaliser } from '../../src/normalise/normaliser.js';
import { decode } from '../decode/helpers.js';
import { normaliseText } from './helpers.js';

const LINES = [
  '        polars-1 14929 [000]  1520.292816:           irq:softirq_raise: vec=1 [action=TIMER]',
  '            perf 15191 [000]  1532.084655786:          sched:sched_wakeup: comm=migration/0 pid=18 prio=0 target_cpu=000',
  '             npm 14946 [000]  1520.843762:           net:net_dev_queue: dev=eth0 skbaddr=0xffff888132144500 len=78',
  '             npm 14946 [000]  1520.843778:            net:net_dev_xmit: dev=eth0 skbaddr=0xffff888132144500 len=78 rc=0',
  '            node 14916 [000]  1520.843977:       irq:irq_handler_entry: irq=39 name=virtio2-output.0',
  '            node 14916 [000]  1520.843980:        irq:irq_handler_exit: irq=39 ret=handled',
  '            node 14916 [000]  1520.843989:              napi:napi_poll: napi poll on napi struct 0xffff8881024052c0 for device eth0 work 0 budget 64',
  ' npm view left-p 14937 [001]  1520.844139:       net:netif_receive_skb: dev=eth0 skbaddr=0xffff88812f183d00 len=64',
  '             npm 14937 [000]  1520.513942: skb:skb_copy_datagram_iovec: skbaddr=0xffff888132144500 len=2952',
  ' kworker/1:0-vir  4435 [001]  1520.917949:             skb:consume_skb: skbaddr=0xffff88812f183d00 location=virtio_transport_tx_work+0x5c',
  '            curl 14738 [000]  1515.656151211:                net:netif_rx: dev=lo skbaddr=0xffff888134fabce0 len=60',
  '            bash 14934 [001]  1521.380262:               skb:kfree_skb: skbaddr=0xffff8881061a6300 rx_sk=(nil) protocol=2048 location=tcp_v4_rcv+0x91 reason: NO_SOCKET',
  '        polars-1 14929 [000]  1520.292828:           irq:softirq_entry: vec=1 [action=TIMER]',
  '        polars-1 14929 [000]  1520.292831:            irq:softirq_exit: vec=1 [action=TIMER]',
  '            perf 15191 [000]  1532.084665155:          sched:sched_switch: prev_comm=perf prev_pid=15191 prev_prio=120 prev_state=D ==> next_comm=migration/0 next_pid=18 next_prio=0',
];

describe('kinds', () => {
  it('EVENT_NAMES lists the 13 tracepoints once each', () => {
    expect(EVENT_NAMES.length).toBe(13);
    expect(new Set(EVENT_NAMES.map(([n]) => n)).size).toBe(13);
    expect(new Set(EVENT_NAMES.map(([, k]) => k)).size).toBe(13);
    for (const [name, kind] of EVENT_NAMES) expect(kindOfName(name)).toBe(kind);
    expect(kindOfName('net:netif_receive_skb_entry')).toBe(EventKind.Other);
  });
});

describe('Normaliser across batches', () => {
  it('classifies event names first seen in a later batch (one new name per batch)', () => {
    const want = LINES.map((l) => kindOfName(/\d: +(\S+): /.exec(l)?.[1] ?? ''));
    expect(want.filter((k) => k !== EventKind.Other).length).toBe(13);
    for (const batchSize of [1, 2, 3, 16384]) {
      const rows = normaliseText(LINES.join('\n'), { batchSize });
      expect(
        rows.map((r) => r.kind),
        `batch size ${batchSize}`,
      ).toEqual(want);
      for (const r of rows)
        if (r.kind !== EventKind.Other) expect([r.event, r.parsed, r.keepPayload]).toEqual([r.event, 1, 0]);
    }
  });

  it('classifies names first seen many batches later (more than 16 names)', () => {
    const others = Array.from(
      { length: 40 },
      (_, k) => `            perf 15191 [000]  1532.084655786:          sched:other_${k}: x=1`,
    );
    const text = others.concat(LINES).join('\n');
    const rows = normaliseText(text, { batchSize: 1 });
    expect(rows.filter((r) => r.kind !== EventKind.Other).length).toBe(13);
    expect(rows.filter((r) => r.parsed === 1).length).toBe(13);
  });

  it('shares the field dictionaries across batches and tallies unparsed netdev payloads per event', () => {
    const d = decode(
      [
        LINES[2],
        '             npm 14946 [000]  1520.843762:           net:net_dev_queue: dev=eth0 skbaddr=nope len=78',
        LINES[2].replace('len=78', 'len=79'),
        '             npm 14946 [000]  1520.843762:           net:net_dev_queue: dev=eth1',
      ].join('\n'),
      { batchSize: 1 },
    );
    const n = new Normaliser();
    const batches = d.batches.map((b) => n.normalise(b));
    expect(batches.map((b) => b.dev.ids[0])).toEqual([0, 0, 0, 1]);
    expect(batches[0].dev.table).toBe(batches[3].dev.table);
    expect(n.tables.dev.values).toEqual(['eth0', 'eth1']);
    const queueId = d.batches[0].events.idOf('net:net_dev_queue');
    expect([...n.unparsed.entries()]).toEqual([[queueId, 2]]);
  });

  it('an empty batch normalises to an empty EventBatch', () => {
    const d = decode(LINES[0]);
    const raw = d.batches[0];
    const n = new Normaliser();
    const b = n.normalise({ ...raw, length: 0 });
    expect(b.length).toBe(0);
  });
});
