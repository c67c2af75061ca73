/**
 * Event-line layouts of `perf script`, with lines copied verbatim from the real traces in test/fixtures/traces
 * (recorded on Linux 6.18 with perf 6.1) and from ../shared/traces/formats.md / older-kernels.txt.
 */
import { describe, expect, it } from 'vitest';
import { decode, decodeOne, nsOf } from './helpers.js';

describe('default layout (W.txt): comm tid [cpu] secs.usecs: event: payload', () => {
  it('splits a padded line into its fields; pid is null', () => {
    // eth-npm.txt line 591
    const r = decodeOne(
      '            node 14916 [000]  1520.843977:       irq:irq_handler_entry: irq=39 name=virtio2-output.0',
    );
    expect(r).toMatchObject({
      comm: 'node',
      tid: 14916,
      pid: null,
      cpu: 0,
      timeNs: 1520843977000n,
      event: 'irq:irq_handler_entry',
      payload: 'irq=39 name=virtio2-output.0',
      frames: [],
    });
  });

  it('keeps the event name exactly as perf prints it, whatever its padding', () => {
    const r = decodeOne(
      '             npm 14937 [000]  1520.513942: skb:skb_copy_datagram_iovec: skbaddr=0xffff888132144500 len=2952',
    );
    expect(r.event).toBe('skb:skb_copy_datagram_iovec');
    expect(r.payload).toBe('skbaddr=0xffff888132144500 len=2952');
    // Unpadded, as in patches' posted output.
    const u = decodeOne('sshd 2231 [001] 420.406239: skb:consume_skb: skbaddr=0xffff8803f1a2e700');
    expect(u).toMatchObject({ comm: 'sshd', tid: 2231, cpu: 1, event: 'skb:consume_skb', timeNs: 420406239000n });
  });

  it('comm with spaces (npm view left-p)', () => {
    const r = decodeOne(
      ' npm view left-p 14937 [001]  1520.844139:       net:netif_receive_skb: dev=eth0 skbaddr=0xffff88812f183d00 len=64',
    );
    expect(r).toMatchObject({ comm: 'npm view left-p', tid: 14937, cpu: 1, event: 'net:netif_receive_skb' });
    expect(r.payload).toBe('dev=eth0 skbaddr=0xffff88812f183d00 len=64');
  });

  it('comm with / : and - (kworker/1:0-vir, memfd:sealed-91, ksoftirqd/3, kworker/2:1H)', () => {
    expect(
      decodeOne(
        ' kworker/1:0-vir  4435 [001]  1520.917949:             skb:consume_skb: skbaddr=0xffff88812f183d00 location=virtio_transport_tx_work+0x5c',
      ),
    ).toMatchObject({ comm: 'kworker/1:0-vir', tid: 4435, cpu: 1, event: 'skb:consume_skb' });
    expect(
      decodeOne(' memfd:sealed-91  3490 [001]  1523.058064:       irq:irq_handler_entry: irq=36 name=virtio1-req.0'),
    ).toMatchObject({ comm: 'memfd:sealed-91', tid: 3490, payload: 'irq=36 name=virtio1-req.0' });
    expect(
      decodeOne(
        '     ksoftirqd/3    29 [003]  9146.304012:               skb:kfree_skb: skbaddr=0xffff8803f0c1d500 protocol=34525 location=0xffffffff81619e3b reason: ',
      ),
    ).toMatchObject({
      comm: 'ksoftirqd/3',
      tid: 29,
      cpu: 3,
      payload: 'skbaddr=0xffff8803f0c1d500 protocol=34525 location=0xffffffff81619e3b reason: ',
    });
    expect(
      decodeOne('    kworker/2:1H   377 [002]  9146.302236:           irq:softirq_raise: vec=5 [action=0x5]'),
    ).toMatchObject({ comm: 'kworker/2:1H', tid: 377, cpu: 2, payload: 'vec=5 [action=0x5]' });
  });

  it('comm that looks like a thread token or holds brackets still anchors on [cpu]', () => {
    expect(
      decodeOne(
        '  Web Content 1234 [002]  9146.300001:       net:net_dev_queue: dev=eth0 skbaddr=0xffff8803e9c4a8e8 len=1514',
      ),
    ).toMatchObject({ comm: 'Web Content', tid: 1234, cpu: 2 });
    expect(
      decodeOne('       worker 12  4242 [001]  100.000001:             skb:consume_skb: skbaddr=0x1'),
    ).toMatchObject({ comm: 'worker 12', tid: 4242, cpu: 1 });
    expect(decodeOne('   a[1]b  4242 [001]  100.000001:             skb:consume_skb: skbaddr=0x1')).toMatchObject({
      comm: 'a[1]b',
      tid: 4242,
      cpu: 1,
    });
  });

  it('the unresolved thread: comm :-1, tid -1', () => {
    const r = decodeOne(
      '             :-1    -1 [001]  1520.917692:       irq:irq_handler_entry: irq=36 name=virtio1-req.0',
    );
    expect(r).toMatchObject({ comm: ':-1', tid: -1, pid: null, cpu: 1, timeNs: 1520917692000n });
  });

  it('time with no leading space (uptime >= 100000 s)', () => {
    const r = decodeOne(
      '     kworker/3:1   212 [003] 183204.551002:       irq:irq_handler_entry: irq=11 name=uhci_hcd:usb1',
    );
    expect(r).toMatchObject({
      comm: 'kworker/3:1',
      tid: 212,
      cpu: 3,
      timeNs: 183204551002000n,
      payload: 'irq=11 name=uhci_hcd:usb1',
    });
    // perf's %12s could even run into the bracket: accept it too.
    expect(decodeOne('x 1 [003]1183204.551002: irq:softirq_exit: vec=3 [action=NET_RX]').timeNs).toBe(
      1183204551002000n,
    );
  });

  it('a three-digit cpu and an event with an empty payload', () => {
    const r = decodeOne('         swapper     0 [127]  9146.302116:           irq:softirq_raise:');
    expect(r).toMatchObject({ comm: 'swapper', tid: 0, cpu: 127, event: 'irq:softirq_raise', payload: '' });
  });
});

describe('-F comm,pid,tid,cpu,time,event,trace (W.tid.txt): pid/tid', () => {
  it('pid is the first number, tid the second', () => {
    const r = decodeOne(
      '        polars-1 14916/14929 [000]  1520.292816:           irq:softirq_raise: vec=1 [action=TIMER]',
    );
    expect(r).toMatchObject({
      comm: 'polars-1',
      pid: 14916,
      tid: 14929,
      cpu: 0,
      timeNs: 1520292816000n,
      event: 'irq:softirq_raise',
    });
  });

  it('comm with spaces and slashes, and the padded token', () => {
    expect(
      decodeOne(' npm view left-p 14937/14937 [000]  1520.604816:           irq:softirq_raise: vec=1 [action=TIMER]'),
    ).toMatchObject({ comm: 'npm view left-p', pid: 14937, tid: 14937 });
    expect(
      decodeOne(
        ' kworker/1:0-vir  4435/4435  [001]  1520.917949:             skb:consume_skb: skbaddr=0xffff88812f183d00 location=virtio_transport_tx_work+0x5c',
      ),
    ).toMatchObject({ comm: 'kworker/1:0-vir', pid: 4435, tid: 4435, cpu: 1, event: 'skb:consume_skb' });
  });

  it('the unresolved thread prints pid/-1', () => {
    const r = decodeOne(
      '             :-1  2600/-1    [001]  1520.917692:       irq:irq_handler_entry: irq=36 name=virtio1-req.0',
    );
    expect(r).toMatchObject({ comm: ':-1', pid: 2600, tid: -1, cpu: 1, timeNs: 1520917692000n });
  });

  it('with -g the comm is not padded', () => {
    expect(
      decodeOne('bash 15480/15480 [001]  1537.164815:           irq:softirq_raise: vec=9 [action=RCU]'),
    ).toMatchObject({ comm: 'bash', pid: 15480, tid: 15480, cpu: 1 });
  });
});

describe('--ns (W.ns.txt)', () => {
  it('nine fraction digits', () => {
    const r = decodeOne(
      '            node 14916 [000]  1520.843977865:       irq:irq_handler_entry: irq=39 name=virtio2-output.0',
    );
    expect(r).toMatchObject({
      comm: 'node',
      tid: 14916,
      timeNs: 1520843977865n,
      payload: 'irq=39 name=virtio2-output.0',
    });
    expect(
      decodeOne(
        ' kworker/1:0-vir  4435 [001]  1520.917949393:             skb:consume_skb: skbaddr=0xffff88812f183d00 location=virtio_transport_tx_work+0x5c',
      ).timeNs,
    ).toBe(1520917949393n);
  });

  it('the same event in W.txt, W.tid.txt, W.ns.txt and W.hdr.txt agrees to the microsecond', () => {
    const lines = [
      '            node 14916 [000]  1520.843977:       irq:irq_handler_entry: irq=39 name=virtio2-output.0',
      '            node 14916/14916 [000]  1520.843977:       irq:irq_handler_entry: irq=39 name=virtio2-output.0',
      '            node 14916 [000]  1520.843977865:       irq:irq_handler_entry: irq=39 name=virtio2-output.0',
    ];
    const rows = lines.map(decodeOne);
    for (const r of rows) {
      expect(r.timeNs / 1000n).toBe(1520843977n);
      expect([r.comm, r.tid, r.cpu, r.event, r.payload]).toEqual([
        'node',
        14916,
        0,
        'irq:irq_handler_entry',
        'irq=39 name=virtio2-output.0',
      ]);
    }
    expect(rows.map((r) => r.pid)).toEqual([null, 14916, null]);
  });
});

describe('--header (W.hdr.txt)', () => {
  it('# lines are counted as header and are not events', () => {
    const text = [
      '# ========',
      '# captured on    : Thu Nov 26 12:43:55 2026',
      '# os release : 6.18.44-fc-v657',
      '# event : name = net:net_dev_xmit, , id = { 1195, 1196 }, type = 2, size = 128, config = 0x902',
      '# ========',
      '#',
      '        polars-1 14929 [000]  1520.292816:           irq:softirq_raise: vec=1 [action=TIMER]',
      '',
    ].join('\n');
    const d = decode(text);
    expect(d.counts).toEqual({ lines: 7, events: 1, header: 6, callchainFrames: 0, blank: 0, lost: 0, rejected: 0 });
    expect(d.rows[0]).toMatchObject({ line: 7, comm: 'polars-1', tid: 14929 });
  });
});

describe('lines that are not events', () => {
  it('are rejected with a reason and their line number, never thrown', () => {
    const bad = [
      'this is not perf output',
      '            node 14916 (000)  1520.843977:       irq:irq_handler_entry: irq=39',
      '            node 14916 [000]  1520:       irq:irq_handler_entry: irq=39',
      '            node 14916 [000]  1520.8439778651:       irq:irq_handler_entry: irq=39',
      '            node 14916 [000]  1520.843977       irq:irq_handler_entry: irq=39',
      '            node 14916 [000]  1520.843977:       irq_handler_entry irq=39',
      '            node abc [000]  1520.843977:       irq:irq_handler_entry: irq=39',
      '            node 12345678901 [000]  1520.843977:       irq:irq_handler_entry: irq=39',
      '            node 14916 [000]  99999999999.000000:       irq:irq_handler_entry: irq=39',
      '            node 14916 [000]  9223372036.854775808:       irq:irq_handler_entry: irq=39',
      '            node 4294967297 [000]  1520.843977:       irq:irq_handler_entry: irq=39',
      '            node 1/2147483648 [000]  1520.843977:       irq:irq_handler_entry: irq=39',
      '            node 14916 [9999999999]  1520.843977:       irq:irq_handler_entry: irq=39',
    ];
    const d = decode(bad.join('\n') + '\n');
    expect(d.rows).toEqual([]);
    expect(d.counts).toEqual({
      lines: bad.length,
      events: 0,
      header: 0,
      callchainFrames: 0,
      blank: 0,
      lost: 0,
      rejected: bad.length,
    });
    expect(d.rejects.map((r) => r.line)).toEqual(bad.map((_, i) => i + 1));
    for (const r of d.rejects) expect(r.reason).not.toBe('');
    expect(d.rejects[0].text).toBe(bad[0]);
  });

  it('cuts the text of a rejected line to 200 bytes', () => {
    const d = decode('x'.repeat(1000));
    expect(d.rejects[0].text).toBe('x'.repeat(200));
  });
});

describe('timestamps are exact', () => {
  it('1520.843977 and 1520.843977865', () => {
    expect(decodeOne('node 14916 [000] 1520.843977: a:b: x').timeNs).toBe(1520843977000n);
    expect(decodeOne('node 14916 [000] 1520.843977865: a:b: x').timeNs).toBe(1520843977865n);
  });

  it('beyond 2^53 ns (104 days of uptime) every nanosecond is kept', () => {
    const t = decodeOne('node 1 [000] 12345678.123456789: a:b: x').timeNs;
    expect(t).toBe(12345678123456789n);
    expect(t > 2n ** 53n).toBe(true);
    expect(decodeOne('node 1 [000] 12345678.123457: a:b: x').timeNs).toBe(12345678123457000n);
    // 9007199.254740993 s = 2^53 + 1 ns: a double would round it to 2^53.
    expect(decodeOne('node 1 [000] 9007199.254740993: a:b: x').timeNs).toBe(2n ** 53n + 1n);
    // The largest int64.
    expect(decodeOne('node 1 [000] 9223372036.854775807: a:b: x').timeNs).toBe(2n ** 63n - 1n);
  });

  it('agrees with a BigInt computation for many values and every fraction width', () => {
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const lines: string[] = [];
    const want: bigint[] = [];
    for (let k = 0; k < 2000; k++) {
      const digits = 1 + (k % 9);
      const secs = String(rnd(9) === 0 ? rnd(10) : rnd(1_000_000) * 1000 + rnd(1000));
      const frac = String(rnd(10 ** Math.min(digits, 9))).padStart(digits, '0');
      const time = `${secs}.${frac}`;
      lines.push(`c ${k} [000] ${time}: a:b: x`);
      want.push(nsOf(time));
    }
    for (const secs of ['4294967295', '4294967296', '9223372035', '65535', '65536', '4503599627']) {
      for (const frac of ['999999999', '000000001', '999999']) {
        lines.push(`c 1 [000] ${secs}.${frac}: a:b: x`);
        want.push(nsOf(`${secs}.${frac}`));
      }
    }
    const d = decode(lines.join('\n'));
    expect(d.counts.rejected).toBe(0);
    expect(d.rows.map((r) => r.timeNs)).toEqual(want);
  });
});
