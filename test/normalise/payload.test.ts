/**
 * Typed fields of the 13 netdev tracepoints: real Linux 6.18 lines (test/fixtures/traces), the older kernels'
 * formats of ../shared/traces/formats.md and older-kernels.txt, and payloads that must not parse.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EventKind } from '../../src/normalise/kinds.js';
import { normaliseLine, normalisePayload, normaliseText, type Fields } from './helpers.js';

const ok = (
  event: string,
  kind: EventKind,
  fields: Omit<Fields, 'event' | 'kind' | 'parsed' | 'keepPayload'>,
): Fields => ({ event, kind, parsed: 1, keepPayload: 0, ...fields });

describe('Linux 6.18 payloads (real lines)', () => {
  const cases: [string, Fields][] = [
    [
      '             npm 14946 [000]  1520.843762:           net:net_dev_queue: dev=eth0 skbaddr=0xffff888132144500 len=78',
      ok('net:net_dev_queue', EventKind.NetDevQueue, { dev: 'eth0', skbaddr: 0xffff888132144500n, len: 78 }),
    ],
    [
      '             npm 14946 [000]  1520.843778:            net:net_dev_xmit: dev=eth0 skbaddr=0xffff888132144500 len=78 rc=0',
      ok('net:net_dev_xmit', EventKind.NetDevXmit, { dev: 'eth0', skbaddr: 0xffff888132144500n, len: 78, rc: 0 }),
    ],
    [
      ' npm view left-p 14937 [001]  1520.844139:       net:netif_receive_skb: dev=eth0 skbaddr=0xffff88812f183d00 len=64',
      ok('net:netif_receive_skb', EventKind.NetifReceiveSkb, { dev: 'eth0', skbaddr: 0xffff88812f183d00n, len: 64 }),
    ],
    [
      '            curl 14738 [000]  1515.656151211:                net:netif_rx: dev=lo skbaddr=0xffff888134fabce0 len=60',
      ok('net:netif_rx', EventKind.NetifRx, { dev: 'lo', skbaddr: 0xffff888134fabce0n, len: 60 }),
    ],
    [
      '            bash 14934 [001]  1521.380256:               skb:kfree_skb: skbaddr=0xffff8881061a6700 rx_sk=0xffff8881061fca00 protocol=2048 location=tcp_v4_do_rcv+0x7c reason: TCP_ABORT_ON_DATA',
      ok('skb:kfree_skb', EventKind.KfreeSkb, {
        skbaddr: 0xffff8881061a6700n,
        rxSk: 0xffff8881061fca00n,
        protocol: 2048,
        location: 'tcp_v4_do_rcv+0x7c',
        reason: 'TCP_ABORT_ON_DATA',
      }),
    ],
    [
      '            bash 14934 [001]  1521.380262:               skb:kfree_skb: skbaddr=0xffff8881061a6300 rx_sk=(nil) protocol=2048 location=tcp_v4_rcv+0x91 reason: NO_SOCKET',
      ok('skb:kfree_skb', EventKind.KfreeSkb, {
        skbaddr: 0xffff8881061a6300n,
        rxSk: 0n,
        protocol: 2048,
        location: 'tcp_v4_rcv+0x91',
        reason: 'NO_SOCKET',
      }),
    ],
    [
      '         python3 15039 [000]  1525.993324:               skb:kfree_skb: skbaddr=0xffff888132144a00 rx_sk=0xffff888100d90fc0 protocol=2048 location=udp_queue_rcv_one_skb+0x437 reason: SOCKET_RCVBUFF',
      ok('skb:kfree_skb', EventKind.KfreeSkb, {
        skbaddr: 0xffff888132144a00n,
        rxSk: 0xffff888100d90fc0n,
        protocol: 2048,
        location: 'udp_queue_rcv_one_skb+0x437',
        reason: 'SOCKET_RCVBUFF',
      }),
    ],
    [
      ' kworker/1:0-vir  4435 [001]  1520.917949:             skb:consume_skb: skbaddr=0xffff88812f183d00 location=virtio_transport_tx_work+0x5c',
      ok('skb:consume_skb', EventKind.ConsumeSkb, {
        skbaddr: 0xffff88812f183d00n,
        location: 'virtio_transport_tx_work+0x5c',
      }),
    ],
    [
      'curl 15495 [001]  1537.344731692:             skb:consume_skb: skbaddr=0xffff888134fa8ee0 location=validate_xmit_skb.isra.0+0x19d',
      ok('skb:consume_skb', EventKind.ConsumeSkb, {
        skbaddr: 0xffff888134fa8ee0n,
        location: 'validate_xmit_skb.isra.0+0x19d',
      }),
    ],
    [
      '             npm 14937 [000]  1520.513942: skb:skb_copy_datagram_iovec: skbaddr=0xffff888132144500 len=2952',
      ok('skb:skb_copy_datagram_iovec', EventKind.SkbCopyDatagramIovec, { skbaddr: 0xffff888132144500n, len: 2952 }),
    ],
    [
      '            node 14916 [000]  1520.843989:              napi:napi_poll: napi poll on napi struct 0xffff8881024052c0 for device eth0 work 0 budget 64',
      ok('napi:napi_poll', EventKind.NapiPoll, { napi: 0xffff8881024052c0n, dev: 'eth0', work: 0, budget: 64 }),
    ],
    [
      '            curl 14738 [000]  1515.656177859:              napi:napi_poll: napi poll on napi struct 0xffff888627c2d188 for device (no_device) work 2 budget 64',
      ok('napi:napi_poll', EventKind.NapiPoll, { napi: 0xffff888627c2d188n, dev: '(no_device)', work: 2, budget: 64 }),
    ],
    [
      '            node 14916 [000]  1520.843977865:       irq:irq_handler_entry: irq=39 name=virtio2-output.0',
      ok('irq:irq_handler_entry', EventKind.IrqHandlerEntry, { irq: 39, irqName: 'virtio2-output.0' }),
    ],
    [
      '            node 14916 [000]  1520.843980:        irq:irq_handler_exit: irq=39 ret=handled',
      ok('irq:irq_handler_exit', EventKind.IrqHandlerExit, { irq: 39, ret: 'handled' }),
    ],
    [
      '        polars-1 14929 [000]  1520.292828:           irq:softirq_entry: vec=1 [action=TIMER]',
      ok('irq:softirq_entry', EventKind.SoftirqEntry, { vec: 1, vecName: 'TIMER' }),
    ],
    [
      '        polars-1 14929 [000]  1520.292831:            irq:softirq_exit: vec=1 [action=TIMER]',
      ok('irq:softirq_exit', EventKind.SoftirqExit, { vec: 1, vecName: 'TIMER' }),
    ],
    [
      '             :-1    -1 [001]  1520.917693:           irq:softirq_raise: vec=4 [action=BLOCK]',
      ok('irq:softirq_raise', EventKind.SoftirqRaise, { vec: 4, vecName: 'BLOCK' }),
    ],
  ];
  it.each(cases)('%s', (line, want) => {
    expect(normaliseLine(line)).toEqual(want);
  });

  it('covers all 13 tracepoints', () => {
    expect(new Set(cases.map(([, f]) => f.kind)).size).toBe(13);
  });

  it('pointers at and beyond 2^63 are exact unsigned 64-bit values', () => {
    const f = normalisePayload('net:netif_receive_skb', 'dev=eth0 skbaddr=0xffff888102ac7500 len=1500');
    expect(f.skbaddr).toBe(0xffff888102ac7500n);
    expect(f.skbaddr).toBe(18446612686409856256n);
    expect(normalisePayload('skb:consume_skb', 'skbaddr=0xffffffffffffffff').skbaddr).toBe(2n ** 64n - 1n);
    expect(normalisePayload('skb:consume_skb', 'skbaddr=0x8000000000000000').skbaddr).toBe(2n ** 63n);
    expect(normalisePayload('skb:consume_skb', 'skbaddr=0x7fffffffffffffff').skbaddr).toBe(2n ** 63n - 1n);
    expect(normalisePayload('skb:consume_skb', 'skbaddr=0x20000000000001').skbaddr).toBe(2n ** 53n + 1n);
    expect(normalisePayload('skb:consume_skb', 'skbaddr=0xFFFF888102AC7501').skbaddr).toBe(0xffff888102ac7501n);
  });
});

describe('older kernel formats (formats.md)', () => {
  it('napi_poll without work/budget (before 4.8)', () => {
    expect(normalisePayload('napi:napi_poll', 'napi poll on napi struct 0xffff880405c1a810 for device eth0')).toEqual(
      ok('napi:napi_poll', EventKind.NapiPoll, { napi: 0xffff880405c1a810n, dev: 'eth0' }),
    );
    expect(normalisePayload('napi:napi_poll', 'napi poll on napi struct 0xf5b2c3c0 for device eth1')).toEqual(
      ok('napi:napi_poll', EventKind.NapiPoll, { napi: 0xf5b2c3c0n, dev: 'eth1' }),
    );
  });

  it('kfree_skb before 5.17: skbaddr protocol location, no reason', () => {
    expect(
      normalisePayload('skb:kfree_skb', 'skbaddr=0xffff8803f1a2e400 protocol=2048 location=0xffffffff81584a2c'),
    ).toEqual(
      ok('skb:kfree_skb', EventKind.KfreeSkb, {
        skbaddr: 0xffff8803f1a2e400n,
        protocol: 2048,
        location: '0xffffffff81584a2c',
      }),
    );
    // 32-bit kernel: 8-digit pointers, ARP.
    expect(normalisePayload('skb:kfree_skb', 'skbaddr=0xf5b2c3c0 protocol=2054 location=0xc14f2a3e')).toEqual(
      ok('skb:kfree_skb', EventKind.KfreeSkb, { skbaddr: 0xf5b2c3c0n, protocol: 2054, location: '0xc14f2a3e' }),
    );
  });

  it('kfree_skb 5.17 to 6.1: reason, %p location', () => {
    expect(
      normalisePayload(
        'skb:kfree_skb',
        'skbaddr=0xffff88081b6f5200 protocol=2048 location=0xffffffff8a9d53a1 reason: NO_SOCKET',
      ),
    ).toEqual(
      ok('skb:kfree_skb', EventKind.KfreeSkb, {
        skbaddr: 0xffff88081b6f5200n,
        protocol: 2048,
        location: '0xffffffff8a9d53a1',
        reason: 'NO_SOCKET',
      }),
    );
  });

  it('kfree_skb with the empty reason of the 2022 drop_reasons[] format (line ends in a space)', () => {
    expect(
      normalisePayload(
        'skb:kfree_skb',
        'skbaddr=0xffff9d2851242700 protocol=34525 location=0xffffffffa39346b1 reason: ',
      ),
    ).toEqual(
      ok('skb:kfree_skb', EventKind.KfreeSkb, {
        skbaddr: 0xffff9d2851242700n,
        protocol: 34525,
        location: '0xffffffffa39346b1',
        reason: '',
      }),
    );
    // The same, its trailing space lost (e.g. by an editor): still an empty reason.
    expect(
      normalisePayload('skb:kfree_skb', 'skbaddr=0xffff9d2851242700 protocol=34525 location=0xffffffffa39346b1 reason:')
        .reason,
    ).toBe('');
  });

  it('kfree_skb 6.2 to 6.10: %pS location (symbol+0xoff, bare symbol, unresolved hex), hex reasons', () => {
    expect(
      normalisePayload(
        'skb:kfree_skb',
        'skbaddr=0xffff88081b6f5e00 protocol=2048 location=udp_queue_rcv_one_skb+0x3f1 reason: SOCKET_RCVBUFF',
      ),
    ).toEqual(
      ok('skb:kfree_skb', EventKind.KfreeSkb, {
        skbaddr: 0xffff88081b6f5e00n,
        protocol: 2048,
        location: 'udp_queue_rcv_one_skb+0x3f1',
        reason: 'SOCKET_RCVBUFF',
      }),
    );
    expect(
      normalisePayload(
        'skb:kfree_skb',
        'skbaddr=0xffff8803f1a2f300 protocol=2048 location=nf_hook_slow reason: NETFILTER_DROP',
      ),
    ).toMatchObject({ parsed: 1, keepPayload: 0, location: 'nf_hook_slow', reason: 'NETFILTER_DROP' });
    expect(
      normalisePayload(
        'skb:kfree_skb',
        'skbaddr=0xffff88081a2c4b00 protocol=2048 location=do_execute_actions+0x2e9 reason: 0x30000',
      ),
    ).toMatchObject({ parsed: 1, keepPayload: 0, location: 'do_execute_actions+0x2e9', reason: '0x30000' });
    expect(
      normalisePayload(
        'skb:kfree_skb',
        'skbaddr=0xffff88081b6f5e00 protocol=2048 location=0xffffffffc08a31f2 reason: 0x4d',
      ),
    ).toMatchObject({ parsed: 1, keepPayload: 0, location: '0xffffffffc08a31f2', reason: '0x4d' });
    // %pS of NULL prints 0x0.
    expect(
      normalisePayload('skb:kfree_skb', 'skbaddr=0xffff88081b6f5e00 protocol=2048 location=0x0 reason: NOT_SPECIFIED'),
    ).toMatchObject({ parsed: 1, keepPayload: 0, location: '0x0' });
  });

  it('kfree_skb 6.11+: rx_sk second', () => {
    expect(
      normalisePayload(
        'skb:kfree_skb',
        'skbaddr=0xffff888134fa8ee0 rx_sk=(nil) protocol=2048 location=sk_stream_kill_queues+0x57 reason: QUEUE_PURGE',
      ),
    ).toEqual(
      ok('skb:kfree_skb', EventKind.KfreeSkb, {
        skbaddr: 0xffff888134fa8ee0n,
        rxSk: 0n,
        protocol: 2048,
        location: 'sk_stream_kill_queues+0x57',
        reason: 'QUEUE_PURGE',
      }),
    );
  });

  it('consume_skb with and without location', () => {
    expect(normalisePayload('skb:consume_skb', 'skbaddr=0xffff8803f1a2e700')).toEqual(
      ok('skb:consume_skb', EventKind.ConsumeSkb, { skbaddr: 0xffff8803f1a2e700n }),
    );
    expect(normalisePayload('skb:consume_skb', 'skbaddr=0xffff8803e9c4a8e8 location=ixgbe_clean_tx_irq')).toEqual(
      ok('skb:consume_skb', EventKind.ConsumeSkb, { skbaddr: 0xffff8803e9c4a8e8n, location: 'ixgbe_clean_tx_irq' }),
    );
    expect(normalisePayload('skb:consume_skb', 'skbaddr=0xffff8803e9c4a8e8 location=0xffffffffc08a31f2')).toMatchObject(
      { parsed: 1, keepPayload: 0, location: '0xffffffffc08a31f2' },
    );
  });

  it('irq_handler_entry: name= is free text to the end of the line; old handler=', () => {
    expect(normalisePayload('irq:irq_handler_entry', 'irq=130 name=iwlwifi: default queue')).toEqual(
      ok('irq:irq_handler_entry', EventKind.IrqHandlerEntry, { irq: 130, irqName: 'iwlwifi: default queue' }),
    );
    expect(normalisePayload('irq:irq_handler_entry', 'irq=19 handler=ehci_hcd:usb1')).toEqual(
      ok('irq:irq_handler_entry', EventKind.IrqHandlerEntry, { irq: 19, irqName: 'ehci_hcd:usb1' }),
    );
    expect(normalisePayload('irq:irq_handler_entry', 'irq=17 name=ahci[0000:00:1f.2]').irqName).toBe(
      'ahci[0000:00:1f.2]',
    );
    expect(normalisePayload('irq:irq_handler_entry', 'irq=88 name=mlx5_comp3@pci:0000:3b:00.0').irqName).toBe(
      'mlx5_comp3@pci:0000:3b:00.0',
    );
    expect(normalisePayload('irq:irq_handler_entry', 'irq=5 name=a name=b ret=c').irqName).toBe('a name=b ret=c');
  });

  it('irq_handler_exit: ret= and old return=', () => {
    expect(normalisePayload('irq:irq_handler_exit', 'irq=11 ret=unhandled')).toEqual(
      ok('irq:irq_handler_exit', EventKind.IrqHandlerExit, { irq: 11, ret: 'unhandled' }),
    );
    expect(normalisePayload('irq:irq_handler_exit', 'irq=19 return=unhandled')).toEqual(
      ok('irq:irq_handler_exit', EventKind.IrqHandlerExit, { irq: 19, ret: 'unhandled' }),
    );
  });

  it('softirq: vec=N [action=X], [action=0x5], old softirq=N action=X', () => {
    expect(normalisePayload('irq:softirq_raise', 'vec=3 [action=NET_RX]')).toEqual(
      ok('irq:softirq_raise', EventKind.SoftirqRaise, { vec: 3, vecName: 'NET_RX' }),
    );
    expect(normalisePayload('irq:softirq_raise', 'vec=5 [action=0x5]')).toEqual(
      ok('irq:softirq_raise', EventKind.SoftirqRaise, { vec: 5, vecName: '0x5' }),
    );
    expect(normalisePayload('irq:softirq_entry', 'vec=5 [action=BLOCK_IOPOLL]')).toEqual(
      ok('irq:softirq_entry', EventKind.SoftirqEntry, { vec: 5, vecName: 'BLOCK_IOPOLL' }),
    );
    expect(normalisePayload('irq:softirq_entry', 'softirq=3 action=NET_RX')).toEqual(
      ok('irq:softirq_entry', EventKind.SoftirqEntry, { vec: 3, vecName: 'NET_RX' }),
    );
    expect(normalisePayload('irq:softirq_exit', 'softirq=1 action=TIMER')).toEqual(
      ok('irq:softirq_exit', EventKind.SoftirqExit, { vec: 1, vecName: 'TIMER' }),
    );
  });

  it('net_dev_xmit rc is signed: 16 (TX_BUSY), negative values', () => {
    expect(normalisePayload('net:net_dev_xmit', 'dev=eth0 skbaddr=0xffff8803e9c4a8e8 len=1514 rc=16')).toEqual(
      ok('net:net_dev_xmit', EventKind.NetDevXmit, { dev: 'eth0', skbaddr: 0xffff8803e9c4a8e8n, len: 1514, rc: 16 }),
    );
    expect(normalisePayload('net:net_dev_xmit', 'dev=bond0.100 skbaddr=0xf5b2c3c0 len=65226 rc=-1')).toEqual(
      ok('net:net_dev_xmit', EventKind.NetDevXmit, { dev: 'bond0.100', skbaddr: 0xf5b2c3c0n, len: 65226, rc: -1 }),
    );
  });

  it('skb_copy_datagram_iovec len is signed (%d)', () => {
    expect(normalisePayload('skb:skb_copy_datagram_iovec', 'skbaddr=0xffff8803f1a2e700 len=-14')).toEqual(
      ok('skb:skb_copy_datagram_iovec', EventKind.SkbCopyDatagramIovec, { skbaddr: 0xffff8803f1a2e700n, len: -14 }),
    );
  });

  it('(nil) pointers are 0, not null', () => {
    expect(normalisePayload('skb:consume_skb', 'skbaddr=(nil)')).toEqual(
      ok('skb:consume_skb', EventKind.ConsumeSkb, { skbaddr: 0n }),
    );
    expect(
      normalisePayload('napi:napi_poll', 'napi poll on napi struct (nil) for device eth0 work 0 budget 64'),
    ).toEqual(ok('napi:napi_poll', EventKind.NapiPoll, { napi: 0n, dev: 'eth0', work: 0, budget: 64 }));
  });
});

describe('older-kernels.txt (51 lines, formats mixed line by line)', () => {
  const text = readFileSync(new URL('../fixtures/traces/older-kernels.txt', import.meta.url), 'utf8');
  const rows = normaliseText(text);

  it('every line is a netdev event whose payload parses completely', () => {
    expect(rows.length).toBe(51);
    for (const [i, r] of rows.entries()) {
      expect(r.kind, `line ${i + 1}`).not.toBe(EventKind.Other);
      expect([r.parsed, r.keepPayload], `line ${i + 1}: ${r.event}`).toEqual([1, 0]);
    }
  });

  it('line by line values', () => {
    expect(rows[0]).toEqual(
      ok('irq:irq_handler_entry', EventKind.IrqHandlerEntry, { irq: 19, irqName: 'ehci_hcd:usb1' }),
    );
    expect(rows[1]).toEqual(ok('irq:irq_handler_exit', EventKind.IrqHandlerExit, { irq: 19, ret: 'unhandled' }));
    expect(rows[8]).toEqual(
      ok('skb:kfree_skb', EventKind.KfreeSkb, {
        skbaddr: 0xffff8803f1a2e400n,
        protocol: 2048,
        location: '0xffffffff81584a2c',
      }),
    );
    expect(rows[9]).toEqual(ok('napi:napi_poll', EventKind.NapiPoll, { napi: 0xffff880405c1a810n, dev: 'eth0' }));
    expect(rows[12]).toEqual(ok('skb:consume_skb', EventKind.ConsumeSkb, { skbaddr: 0xffff8803f1a2e700n }));
    expect(rows[14]).toEqual(
      ok('net:net_dev_xmit', EventKind.NetDevXmit, { dev: 'eth0', skbaddr: 0xffff8803e9c4a8e8n, len: 1514, rc: 16 }),
    );
    expect(rows[19]).toEqual(ok('irq:softirq_raise', EventKind.SoftirqRaise, { vec: 5, vecName: '0x5' }));
    expect(rows[20]).toEqual(ok('irq:softirq_entry', EventKind.SoftirqEntry, { vec: 5, vecName: 'BLOCK_IOPOLL' }));
    expect(rows[26]).toEqual(
      ok('skb:consume_skb', EventKind.ConsumeSkb, { skbaddr: 0xffff8803e9c4a8e8n, location: 'ixgbe_clean_tx_irq' }),
    );
    expect(rows[28]).toEqual(
      ok('skb:kfree_skb', EventKind.KfreeSkb, {
        skbaddr: 0xffff8803f1a2f300n,
        protocol: 2048,
        location: 'nf_hook_slow',
        reason: 'NETFILTER_DROP',
      }),
    );
    expect(rows[35]).toEqual(ok('irq:softirq_entry', EventKind.SoftirqEntry, { vec: 3, vecName: 'NET_RX' }));
    expect(rows[37]).toMatchObject({ location: '0xffffffff8a9d53a1', reason: 'NO_SOCKET' });
    expect(rows[38]).toEqual(
      ok('napi:napi_poll', EventKind.NapiPoll, { napi: 0xffff88083fc1a5d0n, dev: '(no_device)', work: 1, budget: 64 }),
    );
    expect(rows[39]).toEqual(ok('irq:softirq_exit', EventKind.SoftirqExit, { vec: 3, vecName: 'NET_RX' }));
    expect(rows[49]).toEqual(
      ok('skb:kfree_skb', EventKind.KfreeSkb, {
        skbaddr: 0xffff8803f0c1d500n,
        protocol: 34525,
        location: '0xffffffff81619e3b',
        reason: '',
      }),
    );
    expect(rows[50]).toMatchObject({ location: 'do_execute_actions+0x2e9', reason: '0x30000', parsed: 1 });
  });
});

describe('payloads that do not fit: parsed=0, payload kept, never a throw', () => {
  const notParsed = (event: string, payload: string): void => {
    const f = normalisePayload(event, payload);
    expect(f.kind, `${event}: ${payload}`).not.toBe(EventKind.Other);
    expect([f.parsed, f.keepPayload], `${event}: ${payload}`).toEqual([0, 1]);
  };

  it('impossible values', () => {
    notParsed('net:net_dev_queue', 'dev=eth0 skbaddr=0xffff888132144500 len=-1');
    notParsed('net:netif_rx', 'dev=lo skbaddr=0x12345678901234567890 len=60');
    notParsed('net:netif_receive_skb', 'dev=eth0 skbaddr=0xffff88812f183d00 len=4294967296');
    notParsed('net:net_dev_xmit', 'dev=eth0 skbaddr=0xffff888132144500 len=78 rc=99999999999');
    notParsed(
      'skb:kfree_skb',
      'skbaddr=0xffff8881061a6300 rx_sk=(nil) protocol=-2048 location=tcp_v4_rcv+0x91 reason: NO_SOCKET',
    );
    notParsed('skb:consume_skb', 'skbaddr=0xgggg888132144500');
    notParsed('skb:consume_skb', 'skbaddr=ffff888132144500');
    notParsed('skb:consume_skb', 'skbaddr=0x');
    notParsed('skb:skb_copy_datagram_iovec', 'skbaddr=0xffff888132144500 len=12ab');
    notParsed('napi:napi_poll', 'napi poll on napi struct 0xffff88003fc13a10x for device eth0 work 1 budget 64');
    notParsed('irq:irq_handler_entry', 'irq=abc name=eth0');
    notParsed('irq:irq_handler_exit', 'irq=11');
    notParsed('irq:softirq_entry', 'vec=-3 [action=NET_RX]');
  });

  it('missing required fields and empty payloads', () => {
    notParsed('net:net_dev_xmit', 'dev=eth0 skbaddr=0xffff888132144500 len=78');
    notParsed('skb:kfree_skb', 'skbaddr=0xffff8881061a6300');
    notParsed('napi:napi_poll', 'napi poll on napi struct 0xffff8881024052c0');
    notParsed('napi:napi_poll', 'something else entirely');
    notParsed('irq:irq_handler_entry', 'irq=39');
    notParsed('irq:softirq_raise', '');
    notParsed('net:netif_rx', '');
  });

  it('[FAILED TO PARSE]: the key=value pairs it does carry are used, the payload is kept', () => {
    const f = normalisePayload(
      'skb:kfree_skb',
      '[FAILED TO PARSE] skbaddr=0xffff88081b6f5200 location=0xffffffff8a9d53a1 protocol=2048 reason=2',
    );
    expect(f).toEqual({
      event: 'skb:kfree_skb',
      kind: EventKind.KfreeSkb,
      parsed: 1,
      keepPayload: 1,
      skbaddr: 0xffff88081b6f5200n,
      location: '0xffffffff8a9d53a1',
      protocol: 2048,
    });
    notParsed('net:net_dev_xmit', '[FAILED TO PARSE] skbaddr=0xffff888132144500 len=78 rc=0 name=eth0');
    notParsed('irq:irq_handler_entry', '[FAILED TO PARSE] irq=39 name=0x14');
    notParsed('napi:napi_poll', '[FAILED TO PARSE] napi=0xffff8881024052c0 dev_name=eth0 work=0 budget=64');
  });

  it('unknown extra or repeated fields keep the payload but still give the known fields', () => {
    expect(normalisePayload('net:netif_receive_skb', 'dev=eth0 skbaddr=0xffff88812f183d00 len=64 queue=3')).toEqual({
      event: 'net:netif_receive_skb',
      kind: EventKind.NetifReceiveSkb,
      parsed: 1,
      keepPayload: 1,
      dev: 'eth0',
      skbaddr: 0xffff88812f183d00n,
      len: 64,
    });
    expect(
      normalisePayload('net:netif_receive_skb', 'dev=eth0 skbaddr=0xffff88812f183d00 len=64 len=65'),
    ).toMatchObject({ parsed: 1, keepPayload: 1, len: 64 });
    expect(
      normalisePayload(
        'napi:napi_poll',
        'napi poll on napi struct 0xffff8881024052c0 for device eth0 work 0 budget 64 extra',
      ),
    ).toMatchObject({ parsed: 1, keepPayload: 1, napi: 0xffff8881024052c0n, dev: 'eth0' });
    // rc is not a field of net_dev_queue.
    expect(normalisePayload('net:net_dev_queue', 'dev=eth0 skbaddr=0xffff888132144500 len=78 rc=0')).toMatchObject({
      parsed: 1,
      keepPayload: 1,
    });
  });
});

describe('event kinds', () => {
  it('other events are kind Other with their payload kept', () => {
    const f = normaliseLine(
      '            perf 15191 [000]  1532.084665155:          sched:sched_switch: prev_comm=perf prev_pid=15191 prev_prio=120 prev_state=D ==> next_comm=migration/0 next_pid=18 next_prio=0',
    );
    expect(f).toEqual({ event: 'sched:sched_switch', kind: EventKind.Other, parsed: 0, keepPayload: 1 });
    expect(
      normaliseLine(
        '            perf 15191 [000]  1532.084655786:          sched:sched_wakeup: comm=migration/0 pid=18 prio=0 target_cpu=000',
      ),
    ).toEqual({ event: 'sched:sched_wakeup', kind: EventKind.Other, parsed: 0, keepPayload: 1 });
  });

  it('event names match exactly, not by prefix or suffix', () => {
    for (const name of [
      'net:netif_receive_skb_entry',
      'net:netif_rx_entry',
      'net:netif_rx_ni_entry',
      'net:net_dev_start_xmit',
      'net:net_dev_xmit_timeout',
      'net:napi_gro_receive_entry',
      'skb:kfree_skb_reason',
      'netif_receive_skb',
      'xnet:netif_rx',
      'NET:NETIF_RX',
    ]) {
      expect(normalisePayload(name, 'dev=eth0 skbaddr=0xffff88812f183d00 len=64'), name).toEqual({
        event: name,
        kind: EventKind.Other,
        parsed: 0,
        keepPayload: 1,
      });
    }
  });

  it('--payload keeps every payload, typed fields still parsed', () => {
    const [a, b] = normaliseText(
      [
        ' npm view left-p 14937 [001]  1520.844139:       net:netif_receive_skb: dev=eth0 skbaddr=0xffff88812f183d00 len=64',
        '            perf 15191 [000]  1532.084655786:          sched:sched_wakeup: comm=migration/0 pid=18 prio=0 target_cpu=000',
      ].join('\n'),
      { keepAllPayloads: true },
    );
    expect(a).toMatchObject({ kind: EventKind.NetifReceiveSkb, parsed: 1, keepPayload: 1, len: 64 });
    expect(b).toMatchObject({ kind: EventKind.Other, parsed: 0, keepPayload: 1 });
  });

  it('CRLF lines give the same fields', () => {
    const lines = [
      '            bash 14934 [001]  1521.380262:               skb:kfree_skb: skbaddr=0xffff8881061a6300 rx_sk=(nil) protocol=2048 location=tcp_v4_rcv+0x91 reason: NO_SOCKET',
      '            node 14916 [000]  1520.843977865:       irq:irq_handler_entry: irq=39 name=virtio2-output.0',
      '            curl 14738 [000]  1515.656177859:              napi:napi_poll: napi poll on napi struct 0xffff888627c2d188 for device (no_device) work 2 budget 64',
    ];
    expect(normaliseText(lines.join('\r\n') + '\r\n')).toEqual(normaliseText(lines.join('\n') + '\n'));
  });
});
