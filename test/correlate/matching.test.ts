/**
 * Each matching rule of the reference (netdev-times.py's handlers), on tiny hand-written traces.
 * Times are microseconds after 100 s (see Trace).
 */
import { describe, expect, it } from 'vitest';
import { Correlator } from '../../src/correlate/index.js';
import { TraceDecoder } from '../../src/decode/text/decoder.js';
import { Normaliser } from '../../src/normalise/normaliser.js';
import { A, B, C, addr, correlateText, report, rowsOf, Trace } from './helpers.js';

const NS = (us: number): bigint => 100_000_000_000n + BigInt(us * 1000);

describe('receive hunks', () => {
  it('closes a NET_RX softirq with the IRQ list of its CPU into a hunk; packets match skb_copy_datagram_iovec', () => {
    const c = correlateText(
      new Trace().hunk(1, 10, 38, (t) => t.receive(1, 20, A).napiPoll(1, 30)).copy(0, 200, A).text,
    );
    expect(rowsOf(c.chunks, 'rx_hunks')).toEqual([
      {
        hunk_id: 0,
        cpu: 1,
        base_ns: NS(10),
        softirq_entry_ns: NS(13),
        softirq_exit_ns: NS(110),
        irq_count: 1,
        irq_event_count: 1,
        napi_poll_count: 1,
        packet_count: 1,
        lost_near: 0,
      },
    ]);
    expect(rowsOf(c.chunks, 'rx_irqs')).toEqual([
      {
        hunk_id: 0,
        irq_index: 0,
        cpu: 1,
        irq: 38,
        irq_name: 'virtio2-input.38',
        entry_ns: NS(10),
        exit_ns: NS(12),
        event_count: 1,
      },
    ]);
    expect(rowsOf(c.chunks, 'rx_irq_events')).toEqual([
      {
        hunk_id: 0,
        irq_index: 0,
        event_index: 0,
        event: 'softirq_raise',
        time_ns: NS(11),
        skbaddr: null,
        len: null,
        dev: null,
      },
    ]);
    expect(rowsOf(c.chunks, 'rx_napi_polls')).toEqual([
      {
        hunk_id: 0,
        event_index: 1,
        time_ns: NS(30),
        dev: 'eth0',
        napi: 0xffff8881024052c0n,
        work: 1,
        budget: 64,
      },
    ]);
    expect(rowsOf(c.chunks, 'rx_packets')).toEqual([
      {
        hunk_id: 0,
        event_index: 0,
        cpu: 1,
        time_ns: NS(20),
        skbaddr: addr(A),
        len: 60,
        dev: 'eth0',
        handled_by: 'skb_copy_datagram_iovec',
        handled_ns: NS(200),
        handled_cpu: 0,
        handled_pid: 4242,
        handled_comm: 'curl',
        kfree_location: null,
        kfree_reason: null,
        irq_to_receive_ns: 10_000n,
        receive_to_handled_ns: 180_000n,
        evicted: 0,
        fate: 'delivered',
        fate_why: null,
        match: 'direct',
        lost_near: 0,
        time_backwards: 0,
      },
    ]);
    expect(report(c)).toBe(
      [
        '100.000010sec cpu=1',
        '  irq_entry(+0.000msec irq=38:virtio2-input.38)',
        '         |',
        '  softirq_entry(+0.003msec)',
        '         |',
        '         |---netif_receive_skb(+0.010msec skb=ffff888100000100 len=60)',
        '         |            |',
        '         |      skb_copy_datagram_iovec(+0.190msec 4242:curl)',
        '         |',
        '  napi_poll_exit(+0.020msec eth0)',
        '',
        '   dev    len      Qdisc               netdevice             free',
        '',
      ].join('\n'),
    );
  });

  it('keeps finished IRQs that saw a raise or netif_rx on the list: later raises attach to the top one', () => {
    const t = new Trace()
      .irqEntry(0, 10, 38)
      .raise(0, 11)
      .irqExit(0, 12, 38)
      .irqEntry(0, 20, 39)
      .netifRx(0, 21, A)
      .irqExit(0, 22, 39)
      .raise(0, 25)
      .softirqEntry(0, 30)
      .softirqExit(0, 40);
    const c = correlateText(t.text);
    expect(rowsOf(c.chunks, 'rx_irqs').map((r) => [r.irq_index, r.irq, r.event_count])).toEqual([
      [0, 38, 1],
      [1, 39, 2],
    ]);
    expect(rowsOf(c.chunks, 'rx_irq_events').map((r) => [r.irq_index, r.event_index, r.event, r.skbaddr])).toEqual([
      [0, 0, 'softirq_raise', null],
      [1, 0, 'netif_rx', addr(A)],
      [1, 1, 'softirq_raise', null],
    ]);
    // An empty event list prints no blank line: the transmit header follows at once.
    expect(report(c)).toBe(
      [
        '100.000010sec cpu=0',
        '  irq_entry(+0.000msec irq=38:virtio2-input.38)',
        '         |',
        '  irq_entry(+0.010msec irq=39:virtio2-input.39)',
        '         |',
        '         |---netif_rx(+0.011msec skb=ffff888100000100)',
        '         |',
        '  softirq_entry(+0.020msec)',
        '         |',
        '   dev    len      Qdisc               netdevice             free',
        '',
      ].join('\n'),
    );
  });

  it('prints no blank line after a hunk whose event list ends with netif_receive_skb', () => {
    const t = new Trace().hunk(0, 10, 38, (x) => x.receive(0, 20, A)).hunk(0, 200, 38, (x) => x.napiPoll(0, 210));
    expect(report(correlateText(t.text), { rx: true })).toBe(
      [
        '100.000010sec cpu=0',
        '  irq_entry(+0.000msec irq=38:virtio2-input.38)',
        '         |',
        '  softirq_entry(+0.003msec)',
        '         |',
        '         |---netif_receive_skb(+0.010msec skb=ffff888100000100 len=60)',
        '         |',
        '100.000200sec cpu=0',
        '  irq_entry(+0.000msec irq=38:virtio2-input.38)',
        '         |',
        '  softirq_entry(+0.003msec)',
        '         |',
        '  napi_poll_exit(+0.010msec eth0)',
        '',
        '',
      ].join('\n'),
    );
  });

  it('nested IRQs: the exit pops whatever is on top, so a re-pushed inner IRQ is dropped as a mismatch', () => {
    const t = new Trace()
      .irqEntry(0, 10, 38)
      .irqEntry(0, 11, 39)
      .raise(0, 12)
      .irqExit(0, 13, 39)
      .irqExit(0, 14, 38)
      .softirqEntry(0, 15)
      .receive(0, 16, A)
      .softirqExit(0, 20);
    const c = correlateText(t.text);
    expect(c.stats.anomalies.irqExitMismatch).toBe(1);
    // 38 never exited and saw nothing: the reference's printer would fail on it; the row says so.
    expect(rowsOf(c.chunks, 'rx_irqs')).toEqual([
      {
        hunk_id: 0,
        irq_index: 0,
        cpu: 0,
        irq: 38,
        irq_name: 'virtio2-input.38',
        entry_ns: NS(10),
        exit_ns: null,
        event_count: 0,
      },
    ]);
    expect(c.stats.anomalies.hunkIrqsWithoutEvents).toBe(1);
  });

  it('nested IRQs: an inner IRQ without events is dropped at its exit and the outer one keeps the raise', () => {
    const t = new Trace()
      .irqEntry(0, 10, 38)
      .raise(0, 11)
      .irqEntry(0, 12, 39)
      .irqExit(0, 13, 39)
      .irqExit(0, 14, 38)
      .softirqEntry(0, 15)
      .softirqExit(0, 20);
    const c = correlateText(t.text);
    expect(rowsOf(c.chunks, 'rx_irqs').map((r) => [r.irq, r.exit_ns, r.event_count])).toEqual([[38, NS(14), 1]]);
    expect(c.stats.anomalies.irqExitMismatch).toBe(0);
  });

  it('irq_handler_exit with another irq drops the top IRQ; a softirq with no IRQ left is no hunk', () => {
    const c = correlateText(
      new Trace()
        .irqEntry(0, 10, 38)
        .raise(0, 11)
        .irqExit(0, 12, 39)
        .softirqEntry(0, 13)
        .receive(0, 14, A)
        .softirqExit(0, 20).text,
    );
    expect(c.stats.anomalies.irqExitMismatch).toBe(1);
    expect(c.stats.anomalies.softirqsWithoutIrq).toBe(1);
    expect(rowsOf(c.chunks, 'rx_hunks')).toEqual([]);
    expect(rowsOf(c.chunks, 'rx_packets').map((r) => [r.hunk_id, r.event_index, r.irq_to_receive_ns])).toEqual([
      [null, null, null],
    ]);
  });

  it('irq_handler_exit without a list or on an empty list is ignored and counted', () => {
    const t = new Trace().irqExit(1, 5, 38).irqEntry(0, 10, 38).irqExit(0, 11, 38).irqExit(0, 12, 38);
    const c = correlateText(t.text);
    expect(c.stats.anomalies.irqExitWithoutList).toBe(1);
    expect(c.stats.anomalies.irqExitOnEmptyList).toBe(1);
  });

  it('a softirq_exit takes the CPU list away even when it makes no hunk', () => {
    const t = new Trace()
      .irqEntry(0, 10, 38)
      .raise(0, 11)
      .irqExit(0, 12, 38)
      .softirqExit(0, 13)
      .softirqEntry(0, 20)
      .softirqExit(0, 30);
    const c = correlateText(t.text);
    expect(c.stats.anomalies.softirqExitWithoutEntry).toBe(1);
    expect(rowsOf(c.chunks, 'rx_hunks')).toEqual([]);
  });

  it('softirq_entry again before the exit throws the open event list away; its packets stay matchable', () => {
    const t = new Trace()
      .irqEntry(0, 10, 38)
      .raise(0, 11)
      .irqExit(0, 12, 38)
      .softirqEntry(0, 13)
      .receive(0, 14, A)
      .softirqEntry(0, 15)
      .receive(0, 16, B)
      .softirqExit(0, 20)
      .copy(1, 30, A);
    const c = correlateText(t.text);
    expect(c.stats.anomalies.softirqReentered).toBe(1);
    expect(rowsOf(c.chunks, 'rx_hunks').map((r) => [r.softirq_entry_ns, r.packet_count])).toEqual([[NS(15), 1]]);
    const pk = rowsOf(c.chunks, 'rx_packets');
    expect(pk.find((r) => r.skbaddr === addr(A))).toMatchObject({
      hunk_id: null,
      handled_by: 'skb_copy_datagram_iovec',
      handled_ns: NS(30),
    });
    expect(pk.find((r) => r.skbaddr === addr(B))).toMatchObject({ hunk_id: 0, event_index: 0, handled_by: null });
  });

  it('only NET_RX softirqs count; without a printed name vec 3 is NET_RX', () => {
    const timer = new Trace()
      .irqEntry(0, 10, 38)
      .raise(0, 11, 1, 'TIMER')
      .irqExit(0, 12, 38)
      .softirqEntry(0, 13, 1, 'TIMER')
      .receive(0, 14, A)
      .softirqExit(0, 20, 1, 'TIMER');
    const c = correlateText(timer.text);
    expect(c.stats.anomalies.receiveOutsideSoftirq).toBe(1);
    expect(c.stats.rows.rx_packets).toBe(0);
    const bare = new Trace()
      .irqEntry(0, 10, 38)
      .raw(0, 11, 'irq:softirq_raise', 'vec=3')
      .irqExit(0, 12, 38)
      .raw(0, 13, 'irq:softirq_entry', 'vec=3')
      .receive(0, 14, A)
      .raw(0, 20, 'irq:softirq_exit', 'vec=3');
    expect(correlateText(bare.text).stats.hunks).toBe(1);
  });

  it('a softirq still open at the end is no hunk, like the reference', () => {
    const t = new Trace()
      .irqEntry(0, 10, 38)
      .raise(0, 11)
      .irqExit(0, 12, 38)
      .softirqEntry(0, 13)
      .receive(0, 14, A)
      .napiPoll(0, 15);
    const c = correlateText(t.text);
    expect(c.stats.hunks).toBe(0);
    expect(rowsOf(c.chunks, 'rx_packets').map((r) => [r.hunk_id, r.handled_by, r.evicted])).toEqual([[null, null, 0]]);
    expect(c.stats.debug.rxRemain).toBe(1);
  });
});

describe('receive matching', () => {
  it('matches the most recent packet of an address first', () => {
    const t = new Trace()
      .hunk(0, 10, 38, (x) => x.receive(0, 20, A, 100).receive(0, 25, A, 200))
      .copy(1, 200, A)
      .copy(1, 300, A);
    const c = correlateText(t.text);
    expect(rowsOf(c.chunks, 'rx_packets').map((r) => [r.event_index, r.len, r.handled_ns])).toEqual(
      expect.arrayContaining([
        [1, 200, NS(200)],
        [0, 100, NS(300)],
      ]),
    );
  });

  it('kfree_skb of a received packet records kfree_skb and prints as skb_copy_datagram_iovec', () => {
    const c = correlateText(
      new Trace().hunk(0, 10, 38, (x) => x.receive(0, 20, A)).kfree(1, 50, A, 'NO_SOCKET', 'nginx', 77).text,
    );
    expect(rowsOf(c.chunks, 'rx_packets')[0]).toMatchObject({
      handled_by: 'kfree_skb',
      handled_pid: 77,
      handled_comm: 'nginx',
      kfree_location: 'tcp_v4_rcv+0x1e4',
      kfree_reason: 'NO_SOCKET',
    });
    expect(report(c, { rx: true })).toContain('         |      skb_copy_datagram_iovec(+0.040msec 77:nginx)\n');
  });

  it('consume_skb never closes a receive', () => {
    const c = correlateText(
      new Trace()
        .hunk(0, 10, 38, (x) => x.receive(0, 20, A))
        .consume(1, 50, A)
        .copy(1, 60, A).text,
    );
    expect(rowsOf(c.chunks, 'rx_packets')[0]).toMatchObject({
      handled_by: 'skb_copy_datagram_iovec',
      handled_ns: NS(60),
    });
  });

  it('kfree_skb tries the queue list, then the xmit list, then received packets', () => {
    const queued = correlateText(
      new Trace()
        .hunk(0, 10, 38, (x) => x.receive(0, 20, A))
        .queue(1, 30, A)
        .kfree(1, 40, A).text,
    );
    expect(rowsOf(queued.chunks, 'tx_packets')[0]).toMatchObject({ status: 'dropped_before_xmit' });
    expect(rowsOf(queued.chunks, 'rx_packets')[0]).toMatchObject({ handled_by: null });
    const sent = correlateText(
      new Trace()
        .queue(1, 5, A)
        .xmit(1, 6, A)
        .hunk(0, 10, 38, (x) => x.receive(0, 20, A))
        .kfree(1, 40, A).text,
    );
    expect(rowsOf(sent.chunks, 'tx_packets')[0]).toMatchObject({
      status: 'complete',
      freed_by: 'kfree_skb',
      report_order: 0,
    });
    expect(rowsOf(sent.chunks, 'rx_packets')[0]).toMatchObject({ handled_by: null });
    expect(sent.stats.debug.rxRemain).toBe(1);
  });

  it('packets of softirqs that are no hunk (loopback) are rows without hunk_id, and matchable', () => {
    const t = new Trace()
      .queue(0, 1, A)
      .netifRx(0, 2, A)
      .raise(0, 3)
      .xmit(0, 4, A)
      .softirqEntry(0, 5)
      .receive(0, 6, A, 60, 'lo')
      .softirqExit(0, 7)
      .copy(1, 9, A);
    const c = correlateText(t.text);
    expect(c.stats.anomalies.softirqsWithoutIrq).toBe(1);
    expect(rowsOf(c.chunks, 'rx_packets')).toEqual([
      expect.objectContaining({
        hunk_id: null,
        event_index: null,
        irq_to_receive_ns: null,
        dev: 'lo',
        handled_by: 'skb_copy_datagram_iovec',
        receive_to_handled_ns: 3000n,
      }),
    ]);
  });
});

describe('transmit lifecycles', () => {
  it('queue -> xmit (rc 0) -> consume_skb, most recent first at every step', () => {
    const t = new Trace()
      .queue(0, 10, A, 100)
      .queue(0, 20, A, 200)
      .xmit(0, 30, A)
      .xmit(0, 40, A)
      .consume(1, 50, A)
      .consume(1, 60, A);
    const c = correlateText(t.text);
    const rows = rowsOf(c.chunks, 'tx_packets');
    expect(rows.map((r) => [r.report_order, r.len, r.qdisc_ns, r.device_ns, r.freed_by])).toEqual([
      [0, 100, 30_000n, 10_000n, 'consume_skb'],
      [1, 200, 10_000n, 30_000n, 'consume_skb'],
    ]);
    expect(rows[0]).toMatchObject({
      status: 'complete',
      queue_cpu: 0,
      queue_pid: 4242,
      queue_comm: 'curl',
      xmit_cpu: 0,
      free_cpu: 1,
      evicted: 0,
    });
    expect(report(c, { tx: true })).toBe(
      [
        '   dev    len      Qdisc               netdevice             free',
        '   eth0   100    100.000010sec        0.030msec             0.010msec',
        '   eth0   200    100.000020sec        0.010msec             0.030msec',
        '',
      ].join('\n'),
    );
  });

  it('kfree_skb of a queued, untransmitted skb ends it: dropped_before_xmit', () => {
    const c = correlateText(new Trace().queue(0, 10, A).kfree(0, 20, A, 'QDISC_DROP').xmit(0, 30, A).text);
    expect(rowsOf(c.chunks, 'tx_packets')).toEqual([
      expect.objectContaining({
        status: 'dropped_before_xmit',
        report_order: null,
        xmit_ns: null,
        free_ns: NS(20),
        freed_by: 'kfree_skb',
        kfree_location: 'tcp_v4_rcv+0x1e4',
        kfree_reason: 'QDISC_DROP',
        qdisc_ns: null,
        device_ns: null,
      }),
    ]);
    expect(c.stats.anomalies.xmitWithoutQueue).toBe(1);
  });

  it('net_dev_xmit with rc != 0 matches nothing; the lifecycle records it and ends as xmit_failed unless an rc 0 follows', () => {
    const t = new Trace()
      .queue(0, 10, A)
      .xmit(0, 11, A, 16)
      .kfree(0, 12, A)
      .queue(0, 20, B)
      .xmit(0, 21, B, 16)
      .xmit(0, 22, B)
      .consume(0, 23, B)
      .queue(0, 30, C)
      .xmit(0, 31, C, 16);
    const c = correlateText(t.text);
    const rows = rowsOf(c.chunks, 'tx_packets');
    expect(rows.find((r) => r.skbaddr === addr(A))).toMatchObject({
      status: 'xmit_failed',
      failed_xmit_rc: 16,
      failed_xmit_ns: NS(11),
      freed_by: 'kfree_skb',
      xmit_ns: null,
    });
    expect(rows.find((r) => r.skbaddr === addr(B))).toMatchObject({
      status: 'complete',
      report_order: 0,
      failed_xmit_rc: 16,
      xmit_ns: NS(22),
    });
    expect(rows.find((r) => r.skbaddr === addr(C))).toMatchObject({ status: 'xmit_failed', free_ns: null, evicted: 0 });
    expect(c.stats.anomalies.xmitFailures).toBe(3);
    expect(c.stats.debug.txQueueRemain).toBe(1);
  });

  it('consume_skb of a queued skb leaves it queued (the reference checks only the xmit list)', () => {
    const c = correlateText(new Trace().queue(0, 10, A).consume(0, 20, A).text);
    expect(c.stats.anomalies.consumeOfQueued).toBe(1);
    expect(rowsOf(c.chunks, 'tx_packets')).toEqual([expect.objectContaining({ status: 'not_freed', free_ns: null })]);
    expect(c.stats.debug).toMatchObject({ txQueueRemain: 1, txXmitRemain: 0 });
  });

  it('lifecycles pending at the end are rows too: not_freed, with xmit_ns when transmitted', () => {
    const c = correlateText(new Trace().queue(0, 10, A).queue(0, 11, B).xmit(0, 12, B).text);
    expect(rowsOf(c.chunks, 'tx_packets').map((r) => [r.skbaddr, r.status, r.xmit_ns])).toEqual([
      [addr(A), 'not_freed', null],
      [addr(B), 'not_freed', NS(12)],
    ]);
    expect(c.stats.debug).toMatchObject({ txQueueRemain: 1, txXmitRemain: 1 });
  });
});

describe('budgets', () => {
  it('the queue list evicts its oldest entry past the budget', () => {
    const c = correlateText(new Trace().queue(0, 1, A).queue(0, 2, B).queue(0, 3, C).xmit(0, 4, A).text, { budget: 2 });
    const rows = rowsOf(c.chunks, 'tx_packets');
    expect(rows[0]).toMatchObject({ skbaddr: addr(A), status: 'evicted', evicted: 1, xmit_ns: null });
    expect(c.stats.debug).toMatchObject({ txQueueOverflow: 1, txQueueRemain: 2 });
    expect(c.stats.anomalies.xmitWithoutQueue).toBe(1);
    expect(report(c, { debug: true, tx: true }).split('\n').slice(-4)).toEqual([
      'xmit Qdisc:remain:2 overflow:1',
      'xmit netdevice:remain:0 overflow:0',
      'receive:remain:0 overflow:0',
      '',
    ]);
  });

  it('the xmit list evicts its oldest entry past the budget', () => {
    const t = new Trace()
      .queue(0, 1, A)
      .xmit(0, 2, A)
      .queue(0, 3, B)
      .xmit(0, 4, B)
      .queue(0, 5, C)
      .xmit(0, 6, C)
      .consume(0, 7, A);
    const c = correlateText(t.text, { budget: 2 });
    expect(rowsOf(c.chunks, 'tx_packets')[0]).toMatchObject({
      skbaddr: addr(A),
      status: 'evicted',
      evicted: 1,
      xmit_ns: NS(2),
      free_ns: null,
    });
    expect(c.stats.debug).toMatchObject({ txXmitOverflow: 1, txXmitRemain: 2 });
  });

  it('the receive list evicts its oldest packet past the budget; it can no longer match', () => {
    const t = new Trace()
      .hunk(0, 10, 38, (x) => x.receive(0, 20, A).receive(0, 21, B).receive(0, 22, C))
      .copy(1, 200, A);
    const c = correlateText(t.text, { budget: 2 });
    expect(rowsOf(c.chunks, 'rx_packets').find((r) => r.skbaddr === addr(A))).toMatchObject({
      evicted: 1,
      handled_by: null,
      hunk_id: 0,
    });
    expect(c.stats.debug).toMatchObject({ rxOverflow: 1, rxRemain: 2 });
    // The evicted packet is still printed in its hunk, unmatched.
    expect(report(c, { rx: true })).not.toContain('skb_copy_datagram_iovec');
  });

  it('the newest entry of an address survives eviction of an older one of the same address', () => {
    const t = new Trace()
      .queue(0, 1, A, 1)
      .queue(0, 2, B, 2)
      .queue(0, 3, A, 3)
      .queue(0, 4, C, 4)
      .xmit(0, 5, A)
      .consume(0, 6, A);
    const c = correlateText(t.text, { budget: 2 });
    const rows = rowsOf(c.chunks, 'tx_packets');
    expect(rows.filter((r) => r.status === 'evicted').map((r) => r.len)).toEqual([1, 2]);
    expect(rows.find((r) => r.status === 'complete')).toMatchObject({ len: 3 });
  });

  it('writes rows while the trace streams: state stays within the budget', () => {
    const t = new Trace();
    for (let k = 0; k < 2000; k++) t.queue(0, k, (0xffff888100000000n + BigInt(k) * 256n).toString(16));
    const got: string[] = [];
    const correlator = new Correlator((table, chunk) => got.push(`${table}:${chunk.length}`), {
      budget: 100,
      chunkRows: 64,
    });
    const normaliser = new Normaliser();
    const decoder = new TraceDecoder((raw) => correlator.push(normaliser.normalise(raw)), { batchSize: 256 });
    decoder.push(new TextEncoder().encode(t.text));
    decoder.end();
    // 1900 evictions happened before the end: they are already out, in full chunks.
    expect(got.length).toBe(Math.floor(1900 / 64));
    expect(got.every((g) => g === 'tx_packets:64')).toBe(true);
    const stats = correlator.finish();
    expect(stats.rows.tx_packets).toBe(2000);
    expect(stats.debug).toMatchObject({ txQueueOverflow: 1900, txQueueRemain: 100 });
  });
});

describe('input accounting', () => {
  it('counts out-of-order timestamps and skips unparsed netdev events', () => {
    const t = new Trace().other(0, 10).other(0, 5).raw(0, 20, 'net:netif_receive_skb', 'garbage').queue(0, 30, A);
    const c = correlateText(t.text);
    expect(c.stats).toMatchObject({ events: 4, outOfOrderTimestamps: 1, skippedUnparsed: 1 });
    expect(c.stats.rows).toEqual({
      rx_hunks: 0,
      rx_irqs: 0,
      rx_irq_events: 0,
      rx_napi_polls: 0,
      rx_packets: 0,
      tx_packets: 1,
    });
  });

  it('rejects a budget that is not a non-negative integer', () => {
    expect(() => new Correlator(() => undefined, { budget: -1 })).toThrow(RangeError);
    expect(() => new Correlator(() => undefined, { chunkRows: 0 })).toThrow(RangeError);
  });
});
