/**
 * What the tables say about a packet is true (issue 15, points 10-13): one fate per packet, matches that only
 * address reuse explains flagged, time going backwards flagged, lost events flagging the rows near them. The
 * reference's matching (handled_by, freed_by, the latencies, the report) is unchanged: these are extra columns.
 */
import { describe, expect, it } from 'vitest';
import { LostEvents } from '../../src/core/lost.js';
import { asNanoseconds } from '../../src/core/units.js';
import { Correlator } from '../../src/correlate/index.js';
import { LOOPBACK_REUSE_NS } from '../../src/correlate/trust.js';
import { TraceDecoder } from '../../src/decode/text/decoder.js';
import { Normaliser } from '../../src/normalise/normaliser.js';
import type { NamedChunk } from '../../src/tables/named-chunk.js';
import { A, B, Trace, correlateText, rowsOf, type Row } from './helpers.js';

const NS = (us: number): bigint => 100_000_000_000n + BigInt(us * 1000);
const pick = (r: Row, ...k: string[]): Row => Object.fromEntries(k.map((x) => [x, r[x]]));
const FATE = ['fate', 'fate_why', 'match', 'lost_near', 'time_backwards'];

describe('fate: one word per packet', () => {
  it('eth0: delivered (skb_copy_datagram_iovec), dropped (kfree_skb, with its reason), consumed (consume_skb)', () => {
    const t = new Trace()
      .hunk(1, 10, 38, (h) => h.receive(1, 20, A).receive(1, 21, B))
      .copy(0, 200, A)
      .kfree(0, 210, B, 'NO_SOCKET')
      .queue(0, 300, A)
      .xmit(0, 301, A)
      .consume(0, 400, A);
    const c = correlateText(t.text);
    expect(rowsOf(c.chunks, 'rx_packets').map((r) => pick(r, 'handled_by', 'kfree_reason', ...FATE))).toEqual([
      {
        handled_by: 'skb_copy_datagram_iovec',
        kfree_reason: null,
        fate: 'delivered',
        fate_why: null,
        match: 'direct',
        lost_near: 0,
        time_backwards: 0,
      },
      {
        handled_by: 'kfree_skb',
        kfree_reason: 'NO_SOCKET',
        fate: 'dropped',
        fate_why: null,
        match: 'direct',
        lost_near: 0,
        time_backwards: 0,
      },
    ]);
    expect(rowsOf(c.chunks, 'tx_packets').map((r) => pick(r, 'status', ...FATE))).toEqual([
      { status: 'complete', fate: 'consumed', fate_why: null, match: 'direct', lost_near: 0, time_backwards: 0 },
    ]);
  });

  it('loopback: a kfree_skb the transmit lifecycle took is one drop, on tx_packets; the rx row says fate_in_tx', () => {
    const t = new Trace()
      .queue(0, 10, A, 74, 'lo')
      .xmit(0, 11, A, 0, 74, 'lo')
      .softirqEntry(0, 12)
      .receive(0, 13, A, 60, 'lo')
      .softirqExit(0, 14)
      .kfree(0, 15, A, 'SOCKET_RCVBUFF');
    const c = correlateText(t.text);
    const tx = rowsOf(c.chunks, 'tx_packets');
    const rx = rowsOf(c.chunks, 'rx_packets');
    expect(tx.map((r) => pick(r, 'freed_by', 'kfree_reason', 'fate', 'match'))).toEqual([
      { freed_by: 'kfree_skb', kfree_reason: 'SOCKET_RCVBUFF', fate: 'dropped', match: 'direct' },
    ]);
    expect(rx.map((r) => pick(r, 'handled_by', 'fate', 'fate_why', 'match'))).toEqual([
      { handled_by: null, fate: 'not_observed', fate_why: 'fate_in_tx', match: null },
    ]);
  });

  it('loopback: a transmit that reached a socket is delivered; a consume_skb the reference ignores makes rx consumed', () => {
    const t = new Trace()
      .queue(0, 10, A, 74, 'lo')
      .xmit(0, 11, A, 0, 74, 'lo')
      .softirqEntry(0, 12)
      .receive(0, 13, A, 60, 'lo')
      .receive(0, 14, B, 60, 'lo')
      .softirqExit(0, 15)
      .copy(1, 30, A)
      .consume(1, 40, B);
    const c = correlateText(t.text);
    expect(rowsOf(c.chunks, 'tx_packets').map((r) => pick(r, 'status', 'fate', 'fate_why'))).toEqual([
      { status: 'not_freed', fate: 'delivered', fate_why: null },
    ]);
    expect(rowsOf(c.chunks, 'rx_packets').map((r) => pick(r, 'handled_by', 'fate', 'fate_why'))).toEqual([
      { handled_by: 'skb_copy_datagram_iovec', fate: 'delivered', fate_why: null },
      { handled_by: null, fate: 'consumed', fate_why: null },
    ]);
  });

  it('not observed, with why: the trace ended, the budget evicted it, its address was reused, it left on another device', () => {
    const t = new Trace()
      .queue(0, 10, A) // queued again below on eth0: freed untraced, address reused
      .xmit(0, 11, A)
      .queue(0, 20, A)
      .xmit(0, 21, A)
      .queue(0, 30, B, 74, 'bond0') // queued again on eth0 before its own xmit: it left through eth0
      .queue(0, 31, B, 74, 'eth0')
      .xmit(0, 32, B, 0, 74, 'eth0');
    const c = correlateText(t.text);
    expect(rowsOf(c.chunks, 'tx_packets').map((r) => pick(r, 'dev', 'fate', 'fate_why'))).toEqual([
      // At the end the queue list is emptied first, then the xmit list (oldest first).
      { dev: 'bond0', fate: 'not_observed', fate_why: 'other_device' },
      { dev: 'eth0', fate: 'not_observed', fate_why: 'address_reused' },
      { dev: 'eth0', fate: 'not_observed', fate_why: 'trace_ended' },
      { dev: 'eth0', fate: 'not_observed', fate_why: 'trace_ended' },
    ]);
    const evicted = correlateText(new Trace().queue(0, 10, A).queue(0, 11, B).text, { budget: 1 });
    expect(rowsOf(evicted.chunks, 'tx_packets').map((r) => pick(r, 'evicted', 'fate_why'))).toEqual([
      { evicted: 1, fate_why: 'evicted' },
      { evicted: 0, fate_why: 'trace_ended' },
    ]);
  });
});

describe('match: how far to trust the reference pairing', () => {
  it('a kfree_skb matched to an older queued lifecycle of a reused address is address_reuse_suspect (tcp-bulk)', () => {
    // tcp-bulk's one kfree_skb: the queue list is searched first and holds a stale entry of the address.
    const t = new Trace()
      .queue(0, 10, A, 74, 'lo')
      .queue(0, 500_000, A, 66, 'lo')
      .xmit(0, 500_001, A, 0, 66, 'lo')
      .kfree(0, 500_010, A, 'NOT_SPECIFIED');
    const c = correlateText(t.text);
    const tx = rowsOf(c.chunks, 'tx_packets');
    expect(tx.map((r) => pick(r, 'status', 'len', 'fate', 'match'))).toEqual([
      { status: 'dropped_before_xmit', len: 74, fate: 'dropped', match: 'address_reuse_suspect' },
      { status: 'not_freed', len: 66, fate: 'not_observed', match: null },
    ]);
    expect(c.stats.flagged.txAddressReuseSuspect).toBe(1);
  });

  it(`on loopback a free more than ${LOOPBACK_REUSE_NS / 1e6} ms after the transmit is address_reuse_suspect; on eth0 it is not`, () => {
    const late = 400_000; // 0.4 s
    const t = new Trace()
      .queue(0, 10, A, 74, 'lo')
      .xmit(0, 11, A, 0, 74, 'lo')
      .consume(0, late, A)
      .queue(0, 20, B, 74, 'lo')
      .xmit(0, 21, B, 0, 74, 'lo')
      .consume(0, 40, B)
      .queue(1, 10, A)
      .xmit(1, 11, A)
      .consume(1, late, A);
    const rows = rowsOf(correlateText(t.text).chunks, 'tx_packets');
    expect(rows.map((r) => pick(r, 'dev', 'device_ns', 'match'))).toEqual([
      { dev: 'lo', device_ns: NS(late) - NS(11), match: 'address_reuse_suspect' },
      { dev: 'lo', device_ns: NS(40) - NS(21), match: 'direct' },
      { dev: 'eth0', device_ns: NS(late) - NS(11), match: 'direct' },
    ]);
  });

  it('a received packet matched after its address was received again is address_reuse_suspect', () => {
    const t = new Trace()
      .softirqEntry(0, 1)
      .receive(0, 2, A, 60, 'lo')
      .receive(0, 3, A, 60, 'lo')
      .softirqExit(0, 4)
      .copy(0, 10, A)
      .copy(0, 11, A);
    const rx = rowsOf(correlateText(t.text).chunks, 'rx_packets');
    expect(rx.map((r) => pick(r, 'time_ns', 'match'))).toEqual([
      { time_ns: NS(3), match: 'direct' },
      { time_ns: NS(2), match: 'address_reuse_suspect' },
    ]);
  });
});

describe('time_backwards', () => {
  it('a negative latency is kept (the report prints it) and flagged, and counted', () => {
    const t = new Trace()
      .queue(0, 50, A)
      .xmit(0, 40, A)
      .consume(0, 45, A)
      .queue(0, 60, B)
      .xmit(0, 61, B)
      .consume(0, 62, B);
    const c = correlateText(t.text);
    expect(rowsOf(c.chunks, 'tx_packets').map((r) => pick(r, 'qdisc_ns', 'time_backwards'))).toEqual([
      { qdisc_ns: -10_000n, time_backwards: 1 },
      { qdisc_ns: 1_000n, time_backwards: 0 },
    ]);
    expect(c.stats.flagged.txTimeBackwards).toBe(1);
  });
});

describe('lost_near: the rows a lost-event window overlaps', () => {
  it('flags packets alive across the window (start: the CPU last event before it) and hunks of that CPU only', () => {
    const lost = new LostEvents();
    // cpu 0 printed its last event at 40 us before the kernel lost events, noted at 60 us.
    lost.add(0, asNanoseconds(NS(60)), 5);
    const t = new Trace()
      .queue(0, 10, A) // freed at 20: before the window
      .xmit(0, 11, A)
      .consume(0, 20, A)
      .queue(0, 30, B) // never freed: its free may be among the lost
      .xmit(0, 31, B)
      .other(0, 40)
      .other(0, 70)
      .hunk(0, 35, 38, (h) => h.receive(0, 36, A).receive(0, 37, 'ffff888100000900'), 80) // spans the window
      .hunk(1, 100, 39, (h) => h.receive(1, 101, 'ffff888100000a00'), 150) // after it, on another CPU
      .copy(1, 38, A)
      .copy(1, 200, 'ffff888100000a00');
    const c = correlateText(t.text, { lost });
    expect(rowsOf(c.chunks, 'tx_packets').map((r) => pick(r, 'skbaddr', 'lost_near', 'fate', 'fate_why'))).toEqual([
      { skbaddr: 0xffff888100000100n, lost_near: 0, fate: 'consumed', fate_why: null },
      { skbaddr: 0xffff888100000200n, lost_near: 1, fate: 'not_observed', fate_why: 'events_lost' },
    ]);
    expect(rowsOf(c.chunks, 'rx_hunks').map((r) => pick(r, 'cpu', 'lost_near'))).toEqual([
      { cpu: 0, lost_near: 1 },
      { cpu: 1, lost_near: 0 },
    ]);
    expect(rowsOf(c.chunks, 'rx_packets').map((r) => pick(r, 'time_ns', 'lost_near', 'fate', 'fate_why'))).toEqual([
      { time_ns: NS(36), lost_near: 0, fate: 'delivered', fate_why: null }, // handled at 38, before the window
      { time_ns: NS(101), lost_near: 0, fate: 'delivered', fate_why: null },
      // Unmatched: written at the end of the trace.
      { time_ns: NS(37), lost_near: 1, fate: 'not_observed', fate_why: 'events_lost' },
    ]);
    expect(c.stats.flagged).toMatchObject({ txLostNear: 1, rxLostNear: 1, hunksLostNear: 1 });
  });

  it('a record added after the batches it concerns were pushed still flags the rows not yet written', () => {
    const lost = new LostEvents();
    const chunks: NamedChunk[] = [];
    const normaliser = new Normaliser();
    const correlator = new Correlator((table, chunk) => chunks.push({ table, chunk }), { lost });
    const decoder = new TraceDecoder((raw) => correlator.push(normaliser.normalise(raw)));
    decoder.push(new TextEncoder().encode(new Trace().queue(0, 10, A).xmit(0, 11, A).other(0, 20).text));
    decoder.end();
    lost.add(0, asNanoseconds(NS(30)), 1);
    const stats = correlator.finish();
    expect(rowsOf(chunks, 'tx_packets').map((r) => pick(r, 'lost_near', 'fate_why'))).toEqual([
      { lost_near: 1, fate_why: 'events_lost' },
    ]);
    expect(stats.flagged.txLostNear).toBe(1);
  });
});
