/**
 * --top: the slowest packets of each slice by total latency, on hand-made rows: the order (ties by time, then
 * skbaddr, then table order), which rows are ranked (a total needs its end; flagged rows are left out, as from
 * the latencies), the bounded heap against a plain sort, and the same answer however the rows are chunked.
 */
import { describe, expect, it } from 'vitest';
import { SummaryBuilder, type SliceSummary } from '../../src/summary/summary.js';
import { slowerFirst, TopN } from '../../src/summary/top.js';
import { rxChunk, txChunk, type Row } from './rows.js';

const summarise = (tx: Row[], rx: Row[], top: number, chunkRows = 1000): SliceSummary[] => {
  const b = new SummaryBuilder({ top });
  for (let k = 0; k < tx.length; k += chunkRows) b.push('tx_packets', txChunk(tx.slice(k, k + chunkRows)));
  for (let k = 0; k < rx.length; k += chunkRows) b.push('rx_packets', rxChunk(rx.slice(k, k + chunkRows)));
  return b.finish();
};

const slice = (s: SliceSummary[], dir: 'tx' | 'rx', key: string | number | null = 'eth0'): SliceSummary => {
  const d = s.find((x) => x.direction === dir && x.key === key);
  if (!d) throw new Error(`no ${String(key)} ${dir}`);
  return d;
};

/** A complete transmit: queued at `t`, `q` ns in the qdisc, `d` ns in the device. */
const tx = (t: number, q: number, d: number, more: Row = {}): Row => ({
  queue_ns: BigInt(t),
  qdisc_ns: BigInt(q),
  device_ns: BigInt(d),
  ...more,
});

describe('--top: the slowest packets by total latency', () => {
  it('tx total = qdisc + device; ties go to the earlier packet, then the lower skbaddr, then the earlier row', () => {
    const rows = [
      tx(500, 10, 90, { skbaddr: 0xa0n }), // total 100
      tx(100, 1, 299, { skbaddr: 0xb0n, queue_cpu: 3, queue_comm: 'curl', queue_pid: 7 }), // total 300
      tx(200, 50, 50, { skbaddr: 0xc0n }), // 100, earlier than the first
      tx(200, 60, 40, { skbaddr: 0x90n }), // 100, same time, lower address
      tx(200, 70, 30, { skbaddr: 0x90n }), // 100, same time and address: a later row
      tx(50, 5, 5), // 10
    ];
    const d = slice(summarise(rows, [], 5), 'tx');
    expect(d.top?.ranked).toBe(6);
    expect(d.top?.flagged_out).toBe(0);
    const got = d.top?.packets ?? [];
    expect(got.map((p) => [p.total_ns, p.time_ns, p.skbaddr, p.row])).toEqual([
      [300n, 100n, 0xb0n, 1],
      [100n, 200n, 0x90n, 3],
      [100n, 200n, 0x90n, 4],
      [100n, 200n, 0xc0n, 2],
      [100n, 500n, 0xa0n, 0],
    ]);
    expect(got[0]).toMatchObject({
      cpu: 3,
      pid: 7,
      comm: 'curl',
      len: 60,
      latency: { qdisc: 1n, device: 299n },
      fate: 'consumed',
      fate_why: null,
      lost_near: false,
    });
  });

  it('only rows with an end are ranked; address_reuse_suspect and time_backwards rows are not, and are counted', () => {
    const rows = [
      tx(1, 5, 1_000_000, { match: 'address_reuse_suspect' }), // the largest, but its free is unsure
      tx(2, -5, 900_000, { time_backwards: 1 }),
      // Queued and sent, never freed; queued and never sent: no total.
      {
        queue_ns: 3n,
        qdisc_ns: 7n,
        device_ns: null,
        status: 'not_freed',
        fate: 'not_observed',
        fate_why: 'trace_ended',
      },
      {
        queue_ns: 4n,
        qdisc_ns: null,
        device_ns: null,
        status: 'not_freed',
        fate: 'not_observed',
        fate_why: 'trace_ended',
      },
      tx(5, 2, 20, { lost_near: 1, fate: 'dropped', kfree_reason: 'NO_SOCKET' }),
      tx(6, 1, 10),
    ];
    const d = slice(summarise(rows, [], 10), 'tx');
    expect(d.top?.ranked).toBe(2);
    expect(d.top?.flagged_out).toBe(2);
    expect(d.top?.packets.map((p) => [p.total_ns, p.fate, p.lost_near])).toEqual([
      [22n, 'dropped', true],
      [11n, 'consumed', false],
    ]);
    // The latencies leave out the same rows: device has the two ranked and nothing flagged.
    expect(d.latency.device).toMatchObject({ n: 2, max: 20n });
  });

  it('rx total = irq_to_receive + receive_to_handled; without a hunk (null irq_to_receive) it is receive_to_handled', () => {
    const rx: Row[] = [
      { time_ns: 10n, irq_to_receive_ns: 5n, receive_to_handled_ns: 100n, handled_comm: 'sshd', cpu: 1 },
      { time_ns: 20n, irq_to_receive_ns: null, receive_to_handled_ns: 104n, dev: 'lo' },
      { time_ns: 30n, irq_to_receive_ns: 3n, receive_to_handled_ns: 103n },
      {
        time_ns: 40n,
        irq_to_receive_ns: 900n,
        receive_to_handled_ns: null,
        fate: 'not_observed',
        fate_why: 'trace_ended',
        handled_comm: null,
      },
    ];
    const s = summarise([], rx, 3);
    expect(slice(s, 'rx').top?.packets.map((p) => [p.time_ns, p.total_ns])).toEqual([
      [30n, 106n],
      [10n, 105n],
    ]);
    expect(slice(s, 'rx').top?.packets[1]).toMatchObject({
      cpu: 1,
      comm: 'sshd',
      latency: { irq_to_receive: 5n, receive_to_handled: 100n },
    });
    expect(slice(s, 'rx', 'lo').top?.packets.map((p) => p.total_ns)).toEqual([104n]);
  });

  it('each slice has its own N; without --top there is no ranking', () => {
    const rows = [tx(1, 1, 1), tx(2, 1, 2, { dev: 'lo' }), tx(3, 1, 3), tx(4, 1, 4, { dev: 'lo' }), tx(5, 1, 5)];
    const s = summarise(rows, [], 1);
    expect(slice(s, 'tx').top?.packets.map((p) => p.time_ns)).toEqual([5n]);
    expect(slice(s, 'tx', 'lo').top?.packets.map((p) => p.time_ns)).toEqual([4n]);
    expect(summarise(rows, [], 0).every((d) => d.top === null)).toBe(true);
    expect(() => new SummaryBuilder({ top: -1 })).toThrow(/--top/);
  });

  it('the bounded heap keeps what a full sort would, whatever the chunking (random rows, many ties)', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const packets = Array.from({ length: 2000 }, (_, row) => ({
      time: BigInt(rand(50)),
      qdisc: BigInt(rand(4)),
      device: BigInt(rand(6)),
      skbaddr: BigInt(0xff00 + rand(8)),
      dev: rand(3) === 0 ? 'lo' : 'eth0',
      row,
    }));
    const rows = packets.map((p) =>
      tx(Number(p.time), Number(p.qdisc), Number(p.device), { skbaddr: p.skbaddr, dev: p.dev }),
    );
    for (const n of [1, 7, 64, 5000]) {
      const whole = summarise(rows, [], n);
      expect(summarise(rows, [], n, 97)).toEqual(whole);
      for (const dev of ['eth0', 'lo']) {
        const want = packets
          .filter((p) => p.dev === dev)
          .map((p) => ({ total_ns: p.qdisc + p.device, time_ns: p.time, skbaddr: p.skbaddr, row: p.row }))
          .sort(slowerFirst)
          .slice(0, n);
        const got = slice(whole, 'tx', dev).top?.packets ?? [];
        expect(got.map((p) => [p.total_ns, p.time_ns, p.skbaddr, p.row])).toEqual(
          want.map((p) => [p.total_ns, p.time_ns, p.skbaddr, p.row]),
        );
      }
    }
  });

  it('TopN of 0 keeps nothing', () => {
    const t = new TopN(0);
    expect(t.wants({ total_ns: 1n, time_ns: 0n, skbaddr: null, row: 0 })).toBe(false);
    expect(t.sorted()).toEqual([]);
  });
});
