/**
 * Events the kernel lost (PERF_RECORD_LOST) are never silent: from `perf script --show-lost-events` text (a real
 * lossy recording's first 18,800 lines: three LOST records, 37 events) they reach the `lost` table, the manifest,
 * the summary and a warning beside the report, which itself stays the reference's byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TraceDecoder } from '../../src/decode/text/decoder.js';
import { BIN, TRACES } from '../helpers/fixtures.js';
import { rows } from '../helpers/duck.js';

const TRACE = `${TRACES}lost-head.show-lost.ns.txt.xz`;
const dir = mkdtempSync(join(tmpdir(), 'ndt-lost-'));
const cli = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('lost events', () => {
  it('the text decoder reads PERF_RECORD_LOST lines as lost records with their CPU and exact time, not events', () => {
    const text = [
      '         python3 30878/30878 [000] 21567.215878176: PERF_RECORD_LOST lost 31',
      '         python3 30878/30878 [001] 21567.321887091: irq:softirq_raise: vec=3 [action=NET_RX]',
      '         python3 30878/30878 [001] 21567.321887092: PERF_RECORD_LOST lost 3',
      '         python3 30878/30878 [001] 21567.321887093: PERF_RECORD_LOST lost many',
      '',
    ].join('\n');
    const d = new TraceDecoder(() => undefined);
    d.push(new TextEncoder().encode(text));
    d.end();
    expect(d.counts).toMatchObject({ lines: 4, events: 1, lost: 2, rejected: 1 });
    expect(d.lost.cpu).toEqual([0, 1]);
    expect(d.lost.timeNs).toEqual([21567215878176n, 21567321887092n]);
    expect(d.lost.count).toEqual([31, 3]);
    expect(d.lost.total).toBe(34);
  });

  it('convert: a lost table, lost_events in the manifest (per input and in all), lines accounted', async () => {
    const out = join(dir, 'out');
    expect(cli(['convert', TRACE, '-o', out, '-q']).status).toBe(0);
    const m: unknown = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({
      lost_events: 37,
      inputs: [{ lost_events: 37, lost_records: 3, lines: { lines: 18800, events: 18797, lost: 3, rejected: 0 } }],
    });
    expect(await rows(`SELECT cpu, time_ns, count FROM '${out}/lost.parquet' ORDER BY time_ns`)).toEqual([
      { cpu: 0, time_ns: 21567215878176n, count: 31n },
      { cpu: 1, time_ns: 21567321887091n, count: 3n },
      { cpu: 1, time_ns: 21567333477204n, count: 3n },
    ]);
  });

  it('report: stdout is the report alone, the warning goes to stderr, from the trace and from its dataset', () => {
    const fromTrace = cli(['report', TRACE]);
    expect(fromTrace.status).toBe(0);
    expect(fromTrace.stderr).toBe(
      'netdev-times: warning: 37 events lost by the kernel (PERF_RECORD_LOST): packets near them may be incomplete\n',
    );
    expect(fromTrace.stdout).not.toContain('lost');
    const out = join(dir, 'for-report');
    expect(cli(['convert', TRACE, '-o', out, '-q']).status).toBe(0);
    const fromDataset = cli(['report', out]);
    expect(fromDataset.stdout).toBe(fromTrace.stdout);
    expect(fromDataset.stderr).toBe(fromTrace.stderr);
  });

  it('summary: says how many events were lost, in text and --json', () => {
    const text = cli(['summary', TRACE]);
    expect(text.stdout).toContain('warning: 37 events lost by the kernel (PERF_RECORD_LOST)');
    const json: unknown = JSON.parse(cli(['summary', TRACE, '--json']).stdout);
    expect(json).toMatchObject({ sources: [{ lost_events: 37 }] });
  });

  it('a trace with none: lost_events 0, an empty lost table, no warning', () => {
    const out = join(dir, 'none');
    expect(cli(['convert', `${TRACES}eth-npm.ns.txt`, '-o', out, '-q']).status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toMatchObject({ lost_events: 0 });
    expect(cli(['report', `${TRACES}eth-npm.ns.txt`]).stderr).toBe('');
  });
});
