/**
 * Odd lines at the decoder: lines of several MB, lines longer than the limit (never buffered whole), a file
 * with no newline at all, a last line cut short, CRLF, NUL bytes and invalid UTF-8.
 */
import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES, TraceDecoder } from '../../src/decode/text/decoder.js';
import { decode } from '../decode/helpers.js';

const EVENT =
  '         swapper     0 [001]  9146.302124:       net:netif_receive_skb: dev=eth0 skbaddr=0xffff8803f1a2e700 len=60';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Feeds `parts` (strings or byte counts of filler) in chunks of `chunk` bytes, without building the whole text. */
function stream(parts: (string | number)[], chunk: number, maxLineBytes?: number): TraceDecoder {
  const dec = new TraceDecoder(() => undefined, { maxLineBytes });
  const fill = new Uint8Array(chunk).fill(0x78);
  for (const p of parts) {
    if (typeof p === 'string') {
      const b = enc(p);
      for (let o = 0; o < b.length; o += chunk) dec.push(b.subarray(o, o + chunk));
    } else {
      for (let left = p; left > 0; left -= chunk) dec.push(fill.subarray(0, Math.min(chunk, left)));
    }
  }
  dec.end();
  return dec;
}

describe('long lines', () => {
  it('a 5 MB event line decodes with its whole payload, whatever the chunking', () => {
    const long = `a 1 [000] 1.000001: sched:sched_switch: ${'y'.repeat(5 << 20)}`;
    for (const chunkSize of [65536, 1 << 20, undefined]) {
      const d = decode(`${EVENT}\n${long}\n${EVENT}\n`, { chunkSize });
      expect(d.counts).toEqual({ lines: 3, events: 3, header: 0, callchainFrames: 0, blank: 0, lost: 0, rejected: 0 });
      expect(d.rows[1].payload.length).toBe(5 << 20);
    }
  });

  it('a 6 MB line that is not an event is one rejected line, its text cut to 200 bytes', () => {
    const d = decode(`${EVENT}\n${'z'.repeat(6 << 20)}\r\n${EVENT}`, { chunkSize: 1 << 20 });
    expect(d.counts).toMatchObject({ lines: 3, events: 2, rejected: 1 });
    expect(d.rejects[0].line).toBe(2);
    expect(d.rejects[0].text).toBe('z'.repeat(200));
  });

  it('a line past the limit is rejected without being buffered, in one chunk or across many', () => {
    const max = 1000;
    for (const chunk of [7, 300, 999, 1000, 1001, 4096]) {
      const rejects: { line: number; reason: string; text: string }[] = [];
      const dec = new TraceDecoder(() => undefined, { maxLineBytes: max, onReject: (r) => rejects.push(r) });
      const text = enc(`${EVENT}\n${'q'.repeat(max + 1)}\n${'r'.repeat(max)}\n${EVENT}\n`);
      for (let o = 0; o < text.length; o += chunk) dec.push(text.subarray(o, o + chunk));
      dec.end();
      expect(dec.counts, `chunk ${chunk}`).toEqual({
        lines: 4,
        events: 2,
        header: 0,
        callchainFrames: 0,
        blank: 0,
        lost: 0,
        rejected: 2,
      });
      expect(rejects.map((r) => [r.line, r.reason, r.text.length])).toEqual([
        [2, 'line longer than 1000 bytes', 200],
        [3, 'no [cpu] field after a thread id', 200],
      ]);
    }
  });

  it('a 300 MB file with no newline is one rejected line and the decoder holds only its first bytes', () => {
    const before = process.memoryUsage().arrayBuffers;
    const dec = stream([300 << 20], 1 << 20);
    expect(dec.counts).toMatchObject({ lines: 1, rejected: 1, events: 0 });
    expect(dec.unterminatedLastLine).toBe(true);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(2 * MAX_LINE_BYTES);
  });
});

describe('line ends and bytes', () => {
  it('a file cut in the middle of its last line: decoded as it is, and flagged', () => {
    const cut = `${EVENT}\n${EVENT.slice(0, 95)}`;
    const dec = stream([cut], 64);
    expect(dec.counts).toMatchObject({ lines: 2, events: 2, rejected: 0 });
    expect(dec.unterminatedLastLine).toBe(true);
    expect(stream([`${EVENT}\n`], 64).unterminatedLastLine).toBe(false);
    // Cut before the event name: rejected (and flagged).
    const early = stream([`${EVENT}\n${EVENT.slice(0, 40)}`], 64);
    expect(early.counts).toMatchObject({ lines: 2, events: 1, rejected: 1 });
  });

  it('CRLF, CR-only lines, NUL bytes and invalid UTF-8 never break the accounting', () => {
    const bytes = new Uint8Array([
      ...enc(`${EVENT}\r\n\r\n`),
      0,
      0xff,
      0xfe,
      0x0a,
      ...enc(EVENT.replace('swapper', 'sw\u0000p\u00ff')),
      0x0a,
      0x0d,
    ]);
    const d = decode(bytes);
    expect(d.counts).toEqual({ lines: 5, events: 2, header: 0, callchainFrames: 0, blank: 2, lost: 0, rejected: 1 });
    expect(d.rows[1].comm).toBe('sw\u0000p\u00ff');
  });
});
