/**
 * Consumers verified: every table's Parquet file read by DuckDB (C++) and by hyparquet (pure JS, no code in
 * common with our writer parquet-wasm/arrow-rs) gives, column by column and row by row, exactly the values
 * of the Arrow IPC file of the same conversion read by apache-arrow: uint64 addresses beyond 2^63, int64 ns,
 * nulls, dictionary strings and callchain lists.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableNames, tableSpec } from '../../src/tables/schema.js';
import { types } from '../helpers/duck.js';
import { arrowColumns, duckColumns, firstDifference, flatDatasets, hyparquetColumns, type Columns } from './helpers.js';

const TABLES = tableNames();
const DUCK_TYPE: Record<string, string> = {
  int32: 'INTEGER',
  int64: 'BIGINT',
  uint64: 'UBIGINT',
  utf8: 'VARCHAR',
  'list<utf8>': 'VARCHAR[]',
};

let sets: { eth: string; callchain: string };
beforeAll(async () => {
  sets = await flatDatasets();
});

function expectSame(table: string, reader: string, got: Columns, want: Columns): void {
  expect(Object.keys(got), `${reader}: ${table} column names`).toEqual(Object.keys(want));
  for (const [name, values] of Object.entries(want)) {
    const i = firstDifference(got[name], values);
    expect(
      i,
      `${reader}: ${table}.${name} differs from the Arrow file first at row ${i}: ${String(got[name][i])} vs ${String(values[i])}`,
    ).toBe(-1);
  }
}

describe.each(TABLES)('%s', (table) => {
  it('DuckDB and hyparquet read the Parquet file exactly as apache-arrow reads the Arrow file', async () => {
    for (const dir of [sets.eth, sets.callchain]) {
      const want = arrowColumns(join(dir, `${table}.arrow`));
      const rows = want[tableSpec(table).columns[0].name].length;
      if (dir === sets.eth) expect(rows, `${table} has rows to compare`).toBeGreaterThan(0);
      expectSame(table, 'DuckDB', await duckColumns(join(dir, `${table}.parquet`)), want);
      expectSame(table, 'hyparquet', await hyparquetColumns(join(dir, `${table}.parquet`)), want);
    }
  });

  it('DuckDB sees the schema types (uint64 as UBIGINT, int64 as BIGINT)', async () => {
    const t = await types(`SELECT * FROM read_parquet('${join(sets.eth, `${table}.parquet`)}')`);
    expect(Object.entries(t)).toEqual(tableSpec(table).columns.map((c) => [c.name, DUCK_TYPE[c.type]]));
  });
});

describe('exact values', () => {
  it('uint64 addresses beyond 2^63 and int64 ns survive every reader (the same bigint)', async () => {
    const file = join(sets.eth, 'events.parquet');
    const arrow = arrowColumns(join(sets.eth, 'events.arrow'));
    const high = arrow.skbaddr.filter((v): v is bigint => typeof v === 'bigint' && v >= 1n << 63n);
    expect(high.length).toBeGreaterThan(300);
    // "npm view left-p ... 1520.844139...: net:netif_receive_skb: dev=eth0 skbaddr=0xffff88812f183d00 len=64"
    expect(high).toContain(0xffff88812f183d00n);
    const hy = await hyparquetColumns(file);
    const dk = await duckColumns(file);
    expect(hy.skbaddr.filter((v) => v === 0xffff88812f183d00n).length).toBe(
      arrow.skbaddr.filter((v) => v === 0xffff88812f183d00n).length,
    );
    expect(dk.skbaddr).toEqual(arrow.skbaddr);
    // ns times are the text's digits: 1520.292816586 is the first event's time.
    expect(arrow.time_ns[0]).toBe(1520292816586n);
    expect(hy.time_ns[0]).toBe(1520292816586n);
    expect(dk.time_ns[0]).toBe(1520292816586n);
  });

  it('latencies (int64 ns) in rx_packets and tx_packets are the differences of the times they join, in every reader', async () => {
    const tx = await hyparquetColumns(join(sets.eth, 'tx_packets.parquet'));
    for (let i = 0; i < tx.queue_ns.length; i++) {
      const q = tx.queue_ns[i];
      const x = tx.xmit_ns[i];
      if (typeof q === 'bigint' && typeof x === 'bigint') expect(tx.qdisc_ns[i]).toBe(x - q);
      else expect(tx.qdisc_ns[i]).toBeNull();
    }
  });

  it('the rejects table keeps the two lines that are not events', async () => {
    const r = await hyparquetColumns(join(sets.eth, 'rejects.parquet'));
    expect(r.line).toEqual([101, 2001]);
    expect(r.text).toEqual(['this line is not a perf event', 'neither: is this one [cpu]']);
  });

  it('callchains are lists of strings in every reader', async () => {
    const hy = await hyparquetColumns(join(sets.callchain, 'events.parquet'));
    const frames = hy.callchain[0];
    expect(Array.isArray(frames) && frames[0]).toBe('ffffffff81360e5d raise_softirq+0x8d ([kernel.kallsyms])');
  });
});
