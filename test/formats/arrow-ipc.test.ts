/**
 * The IPC streams written straight from table chunks (arrow-ipc.ts, what parquet-wasm is fed) hold exactly
 * what the apache-arrow builder makes of the same chunks: same schema, same values, same nulls, for every
 * column kind, and parquet-wasm reads them.
 */
import type { Table } from 'apache-arrow';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Table as WasmTable } from 'parquet-wasm/node';
import { TraceDecoder } from '../../src/decode/text/decoder.js';
import { StringTable } from '../../src/core/strings.js';
import { Correlator } from '../../src/correlate/index.js';
import type { TableChunk } from '../../src/core/columns.js';
import { eventsChunk } from '../../src/normalise/events-table.js';
import { Normaliser } from '../../src/normalise/normaliser.js';
import { ArrowBatchBuilder } from '../../src/formats/arrow/batch.js';
import { arrow } from '../../src/formats/arrow/lib.js';
import { IpcChunkEncoder } from '../../src/formats/arrow/ipc.js';
import { tableSpec, type TableSpec } from '../../src/tables/schema.js';
import { emptyChunk } from '../../src/dataset/table-output.js';
import { TRACES } from '../helpers/fixtures.js';
import { execFileSync } from 'node:child_process';

type ArrowTable = Table;
const { tableFromIPC } = arrow;

/** Columns of values (bigint, number, string, string[], null), the way apache-arrow reads them. */
function columns(t: ArrowTable): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const f of t.schema.fields) {
    const v = t.getChild(f.name);
    const values: unknown[] = [];
    for (let i = 0; i < t.numRows; i++) {
      const x: unknown = v?.get(i);
      values.push(x instanceof arrow.Vector ? [...x] : x);
    }
    out[f.name] = values;
  }
  return out;
}

function expectSameAsBuilder(spec: TableSpec, chunks: TableChunk[]): void {
  const encoder = new IpcChunkEncoder(spec);
  const builder = new ArrowBatchBuilder(spec, 'single');
  for (const c of chunks) {
    const ours = tableFromIPC(encoder.encode(c));
    const theirs = new arrow.Table([builder.build(c)]);
    expect(String(ours.schema.fields.map((f) => `${f.name}:${String(f.type)}:${f.nullable}`))).toBe(
      String(theirs.schema.fields.map((f) => `${f.name}:${String(f.type)}:${f.nullable}`)),
    );
    expect(Object.fromEntries(ours.schema.metadata)).toEqual(Object.fromEntries(theirs.schema.metadata));
    expect(ours.numRows).toBe(c.length);
    expect(columns(ours)).toEqual(columns(theirs));
    // Into a dirty, larger buffer (reused ones are): the same table.
    const dirty = encoder.encode(c, (size) => new Uint8Array(size + 100).fill(0xaa));
    expect(columns(tableFromIPC(dirty))).toEqual(columns(ours));
    expect(
      WasmTable.fromIPCStream(dirty)
        .recordBatches()
        .reduce((rows, b) => rows + b.numRows, 0),
    ).toBe(c.length);
    // parquet-wasm (arrow-rs) takes it as it is.
    expect(WasmTable.fromIPCStream(encoder.encode(c)).numBatches).toBe(1);
  }
}

/** A trace's events and correlated tables, in small batches (dictionaries grow between chunks). */
function tablesOf(text: Uint8Array): Map<string, TableChunk[]> {
  const out = new Map<string, TableChunk[]>();
  const add = (t: string, c: TableChunk): void => {
    out.set(t, [...(out.get(t) ?? []), c]);
  };
  const n = new Normaliser();
  const corr = new Correlator((t, c) => add(t, c), {});
  const d = new TraceDecoder(
    (raw) => {
      const batch = n.normalise(raw);
      corr.push(batch);
      add('events', eventsChunk(batch));
    },
    { batchSize: 900 },
  );
  d.push(text);
  d.end();
  corr.finish();
  return out;
}

describe('Arrow IPC written from table chunks', () => {
  it('equals the apache-arrow batches of every table of eth-npm (ints, u64, dictionaries, raw payload spans)', () => {
    const tables = tablesOf(readFileSync(`${TRACES}eth-npm.ns.txt`));
    expect(tables.size).toBeGreaterThan(5);
    for (const [table, chunks] of tables) expectSameAsBuilder(tableSpec(table), chunks);
  });

  it('equals them for the callchain trace (list<utf8> frames)', () => {
    const text = execFileSync('xz', ['-dc', `${TRACES}callchain.ns.txt.xz`], { maxBuffer: 1 << 28 });
    const chunks = tablesOf(text).get('events') ?? [];
    expect(chunks.some((c) => c.columns.callchain.kind === 'list_utf8' && c.columns.callchain.valid.includes(1))).toBe(
      true,
    );
    expectSameAsBuilder(tableSpec('events'), chunks);
  });

  it('keeps edge values: u64 >= 2^63, negative int64, non-ASCII text, all-null and no-null columns, zero rows', () => {
    const spec = tableSpec('rejects');
    const inputs = new StringTable();
    const reasons = new StringTable();
    const chunk: TableChunk = {
      length: 3,
      columns: {
        input: {
          kind: 'dict',
          ids: Int32Array.from([inputs.idOf('a'), inputs.idOf('ü/b'), inputs.idOf('a')]),
          table: inputs,
        },
        line: { kind: 'int32', values: Int32Array.from([1, -2, 2147483647]), valid: Uint8Array.from([1, 1, 1]) },
        reason: {
          kind: 'dict',
          ids: Int32Array.from([reasons.idOf('x'), reasons.idOf('y'), reasons.idOf('x')]),
          table: reasons,
        },
        text: { kind: 'utf8', values: ['', 'naïve — ✓', 'z'] },
      },
    };
    expectSameAsBuilder(spec, [chunk, emptyChunk(spec)]);
    const events = tableSpec('events');
    const e = emptyChunk(events);
    expectSameAsBuilder(events, [e]);
    const big = tablesOf(readFileSync(`${TRACES}eth-npm.ns.txt`)).get('events')?.[0];
    if (!big) throw new Error('no events');
    const skb = big.columns.skbaddr;
    const time = big.columns.time_ns;
    if (skb.kind !== 'uint64' || time.kind !== 'int64') throw new Error('unexpected column kinds');
    skb.values[0] = 0xffffffffffffffffn;
    skb.valid[0] = 1;
    skb.valid[1] = 0;
    time.values[0] = -5n;
    expectSameAsBuilder(events, [big]);
    const ours = tableFromIPC(new IpcChunkEncoder(events).encode(big));
    expect(ours.getChild('skbaddr')?.get(0)).toBe(0xffffffffffffffffn);
    expect(ours.getChild('skbaddr')?.get(1)).toBe(null);
    expect(ours.getChild('time_ns')?.get(0)).toBe(-5n);
  });
});
