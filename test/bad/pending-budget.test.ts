/**
 * The budget on pending receive state (CorrelatorOptions.pendingBudget): IRQs that never exit, IRQs with
 * endless raises, NET_RX softirqs that never exit, and CPU numbers no kernel has. Each is evicted oldest
 * first and counted in CorrelationStats.evictions (or anomalies.cpuOutOfRange); normal hunks are untouched.
 */
import { describe, expect, it } from 'vitest';
import { Correlator } from '../../src/correlate/index.js';
import { A, B, C, correlateText, report, rowsOf, Trace } from '../correlate/helpers.js';

describe('IRQ lists are bounded', () => {
  it('IRQs that never exit: the oldest are evicted past the budget; the top of the list still matches exits', () => {
    const t = new Trace();
    for (let k = 0; k < 10; k++) t.irqEntry(0, k, 40 + k);
    // The newest IRQ exits after a raise and a NET_RX softirq runs: the hunk holds what is left of the list.
    t.raise(0, 20).irqExit(0, 21, 49).softirqEntry(0, 22).receive(0, 23, A).softirqExit(0, 30);
    const c = correlateText(t.text, { pendingBudget: 4 });
    // 10 IRQs and one raise with room for 4: IRQs 40..45 went first, then 46 to make room for the raise.
    expect(c.stats.evictions).toEqual({ irqs: 7, irqEvents: 0, softirqs: 0, softirqEvents: 0 });
    expect(c.stats.anomalies.irqExitMismatch).toBe(0);
    expect(rowsOf(c.chunks, 'rx_irqs').map((r) => [r.irq_index, r.irq])).toEqual([
      [0, 47],
      [1, 48],
      [2, 49],
    ]);
    expect(rowsOf(c.chunks, 'rx_hunks')).toHaveLength(1);
  });

  it('an IRQ with endless raises is evicted with its events; raises with no IRQ left are dropped', () => {
    const t = new Trace().irqEntry(0, 0, 38);
    for (let k = 1; k <= 6; k++) t.raise(0, k);
    const c = correlateText(t.irqExit(0, 10, 38).text, { pendingBudget: 4 });
    // IRQ + 3 raises fill the budget; the 4th raise evicts the IRQ (3 events) and is dropped with it (4).
    // Raises 5 and 6 find no IRQ on the CPU, which the reference ignores too: not evictions.
    expect(c.stats.evictions).toEqual({ irqs: 1, irqEvents: 4, softirqs: 0, softirqEvents: 0 });
    expect(c.stats.anomalies.irqExitOnEmptyList).toBe(1);
  });

  it('irq_handler_exit after its IRQ was evicted finds an empty list (counted), then the CPU works normally', () => {
    const t = new Trace()
      .irqEntry(0, 0, 38)
      .irqEntry(0, 1, 39)
      .irqEntry(0, 2, 40)
      .irqExit(0, 3, 40)
      .irqExit(0, 4, 39)
      .irqExit(0, 5, 38);
    t.hunk(0, 10, 38, (x) => x.receive(0, 15, B));
    const c = correlateText(t.text, { pendingBudget: 2 });
    expect(c.stats.evictions.irqs).toBe(1);
    expect(c.stats.anomalies.irqExitOnEmptyList).toBe(1);
    expect(rowsOf(c.chunks, 'rx_hunks')).toHaveLength(1);
    expect(rowsOf(c.chunks, 'rx_irqs').map((r) => r.irq)).toEqual([38]);
  });

  it('a budget must be a positive integer', () => {
    expect(() => new Correlator(() => undefined, { pendingBudget: 0 })).toThrow(RangeError);
    expect(() => new Correlator(() => undefined, { pendingBudget: 1.5 })).toThrow(RangeError);
  });
});

describe('open NET_RX softirqs are bounded', () => {
  it('a softirq that never exits is given up past the budget: not a hunk, its packets stay matchable', () => {
    const t = new Trace().irqEntry(0, 0, 38).raise(0, 1).irqExit(0, 2, 38).softirqEntry(0, 3);
    for (let k = 0; k < 5; k++) t.receive(0, 10 + k, (0xffff888100000000n + BigInt(k) * 256n).toString(16));
    t.napiPoll(0, 20).softirqExit(0, 30).copy(1, 40, 'ffff888100000000');
    const c = correlateText(t.text, { pendingBudget: 3 });
    // 3 held, the 4th receive gives the softirq up; the 5th receive and the poll are outside any softirq.
    expect(c.stats.evictions).toEqual({ irqs: 0, irqEvents: 0, softirqs: 1, softirqEvents: 3 });
    expect(c.stats.anomalies).toMatchObject({
      receiveOutsideSoftirq: 2,
      napiPollOutsideSoftirq: 1,
      softirqExitWithoutEntry: 1,
    });
    expect(rowsOf(c.chunks, 'rx_hunks')).toEqual([]);
    const packets = rowsOf(c.chunks, 'rx_packets');
    expect(packets).toHaveLength(3);
    expect(packets.every((p) => p.hunk_id === null)).toBe(true);
    expect(packets.find((p) => p.skbaddr === 0xffff888100000000n)?.handled_by).toBe('skb_copy_datagram_iovec');
  });

  it('the softirq opened first goes, not the one that is adding', () => {
    const t = new Trace().softirqEntry(1, 0).receive(1, 1, A).receive(1, 2, B);
    t.hunk(0, 10, 38, (x) => x.receive(0, 15, C).napiPoll(0, 16));
    const c = correlateText(t.text, { pendingBudget: 3 });
    expect(c.stats.evictions).toEqual({ irqs: 0, irqEvents: 0, softirqs: 1, softirqEvents: 2 });
    expect(rowsOf(c.chunks, 'rx_hunks').map((h) => [h.cpu, h.packet_count, h.napi_poll_count])).toEqual([[0, 1, 1]]);
  });

  it('normal traffic within the budget is untouched (same rows and report as an unbounded run)', () => {
    const t = new Trace();
    for (let k = 0; k < 50; k++) {
      const a = (0xffff888100000000n + BigInt(k) * 256n).toString(16);
      t.hunk(k % 2, k * 200, 38, (x) => x.receive(k % 2, k * 200 + 10, a).napiPoll(k % 2, k * 200 + 11));
      t.copy(1, k * 200 + 150, a);
    }
    const small = correlateText(t.text, { pendingBudget: 4 });
    const big = correlateText(t.text);
    expect(small.stats.evictions).toEqual({ irqs: 0, irqEvents: 0, softirqs: 0, softirqEvents: 0 });
    expect(report(small)).toBe(report(big));
    expect(rowsOf(small.chunks, 'rx_packets')).toEqual(rowsOf(big.chunks, 'rx_packets'));
  });
});

describe('CPU numbers', () => {
  it("an event from a CPU never seen before starts that CPU's state; a CPU number no kernel has is not correlated", () => {
    const t = new Trace().hunk(0, 0, 38, (x) => x.receive(0, 10, A));
    t.hunk(37, 200, 40, (x) => x.receive(37, 210, B));
    t.hunk(2147483647, 400, 41, (x) => x.receive(2147483647, 410, C));
    const c = correlateText(t.text);
    expect(rowsOf(c.chunks, 'rx_hunks').map((h) => h.cpu)).toEqual([0, 37]);
    // entry + raise + exit + softirq_entry are skipped for the impossible CPU (the rest finds no state).
    expect(c.stats.anomalies.cpuOutOfRange).toBe(2);
    expect(c.stats.anomalies).toMatchObject({
      irqExitWithoutList: 1,
      receiveOutsideSoftirq: 1,
      softirqExitWithoutEntry: 1,
    });
  });
});
