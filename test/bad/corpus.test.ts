/**
 * Every bad input of test/fixtures/bad through `convert` (the CLI's main(), in process): what it answers
 * (exit code, the exact message), what the dataset says about it, and never a stack trace.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LineAccounting, Manifest } from '../../src/dataset/manifest.js';
import { rows } from '../helpers/duck.js';
import { hasKeys, readJson } from '../helpers/json.js';
import { BAD, cleanError, listAll, runCli, tmp } from './helpers.js';

/** The manifest with the correlation counts these tests read. */
type CorpusManifest = Omit<Manifest, 'correlation'> & {
  correlation: { anomalies: Record<string, number>; rows: Record<string, number> };
};

interface Converted {
  status: number;
  stderr: string;
  out: string;
  /** Reading it when no manifest was written fails the test. */
  readonly manifest: CorpusManifest;
}

const done = new Map<string, Converted>();

/** Converts a corpus file (once per file and options: the whole-corpus test reuses the results). */
async function convert(file: string, ...extra: string[]): Promise<Converted> {
  const key = [file, ...extra].join(' ');
  const known = done.get(key);
  if (known) return known;
  const c = await convertNow(file, extra);
  done.set(key, c);
  return c;
}

async function convertNow(file: string, extra: string[]): Promise<Converted> {
  const out = join(tmp(), 'out');
  const r = await runCli(['convert', `${BAD}${file}`, '-o', out, ...extra]);
  const m = join(out, 'manifest.json');
  const manifest = existsSync(m) ? readJson(m, hasKeys<CorpusManifest>('inputs', 'tables', 'correlation')) : null;
  return {
    status: r.status ?? -1,
    stderr: r.stderr,
    out,
    get manifest(): CorpusManifest {
      if (manifest === null) throw new Error(`${file}: no manifest.json written`);
      return manifest;
    },
  };
}

const identity = (l: LineAccounting): boolean =>
  l.lines === l.events + l.header + l.callchain_frames + l.blank + l.lost + l.rejected;

describe('files that are not perf output: exit 1, the file named with what it looks like, nothing written', () => {
  const cases: [string, string, string][] = [
    ['random.bin', 'no perf event line in 17 lines (17 rejected)', 'binary data, not text'],
    ['not-perf/program.elf', 'no perf event line in 1 lines (1 rejected)', 'an ELF executable or library, not text'],
    [
      'not-perf/capture.pcap',
      'no perf event line in 2 lines (2 rejected)',
      "a packet capture (pcap/pcapng, as tcpdump writes), not 'perf script' output",
    ],
    [
      'not-perf/ftrace.txt',
      'no perf event line in 11 lines (3 rejected)',
      'an ftrace text dump (/sys/kernel/tracing/trace), not perf script output',
    ],
    [
      'not-perf/trace-cmd.txt',
      'no perf event line in 3 lines (3 rejected)',
      "a 'trace-cmd report' text, not 'perf script' output",
    ],
    [
      'not-perf/report.txt',
      'no perf event line in 12 lines (11 rejected)',
      "a netdev-times report (the output of the analysis), not 'perf script' output",
    ],
    ['not-perf/trace.json', 'no perf event line in 1 lines (1 rejected)', 'JSON'],
    ['not-perf/trace.json.gz', 'no perf event line in 1 lines (1 rejected)', 'JSON'],
    ['not-perf/trace.csv', 'no perf event line in 3 lines (3 rejected)', 'CSV'],
    ['not-perf/page.html', 'no perf event line in 2 lines (2 rejected)', 'XML/HTML'],
    [
      'not-perf/notes.txt',
      'no perf event line in 2 lines (2 rejected)',
      "text whose first line is 'Please find attached the trace you asked for.'",
    ],
  ];
  for (const [file, what, looks] of cases) {
    it(file, async () => {
      const c = await convert(file);
      expect(c.status).toBe(1);
      expect(c.stderr).toBe(`netdev-times: ${BAD}${file}: ${what}; it looks like ${looks}\n`);
      expect(existsSync(c.out)).toBe(false);
    });
  }

  it('a text of several read chunks is named by its own first line, not by bytes read after it', async () => {
    // 2.5 MiB: the input's read buffers take turns, so a first chunk kept without a copy would show the third.
    const path = join(tmp(), 'long-notes.txt');
    const later = 'Later paragraphs of the letter.\n'.repeat(90000);
    writeFileSync(path, `Dear team, the trace follows.\n${later}`);
    const out = join(tmp(), 'out');
    const r = await runCli(['convert', path, '-o', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /no perf event line in 90001 lines \(90001 rejected\); it looks like text whose first line is 'Dear team, the trace follows\.'\n$/,
    );
  });

  it('an xz-compressed perf.data cut short: decompressed, read natively, one line naming the byte offset, exit 1', async () => {
    const c = await convert('not-perf/perf-data.xz');
    expect(c.status).toBe(1);
    expect(c.stderr).toMatch(/^netdev-times: .*perf-data\.xz: perf\.data: .*\(at byte offset \d+\)\n$/);
    expect(existsSync(c.out)).toBe(false);
  });

  it('a corrupt perf.data (right magic, garbage after it): one line naming the byte offset, exit 1', async () => {
    const c = await convert('not-perf/corrupt.data');
    expect(c.status).toBe(1);
    expect(c.stderr).toMatch(/^netdev-times: .*corrupt\.data: perf\.data: .*\(at byte offset \d+\)\n$/);
    expect(cleanError(c.stderr)).toBe(true);
    expect(existsSync(c.out)).toBe(false);
  });
});

describe('report on the same files', () => {
  it('says the same as convert (exit 1, what it looks like); an empty file is an empty report', async () => {
    const bad = await runCli(['report', `${BAD}not-perf/report.txt`]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(
      `netdev-times: ${BAD}not-perf/report.txt: no perf event line in 12 lines (11 rejected); it looks like a netdev-times report (the output of the analysis), not 'perf script' output\n`,
    );
    expect(bad.stdout).toBe('');
    const empty = await runCli(['report', `${BAD}empty.txt`]);
    expect([empty.status, empty.stderr]).toEqual([0, '']);
  });
});

describe('bad inputs that still convert (exit 0): counted, never a stack trace', () => {
  it('an empty file: valid empty tables', async () => {
    const c = await convert('empty.txt');
    expect(c.status).toBe(0);
    expect(c.manifest.inputs[0].lines).toEqual({
      lines: 0,
      events: 0,
      header: 0,
      callchain_frames: 0,
      blank: 0,
      lost: 0,
      rejected: 0,
    });
    expect(c.manifest.tables.every((t: { rows: number }) => t.rows === 0)).toBe(true);
    expect(c.manifest.tables.map((t: { name: string }) => t.name).sort()).toEqual([
      'events',
      'lost',
      'rejects',
      'rx_hunks',
      'rx_irq_events',
      'rx_irqs',
      'rx_napi_polls',
      'rx_packets',
      'tx_packets',
    ]);
    expect(await rows(`SELECT count(*)::INTEGER AS n FROM '${c.out}/events.parquet'`)).toEqual([{ n: 0 }]);
  });

  it('one bad line among good ones: converted, the line in the rejects table, listed as file:line: reason', async () => {
    const c = await convert('one-bad-line.txt');
    expect(c.status).toBe(0);
    expect(c.manifest.inputs[0].lines).toEqual({
      lines: 21,
      events: 20,
      header: 0,
      callchain_frames: 0,
      blank: 0,
      lost: 0,
      rejected: 1,
    });
    expect(c.manifest.inputs[0].rejected_by_reason).toEqual({ 'no [cpu] field after a thread id': 1 });
    expect(c.stderr).toContain(
      `netdev-times: 1 rejected lines (per reason in the manifest), first ones:\n  ${BAD}one-bad-line.txt:10: no [cpu] field after a thread id\n`,
    );
    expect(await rows(`SELECT input, line, reason, text FROM '${c.out}/rejects.parquet'`)).toEqual([
      {
        input: `${BAD}one-bad-line.txt`,
        line: 10,
        reason: 'no [cpu] field after a thread id',
        text: 'this line was pasted into the trace by mistake',
      },
    ]);
  });

  it('--strict: the same file fails on that line (exit 1, file:line: reason) and writes nothing', async () => {
    const c = await convert('one-bad-line.txt', '--strict');
    expect(c.status).toBe(1);
    expect(c.stderr).toBe(`netdev-times: ${BAD}one-bad-line.txt:10: no [cpu] field after a thread id\n`);
    expect(existsSync(c.out)).toBe(false);
  });

  it('a file cut in the middle of its last line: decoded as it is, flagged in the manifest and on stderr', async () => {
    const c = await convert('cut-mid-line.txt');
    expect(c.status).toBe(0);
    expect(c.manifest.inputs[0].unterminated_last_line).toBe(true);
    expect(c.stderr).toContain(
      `netdev-times: ${BAD}cut-mid-line.txt:13: the last line has no newline (was the file cut short?)\n`,
    );
    // The cut address is what was printed: 0xffff. The flag is how a reader knows to distrust it.
    expect(await rows(`SELECT skbaddr FROM '${c.out}/events.parquet' WHERE line = 13`)).toEqual([{ skbaddr: 0xffffn }]);
  });

  it('CRLF line ends: the same rows as LF', async () => {
    const c = await convert('crlf.txt');
    expect(c.status).toBe(0);
    expect(c.manifest.inputs[0].lines).toMatchObject({ lines: 40, events: 40, rejected: 0 });
    const lf = join(tmp(), 'lf.txt');
    writeFileSync(lf, readFileSync(`${BAD}crlf.txt`, 'latin1').replaceAll('\r\n', '\n'), 'latin1');
    const lfOut = join(tmp(), 'lf');
    expect((await runCli(['convert', lf, '-o', lfOut, '-q'])).status).toBe(0);
    const q = (dir: string): string => `SELECT * FROM '${dir}/events.parquet' ORDER BY line`;
    const got = await rows(q(c.out));
    expect(got).toEqual(await rows(q(lfOut)));
    expect(got.some((r) => Object.values(r).some((v) => typeof v === 'string' && v.includes('\r')))).toBe(false);
  });

  it('unknown tracepoint formats: kept with their raw payload, counted as unparsed, no line rejected', async () => {
    const c = await convert('unknown-formats.txt');
    expect(c.status).toBe(0);
    expect(c.manifest.inputs[0].lines.rejected).toBe(0);
    expect(c.manifest.inputs[0].unparsed_by_type).toEqual({
      'irq:irq_handler_exit': 1,
      'irq:softirq_entry': 1,
      'napi:napi_poll': 1,
      'net:netif_receive_skb': 2,
      'net:net_dev_queue': 1,
    });
    const kept = await rows(
      `SELECT line, payload FROM '${c.out}/events.parquet' WHERE payload IS NOT NULL ORDER BY line`,
    );
    // Every event with an unknown field or event name keeps its text; the typed columns still hold what parsed.
    expect(kept.map((r) => r.line)).toEqual([5, 6, 7, 8, 9, 10, 12, 13, 15, 16, 17, 18, 19]);
    // `reason: %s` is the last field and runs to the end of the line: a field after it lands in the reason.
    expect(await rows(`SELECT reason FROM '${c.out}/events.parquet' WHERE line = 14`)).toEqual([
      { reason: 'NO_SOCKET newfield=1' },
    ]);
    const [r7] = await rows(`SELECT skbaddr, len, payload FROM '${c.out}/events.parquet' WHERE line = 7`);
    expect(r7).toEqual({
      skbaddr: 0xffff8803f1a2e700n,
      len: 1500,
      payload: 'dev=eth0 skbaddr=0xffff8803f1a2e700 len=1500 gso_type=0x1 hash=0xdeadbeef',
    });
  });

  it('impossible values: len=-1, 20-digit addresses, huge numbers are unparsed payloads; impossible header fields are rejected lines', async () => {
    const c = await convert('impossible-values.txt');
    expect(c.status).toBe(0);
    const i = c.manifest.inputs[0];
    expect(i.lines).toEqual({ lines: 15, events: 10, header: 0, callchain_frames: 0, blank: 0, lost: 0, rejected: 5 });
    expect(i.unparsed_by_type).toEqual({
      'net:netif_receive_skb': 3,
      'net:net_dev_xmit': 1,
      'irq:softirq_raise': 1,
      'skb:kfree_skb': 1,
      'napi:napi_poll': 1,
    });
    expect(i.rejected_by_reason).toEqual({
      'no [cpu] field after a thread id': 2,
      'timestamp beyond the int64 nanosecond range': 2,
      'malformed timestamp': 1,
    });
    const r = await rows(
      `SELECT line, skbaddr, len, payload FROM '${c.out}/events.parquet' WHERE line <= 3 ORDER BY line`,
    );
    expect(r.map((x) => [x.line, x.skbaddr, x.len])).toEqual([
      [1, 0xffff8803f1a2e700n, null],
      [2, null, 60],
      [3, null, 60],
    ]);
    expect(r[1].payload).toBe('dev=eth0 skbaddr=0x1234567890123456789 len=60');
    // The largest time perf can print in int64 nanoseconds is kept exactly.
    expect(await rows(`SELECT time_ns FROM '${c.out}/events.parquet' WHERE line = 14`)).toEqual([
      { time_ns: 9223372036854775807n },
    ]);
    expect(c.manifest.correlation.anomalies.cpu_out_of_range).toBe(1);
  });

  it('timestamps going backwards: counted, and correlated in input order (negative latencies stay visible)', async () => {
    const c = await convert('backwards-time.txt');
    expect(c.status).toBe(0);
    expect(c.manifest.inputs[0].out_of_order).toBe(4);
    expect(c.manifest.inputs[0].out_of_order).toBe(4);
    expect(await rows(`SELECT irq_to_receive_ns, receive_to_handled_ns FROM '${c.out}/rx_packets.parquet'`)).toEqual([
      { irq_to_receive_ns: -104000n, receive_to_handled_ns: -302009000n },
    ]);
    expect(await rows(`SELECT status, qdisc_ns, device_ns FROM '${c.out}/tx_packets.parquet'`)).toEqual([
      { status: 'complete', qdisc_ns: -1000n, device_ns: -1000n },
    ]);
  });

  it('an IRQ exit with no entry (and one that matches nothing): counted anomalies', async () => {
    const c = await convert('irq-exit-no-entry.txt');
    expect(c.status).toBe(0);
    expect(c.manifest.correlation.anomalies).toMatchObject({
      irq_exit_without_list: 2,
      irq_exit_mismatch: 1,
      softirqs_without_irq: 1,
    });
    expect(c.manifest.correlation.rows.rx_hunks).toBe(0);
  });

  it('an skb address reused before it was freed: matched most recent first, like the reference', async () => {
    const c = await convert('skb-reused.txt');
    expect(c.status).toBe(0);
    expect(
      await rows(`SELECT report_order, len, status FROM '${c.out}/tx_packets.parquet' ORDER BY report_order`),
    ).toEqual([
      { report_order: 0, len: 200, status: 'complete' },
      { report_order: 1, len: 100, status: 'complete' },
    ]);
    expect(await rows(`SELECT len, handled_ns FROM '${c.out}/rx_packets.parquet' ORDER BY len`)).toEqual([
      { len: 60, handled_ns: 9146302501000n },
      { len: 61, handled_ns: 9146302500000n },
    ]);
  });

  it('events from CPUs never seen before (191) are correlated; CPU numbers beyond what Linux has are not', async () => {
    const c = await convert('new-cpu.txt');
    expect(c.status).toBe(0);
    expect(c.manifest.inputs[0].rejected_by_reason).toEqual({ 'no [cpu] field after a thread id': 1 });
    expect(await rows(`SELECT cpu FROM '${c.out}/rx_hunks.parquet' ORDER BY hunk_id`)).toEqual([
      { cpu: 0 },
      { cpu: 191 },
    ]);
    expect(c.manifest.correlation.anomalies.cpu_out_of_range).toBe(2);
    expect(await rows(`SELECT count(*)::INTEGER AS n FROM '${c.out}/events.parquet' WHERE cpu = 2147483647`)).toEqual([
      { n: 6 },
    ]);
  });
});

describe('the whole corpus', () => {
  it('every file gives a clean answer, and a dataset whose manifest accounts for every line', async () => {
    const files = listAll(BAD).filter((p) => !p.endsWith('/') && /\.\w+$/.test(p) && !p.endsWith('.md'));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const c = await convert(f);
      expect(cleanError(c.stderr), f).toBe(true);
      expect([0, 1, 2], f).toContain(c.status);
      if (c.status !== 0) continue;
      expect(identity(c.manifest.inputs[0].lines), f).toBe(true);
      const rejects = c.manifest.tables.find((t: { name: string }) => t.name === 'rejects');
      expect(rejects?.rows, f).toBe(c.manifest.inputs[0].lines.rejected);
    }
  });
});
