/**
 * `netdev-times summary`: its numbers are DuckDB's on the same Parquet files (count, quantile_disc, max,
 * drops grouped by status and reason), the in-memory run on a trace gives what the dataset gives, and the
 * CLI prints the table and the JSON.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NetdevTimesError } from '../../src/core/errors.js';
import {
  LATENCIES,
  latencyStats,
  nearestRank,
  type SliceSummary,
  type SourceSummary,
} from '../../src/summary/summary.js';
import { fixed3, formatSummary, summaryJson } from '../../src/summary/format.js';
import { summaryOfDataset, summaryOfTrace } from '../../src/pipeline/summary-input.js';
import { rows } from '../helpers/duck.js';
import { BIN, ROOT, TRACES } from '../helpers/fixtures.js';
import { hasKeys, parseJson } from '../helpers/json.js';
import { batchDataset } from './helpers.js';

describe('nearest-rank percentiles', () => {
  const arr = (...v: number[]): BigInt64Array => BigInt64Array.from(v.map(BigInt));
  it('pP is the value at rank ceil(P*n/100), max is the largest', () => {
    const ten = arr(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    expect([50, 90, 99, 100].map((p) => nearestRank(ten, p))).toEqual([5n, 9n, 10n, 10n]);
    expect(nearestRank(arr(7), 50)).toBe(7n);
    expect(nearestRank(arr(), 50)).toBeNull();
    expect(nearestRank(arr(1, 2), 50)).toBe(1n);
    expect(nearestRank(arr(1, 2, 3), 50)).toBe(2n);
  });

  it('sorts numerically, negatives and values beyond 2^53 exactly', () => {
    const s = latencyStats(BigInt64Array.from([2n ** 60n + 1n, -5n, 3n, 2n ** 60n]));
    expect(s).toEqual({
      n: 4,
      p50: 3n,
      p90: 2n ** 60n + 1n,
      p99: 2n ** 60n + 1n,
      p99_9: 2n ** 60n + 1n,
      max: 2n ** 60n + 1n,
    });
  });

  it('formats msec rounded to the µs and µs exactly, never through a float', () => {
    expect(fixed3(1_234_567n, 'ms')).toBe('1.235');
    expect(fixed3(1_234_499n, 'ms')).toBe('1.234');
    expect(fixed3(1_234_567n, 'us')).toBe('1234.567');
    expect(fixed3(-1_500n, 'ms')).toBe('-0.002');
    expect(fixed3(-400n, 'ms')).toBe('0.000');
    expect(fixed3(9_007_199_254_740_993n, 'us')).toBe('9007199254740.993');
  });
});

describe('summary of a batch dataset against DuckDB on the same Parquet files', () => {
  let out: string;
  let summary: SourceSummary[];
  beforeAll(async () => {
    out = await batchDataset();
    summary = await summaryOfDataset(out);
  });

  const find = (source: string, dir: string, dev: string): SliceSummary => {
    const d = summary.find((s) => s.source === source)?.slices.find((x) => x.direction === dir && x.key === dev);
    if (!d) throw new Error(`no ${source} ${dev} ${dir}`);
    return d;
  };

  it('one block per source, one row per device and direction', async () => {
    expect(summary.map((s) => s.source)).toEqual(['eth-npm.ns.txt', 'udp-drop.ns.txt']);
    for (const [dir, table] of [
      ['tx', 'tx_packets'],
      ['rx', 'rx_packets'],
    ]) {
      const want = await rows(
        `SELECT source, dev, count(*)::INTEGER AS n FROM read_parquet('${out}/${table}/**/*.parquet', hive_partitioning = true) GROUP BY ALL ORDER BY ALL`,
      );
      expect(want.length).toBeGreaterThan(0);
      const got = summary.flatMap((s) =>
        s.slices.filter((d) => d.direction === dir).map((d) => ({ source: s.source, dev: d.key, n: d.packets })),
      );
      expect(got).toEqual(want);
    }
  });

  it('p50/p90/p99/p99.9/max of every latency are quantile_disc(0.5/0.9/0.99/0.999) and max', async () => {
    let compared = 0;
    for (const [dir, table] of [
      ['tx', 'tx_packets'],
      ['rx', 'rx_packets'],
    ] as const) {
      for (const { name, column, matched } of LATENCIES[dir]) {
        // The summary leaves out rows whose time went backwards, and matched latencies of suspect matches.
        const keep = `time_backwards = 0${matched ? " AND match IS DISTINCT FROM 'address_reuse_suspect'" : ''}`;
        const col = `(CASE WHEN ${keep} THEN ${column} END)`;
        const want = await rows(
          `SELECT source, dev, count(${col})::INTEGER AS n, quantile_disc(${col}, 0.5) AS p50, quantile_disc(${col}, 0.9) AS p90,
                  quantile_disc(${col}, 0.99) AS p99, quantile_disc(${col}, 0.999) AS p99_9, max(${col}) AS max
           FROM read_parquet('${out}/${table}/**/*.parquet', hive_partitioning = true) GROUP BY ALL ORDER BY ALL`,
        );
        for (const w of want) {
          const got = find(String(w.source), dir, String(w.dev)).latency[name];
          expect(got, `${String(w.source)} ${String(w.dev)} ${dir} ${name}`).toEqual({
            n: w.n,
            p50: w.p50,
            p90: w.p90,
            p99: w.p99,
            p99_9: w.p99_9,
            max: w.max,
          });
          if (got.n > 0) compared++;
        }
      }
    }
    expect(compared).toBeGreaterThanOrEqual(5);
  });

  it('fates per fate, drops (fate dropped) by kfree_reason, not observed by fate_why, tx not complete by status', async () => {
    const byKey = (r: Record<string, unknown>[]): Partial<Record<string, Record<string, number>>> => {
      const o: Record<string, Record<string, number>> = {};
      for (const x of r) (o[`${String(x.source)} ${String(x.dev)}`] ??= {})[String(x.k)] = Number(x.n);
      return o;
    };
    for (const [dir, table] of [
      ['tx', 'tx_packets'],
      ['rx', 'rx_packets'],
    ] as const) {
      const src = `read_parquet('${out}/${table}/**/*.parquet', hive_partitioning = true)`;
      const fates = byKey(await rows(`SELECT source, dev, fate AS k, count(*) AS n FROM ${src} GROUP BY ALL`));
      const drops = byKey(
        await rows(
          `SELECT source, dev, coalesce(nullif(kfree_reason, ''), '(none)') AS k, count(*) AS n FROM ${src} WHERE fate = 'dropped' GROUP BY ALL`,
        ),
      );
      const why = byKey(
        await rows(
          `SELECT source, dev, fate_why AS k, count(*) AS n FROM ${src} WHERE fate = 'not_observed' GROUP BY ALL`,
        ),
      );
      const status =
        dir === 'tx'
          ? byKey(
              await rows(
                `SELECT source, dev, status AS k, count(*) AS n FROM ${src} WHERE status <> 'complete' GROUP BY ALL`,
              ),
            )
          : {};
      for (const s of summary) {
        for (const d of s.slices.filter((x) => x.direction === dir)) {
          const key = `${s.source} ${String(d.key)}`;
          expect(Object.fromEntries(Object.entries(d.fates).filter(([, n]) => n > 0))).toEqual(fates[key] ?? {});
          expect(d.drops).toEqual(drops[key] ?? {});
          expect(d.not_observed).toEqual(why[key] ?? {});
          expect(d.not_complete).toEqual(status[key] ?? {});
        }
      }
    }
    // The fixtures do have drops: udp-drop's receive-buffer drops, eth-npm's packets to closed ports.
    expect(find('udp-drop.ns.txt', 'tx', 'lo').drops.SOCKET_RCVBUFF).toBeGreaterThan(900);
    expect(find('eth-npm.ns.txt', 'rx', 'eth0').drops.NO_SOCKET).toBe(4);
  });

  it('a trace correlated in memory gives the summary of its converted partition', async () => {
    const fromTrace = await summaryOfTrace(`${TRACES}eth-npm.ns.txt`);
    expect(fromTrace.slices).toEqual(summary[0].slices);
    expect(await summaryOfDataset(out, 'udp-drop.ns.txt')).toEqual([summary[1]]);
  });

  it('the text table and the JSON carry the same numbers', () => {
    const text = formatSummary(summary, 'ms');
    const eth = find('eth-npm.ns.txt', 'tx', 'eth0').latency.qdisc;
    expect(text).toContain('source eth-npm.ns.txt');
    expect(text).toMatch(
      new RegExp(
        `eth0\\s+tx\\s+65\\s+qdisc\\s+${eth.n}\\s+${fixed3(eth.p50 ?? 0n, 'ms')}\\s+${fixed3(eth.p90 ?? 0n, 'ms')}`,
      ),
    );
    type Json = { sources: { devices: { latency_ns: Record<string, unknown> }[] }[] };
    const json = parseJson(JSON.stringify(summaryJson(summary)), hasKeys<Json>('sources'));
    expect(json.sources[0].devices[0].latency_ns.qdisc).toEqual({
      n: eth.n,
      p50: Number(eth.p50),
      p90: Number(eth.p90),
      p99: Number(eth.p99),
      p99_9: Number(eth.p99_9),
      max: Number(eth.max),
    });
  });

  it("docs/summary.md's example is what summary prints for eth-npm.ns.txt", async () => {
    const readme = readFileSync(join(ROOT, 'docs/summary.md'), 'utf8');
    const rel = 'test/fixtures/traces/eth-npm.ns.txt';
    const printed = formatSummary([{ ...(await summaryOfTrace(join(ROOT, rel))), source: rel }], 'ms');
    expect(readme).toContain(`$ npx netdev-times summary ${rel}\n${printed}`);
  });

  it('CLI: summary OUTDIR prints the table; a trace with --json the JSON; an unknown --source is a usage error', async () => {
    const run = (args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> =>
      new Promise((resolve) =>
        execFile('node', [BIN, ...args], (e, stdout, stderr) =>
          resolve({ status: e ? Number(e.code) : 0, stdout, stderr }),
        ),
      );
    const [table, json] = await Promise.all([
      run(['summary', out, '--unit', 'us']),
      run(['summary', `${TRACES}eth-npm.ns.txt`, '--json']),
    ]);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^latencies in µs;/);
    expect(table.stdout).toContain('source udp-drop.ns.txt');
    expect(table.stdout).toMatch(
      /drops \d+ \(freed by kfree_skb, by reason\)\n {2}lo tx: SOCKET_RCVBUFF \d+, NO_SOCKET \d+/,
    );
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(
      JSON.parse(JSON.stringify(summaryJson([{ ...summary[0], source: `${TRACES}eth-npm.ns.txt` }]))),
    );
    let err: unknown;
    try {
      await summaryOfDataset(out, 'nope');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NetdevTimesError);
    expect(err).toMatchObject({ exitCode: 2 });
    expect(err).toHaveProperty('message', expect.stringMatching(/no source 'nope'/));
  });
});
