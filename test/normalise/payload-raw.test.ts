/**
 * perf.data samples read raw into the columns (payload-raw.ts) give exactly the rows of the same samples
 * printed as perf prints them and parsed as text: every typed field, kind, parsed and kept flag, kept
 * payload text, and the dictionaries in the same order (so the tables' bytes do not change). On every
 * committed recording, and on samples whose values the text parser would not take whole.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringTable } from '../../src/core/strings.js';
import { newRawBatch } from '../../src/decode/raw-batch.js';
import { openTraceSource } from '../../src/pipeline/source.js';
import { EventKind, kindOfName } from '../../src/normalise/kinds.js';
import { Normaliser } from '../../src/normalise/normaliser.js';
import { ByteBuffer, parseTracingData, type EventFormat } from '../../src/tracefs/index.js';
import { blob } from '../tracefs/oracle.js';
import { fieldsOf, type Fields } from './helpers.js';

const FIX = fileURLToPath(new URL('../fixtures/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'ndt-raw-'));

function recording(rel: string): string {
  const path = `${FIX}${rel}`;
  if (!rel.endsWith('.xz')) return path;
  const out = join(tmp, rel.replace(/\//g, '_').slice(0, -3));
  if (!existsSync(out)) writeFileSync(out, execFileSync('xz', ['-dc', path], { maxBuffer: 1 << 30 }));
  return out;
}

interface Read {
  rows: (Fields & { payload: string | null })[];
  rawRows: Map<string, number>;
  dictionaries: Record<string, string[]>;
  unparsed: [number, number][];
}

async function readAll(path: string, printPayloads: boolean): Promise<Read> {
  const src = await openTraceSource(path, { printPayloads, batchSize: 4096 });
  const rows: Read['rows'] = [];
  const rawRows = new Map<string, number>();
  const dec = new TextDecoder();
  for await (const b of src.batches()) {
    const r = b.raw;
    for (let i = 0; i < b.length; i++) {
      const f = fieldsOf(b, i);
      const kept = b.keepPayload[i] === 1;
      // A kept payload is text whichever way it was read: a raw one would be bytes nobody can use.
      if (kept) expect(r.rawPayload[i]).toBe(0);
      rows.push({ ...f, payload: kept ? dec.decode(r.arena.subarray(r.payloadStart[i], r.payloadEnd[i])) : null });
      if (r.rawPayload[i] === 1) rawRows.set(f.event, (rawRows.get(f.event) ?? 0) + 1);
    }
  }
  const t = src.normaliser.tables;
  const dictionaries = {
    dev: t.dev.values,
    irqName: t.irqName.values,
    ret: t.ret.values,
    vecName: t.vecName.values,
    location: t.location.values,
    reason: t.reason.values,
  };
  return { rows, rawRows, dictionaries, unparsed: [...src.unparsed] };
}

// tcp-bulk (547k samples) is left to test/e2e/perf-data.test.ts, whose reports from it are read this way too.
const RECORDINGS = [
  'traces/eth-npm.data',
  'traces/http-lo.data',
  'traces/mixed.data',
  'traces/callchain.data',
  'traces/udp-drop.data',
  'perf-data/pipe.data',
  'perf-data/zstd.data',
  'traces/native/odd-comm.data',
  'perf-data/killed.data',
  'perf-data/lost.data.xz',
];

describe('raw samples read into columns', () => {
  it.each(RECORDINGS)('%s: the rows of the printed text', { timeout: 120_000 }, async (rel) => {
    const path = recording(rel);
    const printed = await readAll(path, true);
    const raw = await readAll(path, false);
    expect(printed.rawRows.size).toBe(0);
    expect(raw.rows.length).toBe(printed.rows.length);
    for (let i = 0; i < raw.rows.length; i++) {
      if (JSON.stringify(raw.rows[i], big) !== JSON.stringify(printed.rows[i], big))
        expect({ row: i, ...raw.rows[i] }).toEqual({ row: i, ...printed.rows[i] });
    }
    expect(raw.dictionaries).toEqual(printed.dictionaries);
    expect(raw.unparsed).toEqual(printed.unparsed);
    // The raw way is taken: by every netdev tracepoint whose samples parse (6.18's formats are all known).
    // killed.data has no tracing data at all: no format, nothing parses, nothing is raw.
    const parsed = printed.rows.filter((r) => r.kind !== EventKind.Other && r.parsed === 1);
    const netdev = new Set(parsed.map((r) => r.event));
    expect(netdev.size > 0).toBe(!rel.includes('killed'));
    for (const e of netdev) expect(raw.rawRows.get(e) ?? 0, e).toBeGreaterThan(0);
  });
});

/** Row 0 of a one-row batch of `payload` (raw when `raw`), normalised by n. */
function oneRow(n: Normaliser, format: EventFormat, payload: Uint8Array, end: number, raw: boolean): string {
  const events = new StringTable();
  const id = events.idOf(format.fullName);
  const formats: (EventFormat | null)[] = [];
  if (raw) formats[id] = format;
  const b = newRawBatch(1, new StringTable(), events, payload, formats);
  b.length = 1;
  b.event[0] = id;
  b.payloadEnd[0] = end;
  b.rawPayload[0] = raw ? 1 : 0;
  return JSON.stringify(fieldsOf(n.normalise(b), 0), big);
}

describe('raw samples of any bytes', () => {
  // mixed.data's formats: all 13 netdev tracepoints of a 6.18 kernel.
  const formats = parseTracingData(blob('mixed'));
  const netdev = [...Array(4000).keys()]
    .map((id) => formats.byId(id))
    .filter((f): f is EventFormat => f !== undefined && kindOfName(f.fullName) !== EventKind.Other);

  it('are taken raw only where they read as their printed text does', () => {
    expect(netdev.length).toBe(13);
    const text = new ByteBuffer();
    const accepted = new Map<string, number>();
    // Payload bytes: random, with runs of spaces and digits where a string may point, and lengths cut short.
    const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 0x20, 0x30, 0x61, 0xff));
    fc.assert(
      fc.property(
        fc.constantFrom(...netdev),
        fc.array(byte, { minLength: 8, maxLength: 96, size: 'max' }),
        fc.nat(100),
        (format, bytes, cut) => {
          const payload = Uint8Array.from(bytes);
          const end = Math.min(payload.length, cut);
          const raw = new Normaliser();
          const reader = raw.rawReader(format);
          if (reader === null || !reader.accepts(payload, 0, end)) return;
          accepted.set(format.fullName, (accepted.get(format.fullName) ?? 0) + 1);
          text.reset();
          format.render(payload, 0, end, text);
          const printed = text.bytes().slice();
          expect(oneRow(raw, format, payload, end, true)).toBe(
            oneRow(new Normaliser(), format, printed, printed.length, false),
          );
        },
      ),
      { numRuns: 6000 },
    );
    // Every format is read raw for some of them (the test would pass vacuously otherwise).
    expect([...accepted.keys()].sort()).toEqual(netdev.map((f) => f.fullName).sort());
  });
});

function big(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}
