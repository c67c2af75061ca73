/**
 * Thread names are free text (up to 15 bytes from the kernel: spaces, tabs, `:`, brackets, digits, bytes that
 * are not UTF-8, even `x [000] 1.000: `): the text decoder finds the columns from perf's fixed layout and is
 * never misled (src/decode/text/event-line.ts, parseEventHead). Names are made up and printed as each perf
 * layout prints them (plain, pid/tid, perf 6.5's wider thread column, --ns, -g with callchains).
 *
 * On the code before this suite: `x [000] 1.000: ` lost its trailing space; `7 [000] 1.000: ` made its lines
 * rejected ("no event name after the timestamp"); `1 [0] 1.1: a:b:` made them events `a:b` at time 1.1 on
 * cpu 0; names that are not UTF-8 came out as U+FFFD (several names as one string).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { decode } from '../decode/helpers.js';
import { escapeBytes, unescapeBytes } from '../../src/core/strings.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const bytes = (...parts: (string | Uint8Array | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? enc(p) : Uint8Array.from(p))));

type Layout = 'plain' | 'tid' | 'tid7' | 'plain7' | 'ns' | 'g' | 'g-tid';
const LAYOUTS: Layout[] = ['plain', 'tid', 'tid7', 'plain7', 'ns', 'g', 'g-tid'];

const right = (s: string, w: number): string => s.padStart(w);
const left = (s: string, w: number): string => s.padEnd(w);

interface Ev {
  name: Uint8Array;
  pid: number;
  tid: number;
  cpu: number;
  secs: number;
  frac: number;
  event: string;
  payload: string;
}

/** One event as `perf script` prints it in that layout (builtin-script.c, perf_sample__fprintf_start). */
function line(layout: Layout, ev: Ev): Uint8Array {
  const g = layout === 'g' || layout === 'g-tid';
  const comm = g ? bytes(ev.name, ' ') : bytes(' '.repeat(Math.max(0, 16 - ev.name.length)), ev.name, ' ');
  const thread =
    layout === 'tid' || layout === 'g-tid'
      ? `${right(String(ev.pid), 5)}/${left(String(ev.tid), 5)} `
      : layout === 'tid7'
        ? `${right(String(ev.pid), 7)}/${left(String(ev.tid), 7)} `
        : layout === 'plain7'
          ? `${right(String(ev.tid), 7)} `
          : `${right(String(ev.tid), 5)} `;
  const digits = layout === 'ns' ? 9 : 6;
  const time = `${right(String(ev.secs), 5)}.${String(ev.frac).padStart(digits, '0')}: `;
  const head = `[${String(ev.cpu).padStart(3, '0')}] ${time}${right(ev.event, 20)}: ${ev.payload}\n`;
  const frames = g ? '\tffffffff81360e5d raise_softirq+0x8d ([kernel.kallsyms])\n\n' : '';
  return bytes(comm, thread, head, frames);
}

/** What the decoder reads back as the comm: perf's padding cannot be told from a name's leading spaces, nor
 * (in -g's layout) from its trailing spaces. */
function expectedName(layout: Layout, name: Uint8Array): Uint8Array {
  let s = 0;
  let e = name.length;
  while (s < e && name[s] === 0x20) s++;
  if (layout === 'g' || layout === 'g-tid') while (e > s && name[e - 1] === 0x20) e--;
  return name.subarray(s, e);
}

const HOSTILE: (string | number[])[] = [
  'x [000] 1.000: ',
  '7 [000] 1.000: ',
  '1 [0] 1.1: a:b:',
  '1 [0] 1.1: a:',
  '9 [9] 9.9: x:y',
  'tab\there:x',
  'a\t',
  '#',
  '# 1 [000] 1.0:',
  '\tffffffff8136 x',
  '\t[001] 2.5: x:',
  '12345',
  '1/2',
  '-1',
  '1 2 3 4 5 6 7 8',
  '[000]',
  ']',
  '[',
  'foo 123',
  '99999 [9] 9.9:',
  ':-1',
  'x:y: z',
  'a\\b',
  'ends in space ',
  'kworker/1:1-mm_',
  '\u00e9t\u00e9 [1]',
  [0xff, 0xfe, 0xc3, 0x28, ...enc('bad-utf8')],
  [0xe2, 0x82],
  [0x80, 0x20, 0x5b, 0x30, 0x5d],
];

const ev = (name: Uint8Array, i: number): Ev => ({
  name,
  pid: [0, 7, 30970, 4194304][i % 4],
  tid: [0, 12, 30971, 4194303][i % 4],
  cpu: i % 3,
  secs: 21576 + i,
  frac: 298671 + i,
  event: 'net:net_dev_queue',
  payload: 'dev=lo skbaddr=0xffff88813f7ea300 len=242',
});

function check(layout: Layout, name: Uint8Array, i: number): void {
  const e = ev(name, i);
  const d = decode(line(layout, e));
  expect(d.rejects, `${layout} ${JSON.stringify(escapeBytes(name, 0, name.length))}`).toEqual([]);
  expect(d.rows).toHaveLength(1);
  const r = d.rows[0];
  expect(unescapeBytes(r.comm)).toEqual(Buffer.from(expectedName(layout, name)));
  expect(r.tid).toBe(e.tid);
  expect(r.pid).toBe(layout === 'tid' || layout === 'tid7' || layout === 'g-tid' ? e.pid : null);
  expect(r.cpu).toBe(e.cpu);
  const scale = layout === 'ns' ? 1n : 1000n;
  expect(r.timeNs).toBe(BigInt(e.secs) * 1_000_000_000n + BigInt(e.frac) * scale);
  expect(r.event).toBe(e.event);
  expect(r.payload).toBe(e.payload);
}

describe('thread names in every layout', () => {
  for (const layout of LAYOUTS) {
    it(`${layout}: hostile names read back exactly`, () => {
      HOSTILE.forEach((n, i) => check(layout, typeof n === 'string' ? enc(n) : Uint8Array.from(n), i));
    });
  }

  it('any name of up to 15 bytes (no newline, no NUL), in any layout, with any thread, cpu and time', () => {
    // -g prints `%s `: a name that starts with a space and reads as the padded layout is the one ambiguity
    // left (event-line.ts), so -g names here do not start with a space.
    const byte = fc.oneof(
      fc.constantFrom(0x20, 0x09, 0x23, 0x3a, 0x5b, 0x5d, 0x2f, 0x2e, 0x2d, 0x5c, 0xff, 0xc3, 0xe2, 0x82),
      fc.integer({ min: 0x30, max: 0x39 }),
      fc.integer({ min: 1, max: 255 }).filter((b) => b !== 0x0a),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...LAYOUTS),
        fc.array(byte, { maxLength: 15 }),
        fc.nat(200),
        (layout, nameBytes, i) => {
          let name = Uint8Array.from(nameBytes);
          if ((layout === 'g' || layout === 'g-tid') && name[0] === 0x20) name = name.subarray(1);
          check(layout, name, i);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a payload imitating a head does not move the columns', () => {
    for (const layout of LAYOUTS) {
      const e = {
        ...ev(enc('x [000] 1.000: '), 1),
        payload: 'prev_comm= 1 [000] 1.000: a:b:     7 [001]  9.000001: c:d: x',
      };
      const d = decode(line(layout, e));
      expect(d.rows[0].payload).toBe(e.payload);
      expect(d.rows[0].cpu).toBe(e.cpu);
    }
  });

  it('odd-comm.ns.txt (perf 6.1, real names that are not UTF-8, a tab, `x [000] 1.000: `): every line an event', () => {
    const d = decode(readFileSync(new URL('../fixtures/traces/native/odd-comm.ns.txt', import.meta.url)));
    expect(d.counts.rejected).toBe(0);
    expect(d.counts.events).toBe(2243);
    const comms = new Set(d.rows.map((r) => r.comm));
    expect(comms).toContain('x [000] 1.000: ');
    expect(comms).toContain('\\xff\\xfe\\xc3(bad-utf8');
    expect(comms).toContain('\\xe2\\x82');
    expect(comms).toContain('tab\there:x');
    const fake = d.rows.filter((r) => r.comm === 'x [000] 1.000: ');
    expect(fake.length).toBe(450);
    expect(new Set(fake.map((r) => r.tid))).toEqual(new Set([30970]));
    // Read as the imitation would have it: time 1.000, cpu 0.
    expect(fake.filter((r) => r.timeNs < 21576_000_000_000n)).toEqual([]);
  });

  it('documented ambiguity: a newline in a name splits its line (perf prints it raw)', () => {
    const e = ev(enc('a\nb'), 2);
    const d = decode(line('plain', e));
    expect(d.counts.rejected).toBe(1);
    expect(d.rows[0].comm).toBe('b');
  });
});
