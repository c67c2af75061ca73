/** ReportRenderer as a stream consumer: when it prints, what it waits for, and how it fails on incomplete data. */
import { describe, expect, it } from 'vitest';
import { Correlator } from '../../src/correlate/index.js';
import { TraceDecoder } from '../../src/decode/text/decoder.js';
import { Normaliser } from '../../src/normalise/normaliser.js';
import { ReportRenderer } from '../../src/report/index.js';
import { renderReport } from '../../src/pipeline/report.js';
import { A, B, correlateText, Trace } from '../correlate/helpers.js';
import { sliceChunk } from './golden-helpers.js';

/** Feeds the trace one line-batch at a time; returns the text printed before finish and after. */
function stream(text: string, chunkRows: number): { before: string; after: string } {
  const out: string[] = [];
  const renderer = new ReportRenderer((s) => out.push(s), { rx: true });
  const correlator = new Correlator((table, chunk) => renderer.push(table, chunk), {
    chunkRows,
    softirqEntrySeen: true,
  });
  const normaliser = new Normaliser();
  const decoder = new TraceDecoder((raw) => correlator.push(normaliser.normalise(raw)), { batchSize: 1 });
  decoder.push(new TextEncoder().encode(text));
  decoder.end();
  const before = out.join('');
  renderer.finish(correlator.finish().debug);
  return { before, after: out.join('').slice(before.length) };
}

describe('ReportRenderer streaming', () => {
  it('prints a hunk as soon as its rows and those of its packets are all in, in hunk order', () => {
    // Hunk 0's packet B is only resolved at the end of the trace; hunk 1 is complete early but must wait.
    const t = new Trace()
      .hunk(0, 10, 38, (x) => x.receive(0, 20, A))
      .copy(1, 30, A)
      .hunk(0, 100, 38, (x) => x.receive(0, 120, B))
      .hunk(0, 300, 38, (x) => x.napiPoll(0, 310));
    const { before, after } = stream(t.text, 1);
    expect(before).toContain('100.000010sec cpu=0');
    expect(before).not.toContain('100.000100sec');
    expect(after.indexOf('100.000100sec')).toBeLessThan(after.indexOf('100.000300sec'));
    expect(before + after).toBe(renderReport(correlateText(t.text).chunks, { rx: true }));
  });

  it('buffers transmit lines until finish and prints them in report order', () => {
    const t = new Trace().queue(0, 1, A).queue(0, 2, B).xmit(0, 3, B).xmit(0, 4, A).consume(0, 5, A).consume(0, 6, B);
    const c = correlateText(t.text);
    const out: string[] = [];
    const r = new ReportRenderer((s) => out.push(s), { tx: true });
    for (const { table, chunk } of [...c.chunks].reverse()) r.push(table, chunk);
    expect(out).toEqual([]);
    r.finish();
    expect(
      out
        .join('')
        .split('\n')
        .slice(1, 3)
        .map((l) => l.slice(0, 30)),
    ).toEqual(['   eth0    74    100.000001sec', '   eth0    74    100.000002sec']);
  });

  it('dev= filters hunks by IRQ name and transmits by device (substring)', () => {
    const t = new Trace()
      .hunk(0, 10, 38, (x) => x.napiPoll(0, 20))
      .queue(0, 1, A, 74, 'lo')
      .xmit(0, 2, A, 0, 74, 'lo')
      .consume(0, 3, A);
    const c = correlateText(t.text);
    expect(renderReport(c.chunks, { dev: 'virtio2' })).toBe(
      renderReport(c.chunks, { rx: true }) + '   dev    len      Qdisc               netdevice             free\n',
    );
    expect(renderReport(c.chunks, { dev: 'l' })).toContain('     lo    74');
    expect(renderReport(c.chunks, { dev: '' })).toBe(renderReport(c.chunks, {}));
  });

  it('refuses to print from tables that miss rows', () => {
    const t = new Trace()
      .hunk(0, 10, 38, (x) => x.receive(0, 20, A))
      .queue(0, 1, B)
      .xmit(0, 2, B)
      .consume(0, 3, B)
      .queue(0, 4, A)
      .xmit(0, 5, A)
      .consume(0, 6, A);
    const c = correlateText(t.text);
    expect(() => renderReport(c.chunks.filter((x) => x.table !== 'rx_packets'))).toThrow(
      /receive hunk 0 is incomplete.*rx_packets 0\/1/,
    );
    const firstTx = c.chunks.findIndex((x) => x.table === 'tx_packets');
    // Without the first transmit row, report_order 0 is a hole (a missing last row cannot be told apart).
    const lastTx = c.chunks.map((x, i) =>
      i === firstTx ? { ...x, chunk: sliceChunk(x.chunk, 1, x.chunk.length) } : x,
    );
    expect(() => renderReport(lastTx, { tx: true })).toThrow(/no row with report_order 0/);
    expect(() => renderReport([{ table: 'tx_packets', chunk: { length: 1, columns: {} } }], { tx: true })).toThrow(
      /tx_packets: no column 'report_order'/,
    );
  });
});
