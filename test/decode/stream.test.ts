/** Streaming: chunk boundaries, CRLF, unterminated last line, -g callchains, batches. */
import { describe, expect, it } from 'vitest';
import { decode, type Decoded } from './helpers.js';

// callchain.txt.xz (perf script -g): unpadded comm, tab-indented frames, a blank line after each event.
const CALLCHAIN = [
  'bash 15480 [001]  1537.164815:           irq:softirq_raise: vec=9 [action=RCU]',
  '\tffffffff81360e5d raise_softirq+0x8d ([kernel.kallsyms])',
  '\tffffffff81409e7a rcu_sched_clock_irq+0x3ba ([kernel.kallsyms])',
  '\t           14f02 intel_check_word.constprop.0+0x122 (/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2)',
  '\t      12c0000000 [unknown] ([unknown])',
  '',
  'bash 15480 [001]  1537.164840:           irq:softirq_raise: vec=7 [action=SCHED]',
  '\tffffffff81360e5d raise_softirq+0x8d ([kernel.kallsyms])',
  '',
  'ksoftirqd/1    22 [001]  1537.888932:           irq:softirq_entry: vec=9 [action=RCU]',
  '',
];

// A small text with every kind of line: header, padded events with tricky comms, frames, blanks.
const MIXED = [
  '# ========',
  '# os release : 6.18.44-fc-v657',
  '# ========',
  '        polars-1 14929 [000]  1520.292816:           irq:softirq_raise: vec=1 [action=TIMER]',
  ' npm view left-p 14937 [001]  1520.844139:       net:netif_receive_skb: dev=eth0 skbaddr=0xffff88812f183d00 len=64',
  '             :-1    -1 [001]  1520.917692:       irq:irq_handler_entry: irq=36 name=virtio1-req.0',
  ' kworker/1:0-vir  4435 [001]  1520.917949:             skb:consume_skb: skbaddr=0xffff88812f183d00 location=virtio_transport_tx_work+0x5c',
  '\tffffffff81360e5d raise_softirq+0x8d ([kernel.kallsyms])',
  '\t      12c0000000 [unknown] ([unknown])',
  '',
  '     kworker/3:1   212 [003] 183204.551002:       irq:irq_handler_entry: irq=11 name=iwlwifi: default queue',
  '            bash 14934 [001]  1521.380262:               skb:kfree_skb: skbaddr=0xffff8881061a6300 rx_sk=(nil) protocol=2048 location=tcp_v4_rcv+0x91 reason: NO_SOCKET',
  '            node 14916 [000]  1520.843977865:       irq:irq_handler_entry: irq=39 name=virtio2-output.0',
];

const shape = (d: Decoded): unknown => ({ rows: d.rows, counts: d.counts, rejects: d.rejects });

describe('-g callchains', () => {
  it('attaches tab-indented frames to the event before them and counts the blank lines', () => {
    const d = decode(CALLCHAIN.join('\n') + '\n');
    expect(d.counts).toEqual({ lines: 11, events: 3, header: 0, callchainFrames: 5, blank: 3, lost: 0, rejected: 0 });
    expect(d.rows.map((r) => r.frames)).toEqual([
      [
        'ffffffff81360e5d raise_softirq+0x8d ([kernel.kallsyms])',
        'ffffffff81409e7a rcu_sched_clock_irq+0x3ba ([kernel.kallsyms])',
        '14f02 intel_check_word.constprop.0+0x122 (/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2)',
        '12c0000000 [unknown] ([unknown])',
      ],
      ['ffffffff81360e5d raise_softirq+0x8d ([kernel.kallsyms])'],
      [],
    ]);
    expect(d.rows.map((r) => [r.comm, r.tid, r.line])).toEqual([
      ['bash', 15480, 1],
      ['bash', 15480, 7],
      ['ksoftirqd/1', 22, 10],
    ]);
  });

  it("keeps each event's frames when batches are flushed between events", () => {
    const whole = decode(CALLCHAIN.join('\n'));
    for (const batchSize of [1, 2]) {
      const d = decode(CALLCHAIN.join('\n'), { batchSize });
      expect(d.rows).toEqual(whole.rows);
      expect(d.batches.length).toBe(Math.ceil(3 / batchSize));
    }
  });

  it('a frame with no event before it is rejected, not attached to anything', () => {
    const d = decode('\tffffffff81360e5d raise_softirq+0x8d ([kernel.kallsyms])\n' + CALLCHAIN.join('\n'));
    expect(d.counts.rejected).toBe(1);
    expect(d.rejects[0].line).toBe(1);
    expect(d.rows[0].frames.length).toBe(4);
    // After a rejected line the frames that follow are not glued to an older event either.
    const e = decode([CALLCHAIN[0], 'garbage', '\tffffffff81360e5d raise_softirq+0x8d ([kernel.kallsyms])'].join('\n'));
    expect(e.rows[0].frames).toEqual([]);
    expect(e.counts).toMatchObject({ events: 1, rejected: 2, callchainFrames: 0 });
  });
});

describe('line ends', () => {
  it('CRLF gives the same rows as LF', () => {
    const lf = decode(MIXED.join('\n') + '\n');
    const crlf = decode(MIXED.join('\r\n') + '\r\n');
    expect(lf.counts.rejected).toBe(0);
    expect(shape(crlf)).toEqual(shape(lf));
    expect(lf.rows.find((r) => r.event === 'skb:kfree_skb')?.payload.endsWith('NO_SOCKET')).toBe(true);
  });

  it('a last line with no newline is decoded', () => {
    const withNl = decode(MIXED.join('\n') + '\n');
    const without = decode(MIXED.join('\n'));
    expect(shape(without)).toEqual(shape(withNl));
    expect(without.rows.at(-1)?.timeNs).toBe(1520843977865n);
    expect(decode(MIXED.join('\r\n')).rows).toEqual(withNl.rows);
  });

  it('blank lines (empty, spaces, CR) are counted, not rejected', () => {
    const d = decode(['', '   ', '\r', MIXED[3], ''].join('\n'));
    expect(d.counts).toEqual({ lines: 4, events: 1, header: 0, callchainFrames: 0, blank: 3, lost: 0, rejected: 0 });
    expect(decode('').counts.lines).toBe(0);
    expect(decode('\n').counts).toMatchObject({ lines: 1, blank: 1 });
  });
});

describe('chunk boundaries', () => {
  const text = MIXED.join('\n') + '\n' + CALLCHAIN.join('\r\n');
  const whole = decode(text);

  it('the reference decode is complete', () => {
    // CALLCHAIN's last '' only ends its last line.
    expect(whole.counts).toEqual({
      lines: MIXED.length + CALLCHAIN.length - 1,
      events: 10,
      header: 3,
      callchainFrames: 7,
      blank: 3,
      lost: 0,
      rejected: 0,
    });
    expect(whole.counts.lines).toBe(
      whole.counts.events + whole.counts.header + whole.counts.callchainFrames + whole.counts.blank,
    );
  });

  const json = (d: Decoded): string =>
    JSON.stringify(shape(d), (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  const ref = json(whole);

  it('gives identical results for chunks of every size from 1 byte to the whole text', () => {
    const bytes = new TextEncoder().encode(text);
    for (let size = 1; size <= bytes.length; size++) {
      const d = decode(bytes, { chunkSize: size, batchSize: 4 });
      if (json(d) !== ref) expect(shape(d), `chunk size ${size}`).toEqual(shape(whole));
    }
  });

  it('gives identical results when split in two, and in three, at every byte position', () => {
    const bytes = new TextEncoder().encode(text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = decode(bytes, { cuts: [cut], batchSize: 4 });
      if (json(d) !== ref) expect(shape(d), `cut at ${cut}`).toEqual(shape(whole));
      // An empty chunk, or a one-byte chunk (a lone CR or LF) right after the cut.
      const e = decode(bytes, { cuts: [cut, cut, Math.min(cut + 1, bytes.length)], batchSize: 4 });
      if (json(e) !== ref) expect(shape(e), `cuts at ${cut}, ${cut}, ${cut + 1}`).toEqual(shape(whole));
    }
  });

  it('carries a line longer than the carry buffer across many chunks', () => {
    const long = `a 1 [000] 1.000001: sched:sched_switch: ${'y'.repeat(20000)}`;
    const t = `${MIXED[3]}\n${long}\r\n${MIXED[4]}`;
    const ref2 = decode(t);
    expect(ref2.rows[1].payload.length).toBe(20000);
    for (const size of [1000, 4095, 4096, 4097, 9999]) expect(decode(t, { chunkSize: size }).rows).toEqual(ref2.rows);
  });

  it('keeps multi-byte UTF-8 comms split across chunks intact', () => {
    const t = '       café ☕ 77 [001]  1520.000001:             skb:consume_skb: skbaddr=0x1\n';
    const bytes = new TextEncoder().encode(t);
    for (let size = 1; size <= 24; size++) expect(decode(bytes, { chunkSize: size }).rows[0].comm).toBe('café ☕');
  });
});

describe('batches', () => {
  it('line numbers, dictionaries and row order are independent of the batch size', () => {
    const text = MIXED.join('\n');
    const ref = decode(text);
    for (const batchSize of [1, 2, 3, 5, 100]) {
      const d = decode(text, { batchSize });
      expect(d.rows).toEqual(ref.rows);
      for (const b of d.batches) expect(b.length).toBeLessThanOrEqual(batchSize);
    }
    expect(ref.rows.map((r) => r.line)).toEqual([4, 5, 6, 7, 11, 12, 13]);
  });

  it('grows the payload arena for long payloads', () => {
    const long = 'x'.repeat(5000);
    const d = decode(`a 1 [000] 1.000001: sched:sched_switch: ${long}\n`.repeat(5), { batchSize: 2 });
    expect(d.rows.map((r) => r.payload.length)).toEqual([5000, 5000, 5000, 5000, 5000]);
  });

  it('interns comm and event names: one dictionary entry per distinct value, shared across batches', () => {
    const d = decode(MIXED.concat(MIXED).join('\n'), { batchSize: 2 });
    const comms = d.batches[0].comms;
    for (const b of d.batches) expect(b.comms).toBe(comms);
    expect([...comms.values].sort()).toEqual([
      ':-1',
      'bash',
      'kworker/1:0-vir',
      'kworker/3:1',
      'node',
      'npm view left-p',
      'polars-1',
    ]);
  });
});
