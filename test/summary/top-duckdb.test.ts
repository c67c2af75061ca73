/**
 * summary --top and --by on a converted fixture agree with DuckDB on the same Parquet files: the N slowest
 * per device and direction (a window query with the documented order: total descending, time, skbaddr, row),
 * and counts and quantile_disc (p99.9 too) grouped by CPU and by command. The trace itself gives the same
 * answer as its dataset, and the CLI's --json carries it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { convert } from '../../src/pipeline/convert.js';
import { summaryOfDataset, summaryOfTrace } from '../../src/pipeline/summary-input.js';
import { LATENCIES, PERCENTILES, ROW_COLUMNS, type SourceSummary } from '../../src/summary/summary.js';
import { rows } from '../helpers/duck.js';
import { TRACES } from '../helpers/fixtures.js';

// Microsecond text: many packets share a total latency, so the tie-breaks decide ranks (checked below).
const TRACE = `${TRACES}http-lo.txt.xz`;
const N = 8;

/** The same ranking in SQL, from the documented definition (TOTAL_DEFINITION, docs/summary.md). */
const TOTAL_SQL = {
  tx: 'qdisc_ns + device_ns',
  rx: 'coalesce(irq_to_receive_ns, 0) + receive_to_handled_ns',
} as const;
const HAS_TOTAL = {
  tx: 'qdisc_ns IS NOT NULL AND device_ns IS NOT NULL',
  rx: 'receive_to_handled_ns IS NOT NULL',
} as const;
const NOT_FLAGGED = "time_backwards = 0 AND match IS DISTINCT FROM 'address_reuse_suspect'";

async function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => out.push(String(c)) > 0);
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => err.push(String(c)) > 0);
  try {
    const status = await main(args);
    return { status, stdout: out.join(''), stderr: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('summary --top and --by against DuckDB on the same Parquet files', () => {
  let out: string;
  let summary: SourceSummary;
  const table = (dir: 'tx' | 'rx'): string => `read_parquet('${out}/${dir}_packets.parquet', file_row_number = true)`;

  beforeAll(async () => {
    out = join(mkdtempSync(join(tmpdir(), 'ndt-top-')), 'out');
    await convert({ input: TRACE, outDir: out });
    [summary] = await summaryOfDataset(out, undefined, { top: N });
  });

  it(`the ${N} slowest per device and direction are DuckDB's, rank for rank, with ties on the total`, async () => {
    let compared = 0;
    for (const dir of ['tx', 'rx'] as const) {
      const c = ROW_COLUMNS[dir];
      const names = LATENCIES[dir].map((l) => `${l.column} AS ${l.name}`).join(', ');
      const want = await rows(`
        SELECT * FROM (
          SELECT dev, ${c.time} AS time_ns, skbaddr, ${TOTAL_SQL[dir]} AS total_ns, ${c.cpu} AS cpu, ${c.pid} AS pid,
                 ${c.comm} AS comm, len, fate, fate_why, lost_near, ${names},
                 row_number() OVER (PARTITION BY dev ORDER BY ${TOTAL_SQL[dir]} DESC, ${c.time}, skbaddr, file_row_number) AS rank
          FROM ${table(dir)} WHERE ${HAS_TOTAL[dir]} AND ${NOT_FLAGGED})
        WHERE rank <= ${N} ORDER BY dev, rank`);
      const got = summary.slices
        .filter((d) => d.direction === dir)
        .flatMap((d) =>
          (d.top?.packets ?? []).map((p, k) => ({
            dev: d.key,
            time_ns: p.time_ns,
            skbaddr: p.skbaddr,
            total_ns: p.total_ns,
            cpu: p.cpu,
            pid: p.pid,
            comm: p.comm,
            len: p.len,
            fate: p.fate,
            fate_why: p.fate_why,
            lost_near: p.lost_near ? 1 : 0,
            ...p.latency,
            rank: BigInt(k + 1),
          })),
        );
      expect(got, dir).toEqual(want);
      compared += got.length;
      // How many each slice ranked and left out: the same WHERE clauses, counted.
      const counts = await rows(`
        SELECT dev, count(*) FILTER (WHERE ${NOT_FLAGGED})::INTEGER AS ranked,
               count(*) FILTER (WHERE NOT (${NOT_FLAGGED}))::INTEGER AS flagged_out
        FROM ${table(dir)} WHERE ${HAS_TOTAL[dir]} GROUP BY dev ORDER BY dev`);
      expect(
        summary.slices
          .filter((d) => d.direction === dir && d.top && d.top.ranked + d.top.flagged_out > 0)
          .map((d) => ({ dev: d.key, ranked: d.top?.ranked, flagged_out: d.top?.flagged_out })),
      ).toEqual(counts);
    }
    expect(compared).toBeGreaterThanOrEqual(2 * N);
    // The fixture does exercise the tie-breaks: among the ranked, some share a total with another shown.
    const ties = await rows(`
      SELECT count(*)::INTEGER AS n FROM (
        SELECT dev, ${TOTAL_SQL.tx} AS total FROM ${table('tx')} WHERE ${HAS_TOTAL.tx} AND ${NOT_FLAGGED}
        GROUP BY ALL HAVING count(*) > 1)`);
    expect(Number(ties[0].n)).toBeGreaterThan(0);
  });

  it('the trace correlated in memory ranks as its dataset does', async () => {
    const fromTrace = await summaryOfTrace(TRACE, { top: N });
    expect(fromTrace.slices).toEqual(summary.slices);
  });

  for (const by of ['cpu', 'comm'] as const) {
    it(`--by ${by}: packets, n and p50/p90/p99/p99.9/max per slice are DuckDB's count and quantile_disc`, async () => {
      const [s] = await summaryOfDataset(out, undefined, { by });
      let compared = 0;
      for (const dir of ['tx', 'rx'] as const) {
        const key = ROW_COLUMNS[dir][by];
        const packets = await rows(
          `SELECT ${key} AS k, count(*)::INTEGER AS n FROM ${table(dir)} GROUP BY ALL ORDER BY k NULLS LAST`,
        );
        expect(
          s.slices.filter((d) => d.direction === dir).map((d) => ({ k: d.key, n: d.packets })),
          `${by} ${dir}`,
        ).toEqual(packets);
        for (const { name, column, matched } of LATENCIES[dir]) {
          const keep = `time_backwards = 0${matched ? " AND match IS DISTINCT FROM 'address_reuse_suspect'" : ''}`;
          const col = `(CASE WHEN ${keep} THEN ${column} END)`;
          const q = PERCENTILES.map((p) =>
            p.name === 'max' ? `max(${col}) AS max` : `quantile_disc(${col}, ${p.permille / 1000}) AS ${p.name}`,
          ).join(', ');
          const want = await rows(
            `SELECT ${key} AS k, count(${col})::INTEGER AS n, ${q} FROM ${table(dir)} GROUP BY ALL ORDER BY k NULLS LAST`,
          );
          const got = s.slices.filter((d) => d.direction === dir).map((d) => ({ k: d.key, ...d.latency[name] }));
          expect(got, `${by} ${dir} ${name}`).toEqual(want);
          compared += got.filter((g) => g.n > 0).length;
        }
      }
      expect(compared).toBeGreaterThanOrEqual(3);
    });
  }

  it('CLI: --top N --json from the dataset and from the trace carry the same top, with the definition', async () => {
    const [fromDir, fromTrace] = [
      await run(['summary', out, '--top', String(N), '--json']),
      await run(['summary', TRACE, '--top', String(N), '--json', '-q']),
    ];
    expect(fromDir.status, fromDir.stderr).toBe(0);
    expect(fromTrace.status, fromTrace.stderr).toBe(0);
    const a: unknown = JSON.parse(fromDir.stdout);
    const b: unknown = JSON.parse(fromTrace.stdout);
    expect(a).toMatchObject({ version: '1.2.0', by: 'dev', top: { n: N } });
    expect(fromDir.stdout).toMatch(/"order": "total = tx: qdisc \+ device .*ties by earlier time, then lower skbaddr/);
    const strip = (j: unknown): unknown =>
      JSON.parse(JSON.stringify(j).replaceAll(JSON.stringify(out), '""').replaceAll(JSON.stringify(TRACE), '""'));
    expect(strip(b)).toEqual(strip(a));
    const text = await run(['summary', out, '--top', '2', '--by', 'cpu']);
    expect(text.stdout).toContain(
      'slowest packets per cpu and direction, by total latency (flagged rows are not ranked)',
    );
    expect((await run(['summary', out, '--by', 'nope'])).status).toBe(2);
    expect((await run(['summary', out, '--top', '0'])).status).toBe(2);
  });
});
