/**
 * The tables are the truth and the report one view of them: SQL over the Parquet tables (DuckDB) gives
 * the report's counts: transmit lines, hunks, netif_receive_skb lines per hunk, the debug block.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { correlateFile } from '../../src/pipeline/correlate-file.js';
import type { NamedChunk } from '../../src/tables/named-chunk.js';
import { rows } from '../helpers/duck.js';
import { debugNumbers, goldens, input, receiveLinesPerHunk, SMALL, writeDataset } from './golden-helpers.js';

const golden = (w: string, name: string): string => goldens(w).find(([n]) => n === name)?.[2] ?? '';
const num = (v: unknown): number => Number(v);

describe.each(SMALL)('%s: SQL over the tables agrees with the report', (w) => {
  let dir: string;
  const t = (table: string): string => `'${dir}/${table}.parquet'`;
  beforeAll(async () => {
    const chunks: NamedChunk[] = [];
    await correlateFile(input(w, 'ns'), (table, chunk) => chunks.push({ table, chunk }));
    dir = await writeDataset(chunks, ['parquet']);
  });

  it('complete tx rows are the transmit lines, report_order numbers them 0..n-1', async () => {
    const lines = golden(w, 'tx').split('\n').length - 2;
    const [r] =
      await rows(`SELECT count(*) FILTER (WHERE status = 'complete') AS complete, count(report_order) AS ordered,
      count(DISTINCT report_order) AS distinct_orders, max(report_order) AS last FROM ${t('tx_packets')}`);
    expect([num(r.complete), num(r.ordered), num(r.distinct_orders)]).toEqual([lines, lines, lines]);
    if (lines > 0) expect(num(r.last)).toBe(lines - 1);
  });

  it('rx_hunks are the printed hunks; rx_packets per hunk are its netif_receive_skb lines', async () => {
    const perHunk = receiveLinesPerHunk(golden(w, 'rx'));
    const hunks = await rows(`SELECT h.hunk_id, h.packet_count, count(p.hunk_id) AS packets FROM ${t('rx_hunks')} h
      LEFT JOIN ${t('rx_packets')} p USING (hunk_id) GROUP BY 1, 2 ORDER BY 1`);
    expect(hunks.map((r) => num(r.packets))).toEqual(perHunk);
    expect(hunks.map((r) => num(r.packet_count))).toEqual(perHunk);
    expect(hunks.map((r) => num(r.hunk_id))).toEqual(perHunk.map((_, i) => i));
  });

  it('the debug block is what the tables say is left over or evicted', async () => {
    const [tx] = await rows(`SELECT
      count(*) FILTER (WHERE evicted = 0 AND free_ns IS NULL AND xmit_ns IS NULL) AS qr,
      count(*) FILTER (WHERE evicted = 1 AND xmit_ns IS NULL) AS qo,
      count(*) FILTER (WHERE evicted = 0 AND free_ns IS NULL AND xmit_ns IS NOT NULL) AS xr,
      count(*) FILTER (WHERE evicted = 1 AND xmit_ns IS NOT NULL) AS xo FROM ${t('tx_packets')}`);
    const [rx] = await rows(`SELECT count(*) FILTER (WHERE evicted = 0 AND handled_by IS NULL) AS rr,
      count(*) FILTER (WHERE evicted = 1) AS ro FROM ${t('rx_packets')}`);
    expect({
      txQueueRemain: num(tx.qr),
      txQueueOverflow: num(tx.qo),
      txXmitRemain: num(tx.xr),
      txXmitOverflow: num(tx.xo),
      rxRemain: num(rx.rr),
      rxOverflow: num(rx.ro),
    }).toEqual(debugNumbers(golden(w, 'debug')));
  });

  it('latencies are the differences of the times they join', async () => {
    const [r] = await rows(`SELECT
      count(*) FILTER (WHERE qdisc_ns IS DISTINCT FROM xmit_ns - queue_ns) AS bad_qdisc,
      count(*) FILTER (WHERE device_ns IS DISTINCT FROM free_ns - xmit_ns) AS bad_device FROM ${t('tx_packets')}`);
    expect([num(r.bad_qdisc), num(r.bad_device)]).toEqual([0, 0]);
    const [p] =
      await rows(`SELECT count(*) FILTER (WHERE p.irq_to_receive_ns IS DISTINCT FROM p.time_ns - h.base_ns) AS bad,
      count(*) FILTER (WHERE p.receive_to_handled_ns IS DISTINCT FROM p.handled_ns - p.time_ns) AS bad_handled
      FROM ${t('rx_packets')} p LEFT JOIN ${t('rx_hunks')} h USING (hunk_id)`);
    expect([num(p.bad), num(p.bad_handled)]).toEqual([0, 0]);
  });

  it('events per hunk: napi polls and packets share one dense event_index sequence', async () => {
    const [r] = await rows(`WITH ev AS (SELECT hunk_id, event_index FROM ${t('rx_napi_polls')}
      UNION ALL SELECT hunk_id, event_index FROM ${t('rx_packets')} WHERE hunk_id IS NOT NULL)
      SELECT count(*) FILTER (WHERE n <> napi_poll_count + packet_count OR top <> n - 1) AS bad FROM
      (SELECT h.hunk_id, h.napi_poll_count, h.packet_count, count(ev.hunk_id) AS n, coalesce(max(ev.event_index), -1) AS top
       FROM ${t('rx_hunks')} h LEFT JOIN ev USING (hunk_id) GROUP BY 1, 2, 3)`);
    expect(num(r.bad)).toBe(0);
  });
});
