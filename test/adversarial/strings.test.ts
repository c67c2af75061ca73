/**
 * Bytes that are not UTF-8 in names and payloads (src/core/strings.ts). Tables hold valid UTF-8 with a
 * lossless escape (`\\` for a backslash, `\xHH` for a byte that is not UTF-8); the report prints the bytes
 * perf printed. perf prints names raw; the reference crashes on them (perf's Python bindings fail to decode
 * them), so the report of odd-comm's text must equal the report of its perf.data, and a report read back from
 * a converted dataset must equal both.
 *
 * On the code before this suite: every such byte became U+FFFD (names `\xff` and `\xfe` were one string,
 * with two dictionary ids), frames and rejected lines too, and the report printed EF BF BD instead of the byte.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringTable, escapeBytes, reportBytes, reportText, unescapeBytes } from '../../src/core/strings.js';
import { decode } from '../decode/helpers.js';
import { rows } from '../helpers/duck.js';

const BIN = new URL('../../bin/netdev-times.js', import.meta.url).pathname;
const ODD = new URL('../fixtures/traces/native/odd-comm.ns.txt', import.meta.url).pathname;
const ODD_DATA = new URL('../fixtures/traces/native/odd-comm.data', import.meta.url).pathname;

const isWellFormed = (s: string): boolean => Buffer.from(s, 'utf8').toString('utf8') === s;

function run(args: string[]): Buffer {
  const r = spawnSync('node', [BIN, ...args], { timeout: 120_000, maxBuffer: 64 << 20 });
  expect(r.status, r.stderr.toString()).toBe(0);
  return r.stdout;
}

describe('the table string of any bytes', () => {
  it('is well-formed UTF-8 and gives the bytes back exactly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        const s = escapeBytes(b, 0, b.length);
        expect(isWellFormed(s)).toBe(true);
        expect(unescapeBytes(s)).toEqual(Buffer.from(b));
      }),
      { numRuns: 5000 },
    );
  });

  it('is the text itself when the bytes are UTF-8 with no backslash', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (t) => {
        fc.pre(!t.includes('\\'));
        const b = Buffer.from(t, 'utf8');
        expect(escapeBytes(b, 0, b.length)).toBe(t);
      }),
      { numRuns: 3000 },
    );
  });

  it('escapes exactly the bytes that are not UTF-8, and the backslash', () => {
    const cases: [number[], string][] = [
      [[0xff, 0xfe, 0xc3, 0x28, 0x62], '\\xff\\xfe\\xc3(b'],
      [[0xe2, 0x82], '\\xe2\\x82'],
      [[0xe2, 0x82, 0xac], '\u20ac'],
      [[0xed, 0xa0, 0x80], '\\xed\\xa0\\x80'],
      [[0xc0, 0xaf], '\\xc0\\xaf'],
      [[0xf4, 0x90, 0x80, 0x80], '\\xf4\\x90\\x80\\x80'],
      [[0x61, 0x5c, 0x78, 0x66, 0x66], 'a\\\\xff'],
      [[0x09, 0x00, 0x7f], '\t\u0000\u007f'],
    ];
    for (const [b, s] of cases) expect(escapeBytes(Uint8Array.from(b), 0, b.length)).toBe(s);
  });

  it('a name with a byte that is not UTF-8 is its own dictionary string (two such names are two strings)', () => {
    const t = new StringTable();
    const a = t.idOfBytes(Uint8Array.of(0x61, 0xff), 0, 2);
    const b = t.idOfBytes(Uint8Array.of(0x61, 0xfe), 0, 2);
    expect(a).not.toBe(b);
    expect(t.values[a]).toBe('a\\xff');
    expect(t.values[b]).toBe('a\\xfe');
    expect(new Set(t.values).size).toBe(t.size);
  });

  it('reportText and reportBytes print the bytes themselves', () => {
    expect(reportBytes(reportText('a\\xff\\\\b\\xe2\\x82 \u20ac'))).toEqual(
      Buffer.from([0x61, 0xff, 0x5c, 0x62, 0xe2, 0x82, 0x20, 0xe2, 0x82, 0xac]),
    );
    expect(reportBytes('plain \ud83d\ude00')).toEqual(Buffer.from('plain \ud83d\ude00', 'utf8'));
  });
});

describe('the text decoder', () => {
  it('keeps frames and rejected lines that are not UTF-8 exactly', () => {
    const bytes = Buffer.concat([
      Buffer.from('bash 15480 [001]  1537.164815:           irq:softirq_raise: vec=9 [action=RCU]\n\tffffffff81 sym'),
      Buffer.from([0xff, 0x0a]),
      Buffer.from('garbage '),
      Buffer.from([0xc3, 0x0a]),
    ]);
    const d = decode(bytes);
    expect(d.rows[0].frames).toEqual(['ffffffff81 sym\\xff']);
    expect(d.rejects.map((r) => r.text)).toEqual(['garbage \\xc3']);
  });
});

describe('odd-comm (real names that are not UTF-8), end to end', () => {
  it('converts to Parquet and Arrow holding the escaped names, and the report of every path is the same bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nt-strings-'));
    try {
      run(['convert', ODD, '-o', join(dir, 'ds'), '--format', 'parquet,arrow', '--quiet']);
      const names = await rows(`SELECT DISTINCT comm FROM '${join(dir, 'ds', 'events.parquet')}' ORDER BY comm`);
      const comms = names.map((r) => String(r.comm));
      expect(comms).toContain('\\xff\\xfe\\xc3(bad-utf8');
      expect(comms).toContain('\\xe2\\x82');
      expect(comms).toContain('x [000] 1.000: ');
      expect(comms).toContain('tab\there:x');
      for (const c of comms) expect(isWellFormed(c)).toBe(true);

      const fromText = run(['report', ODD]);
      expect(fromText.length).toBeGreaterThan(1000);
      expect(run(['report', ODD_DATA])).toEqual(fromText);
      expect(run(['report', join(dir, 'ds')])).toEqual(fromText);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a device name that is not UTF-8 is printed in the report as its bytes, from text and from a dataset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nt-strings-'));
    try {
      const odd = readFileSync(ODD);
      const dev = Buffer.from([0xff, 0x5c]);
      const swap = (b: Buffer, from: Buffer, to: Buffer): Buffer => {
        const parts: Buffer[] = [];
        let p = 0;
        for (let i = b.indexOf(from); i >= 0; i = b.indexOf(from, p)) {
          parts.push(b.subarray(p, i), to);
          p = i + from.length;
        }
        parts.push(b.subarray(p));
        return Buffer.concat(parts);
      };
      const trace = join(dir, 'dev.txt');
      writeFileSync(
        trace,
        swap(odd, Buffer.from('dev=lo '), Buffer.concat([Buffer.from('dev='), dev, Buffer.from(' ')])),
      );
      const want = swap(
        run(['report', ODD]),
        Buffer.from(' lo '),
        Buffer.concat([Buffer.from(' '), dev, Buffer.from(' ')]),
      );
      expect(want.includes(dev)).toBe(true);
      expect(run(['report', trace])).toEqual(want);
      run(['convert', trace, '-o', join(dir, 'ds'), '--quiet']);
      expect(run(['report', join(dir, 'ds')])).toEqual(want);
      // Kept payloads with such a byte: escaped too (before: parquet-wasm refused the batch, exit 70).
      run(['convert', trace, '-o', join(dir, 'ds2'), '--payload', '--quiet']);
      const kept = await rows(
        `SELECT payload FROM '${join(dir, 'ds2', 'events.parquet')}' WHERE event = 'net:netif_rx' LIMIT 1`,
      );
      expect(String(kept[0].payload)).toMatch(/^dev=\\xff\\\\ skbaddr=/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
