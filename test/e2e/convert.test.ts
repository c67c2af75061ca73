import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { convert } from '../../src/pipeline/convert.js';
import { tableSpec } from '../../src/tables/schema.js';
import { rows, types } from '../helpers/duck.js';
import { hyparquetColumns, hyparquetMetadata } from '../consumers/helpers.js';
import { BIN, ROOT, TRACES, sampleCounts } from '../helpers/fixtures.js';
import { readManifest, readPackageJson } from '../helpers/json.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ndt-'));

describe('convert eth-npm (real NIC trace) end to end', () => {
  let out: string;
  beforeAll(async () => {
    out = tmp();
    await convert({ input: `${TRACES}eth-npm.txt`, outDir: out, formats: ['parquet', 'arrow'] });
  });

  it('writes one row per event, per type as perf report --stats counts them', async () => {
    const expected = sampleCounts(`${TRACES}eth-npm.stats.log`);
    const got = await rows(`SELECT event, count(*)::INTEGER AS n FROM '${out}/events.parquet' GROUP BY 1`);
    expect(Object.fromEntries(got.map((r) => [r.event, r.n]))).toEqual(expected);
  });

  it('declares the schema types DuckDB reads', async () => {
    const t = await types(`SELECT * FROM '${out}/events.parquet'`);
    expect(t.time_ns).toBe('BIGINT');
    expect(t.skbaddr).toBe('UBIGINT');
    expect(t.napi).toBe('UBIGINT');
    expect(t.cpu).toBe('INTEGER');
    expect(t.callchain).toBe('VARCHAR[]');
    expect(Object.keys(t)).toEqual(tableSpec('events').columns.map((c) => c.name));
  });

  it('keeps exact 64-bit addresses and nanoseconds (compared with the text, field by field)', async () => {
    // "npm view left-p 14937 [001]  1520.844139: net:netif_receive_skb: dev=eth0 skbaddr=0xffff88812f183d00 len=64"
    const line =
      readFileSync(`${TRACES}eth-npm.txt`, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('skbaddr=0xffff88812f183d00 len=64')) + 1;
    const [r] = await rows(`SELECT * FROM '${out}/events.parquet' WHERE line = ${line}`);
    expect(r.event).toBe('net:netif_receive_skb');
    expect(r.comm).toBe('npm view left-p');
    expect(r.tid).toBe(14937);
    expect(r.pid).toBeNull();
    expect(r.cpu).toBe(1);
    expect(r.time_ns).toBe(1520844139000n);
    expect(r.skbaddr).toBe(0xffff88812f183d00n);
    expect(r.dev).toBe('eth0');
    expect(r.len).toBe(64);
    expect(r.payload).toBeNull();
    const hit = await rows(
      `SELECT count(*)::INTEGER AS n FROM '${out}/events.parquet' WHERE skbaddr = 18446612687155117312::UBIGINT`,
    );
    expect(hit[0].n).toBeGreaterThan(0);
  });

  it('types the fields of kfree_skb, napi_poll and the IRQ events', async () => {
    const k = await rows(
      `SELECT protocol, location, reason, rx_sk FROM '${out}/events.parquet' WHERE event = 'skb:kfree_skb' AND reason IS NOT NULL LIMIT 1`,
    );
    expect(k[0].protocol).toBeTypeOf('number');
    expect(String(k[0].location)).toMatch(/^[\w.]+\+0x[0-9a-f]+$/);
    expect(k[0].rx_sk).toBeTypeOf('bigint');
    const n = await rows(
      `SELECT dev, work, budget FROM '${out}/events.parquet' WHERE event = 'napi:napi_poll' AND dev = 'eth0' LIMIT 1`,
    );
    expect(n[0].budget).toBe(64);
    const irq = await rows(
      `SELECT irq, irq_name FROM '${out}/events.parquet' WHERE irq_name = 'virtio2-input.0' LIMIT 1`,
    );
    expect(irq[0].irq).toBe(38);
  });

  it('writes an Arrow IPC file apache-arrow reads back with the same rows', async () => {
    const t = tableFromIPC(readFileSync(`${out}/events.arrow`));
    expect(t.numRows).toBe(4842);
    const pq = await rows(`SELECT time_ns, skbaddr, comm, event FROM '${out}/events.parquet' ORDER BY line`);
    for (const i of [0, 1000, 2345, 4841]) {
      const row = t.get(i);
      expect(row?.time_ns).toBe(pq[i].time_ns);
      expect(row?.skbaddr ?? null).toBe(pq[i].skbaddr);
      expect(row?.comm).toBe(pq[i].comm);
      expect(row?.event).toBe(pq[i].event);
    }
  });

  it('names every file relative to the dataset folder: a dataset can be moved', () => {
    const m = readManifest(`${out}/manifest.json`);
    const paths = [...m.inputs.map((i) => i.path), ...m.tables.flatMap((t) => t.files.map((f) => f.path))];
    expect(paths.length).toBeGreaterThan(8);
    for (const p of paths) expect(isAbsolute(p), p).toBe(false);
    for (const t of m.tables) for (const f of t.files) expect(existsSync(join(out, f.path)), f.path).toBe(true);
    expect(existsSync(join(out, m.inputs[0].path))).toBe(true);
  });

  it('writes a manifest with inputs, line counts, events per type and tables', () => {
    const m = readManifest(`${out}/manifest.json`);
    expect(m.tool.name).toBe('netdev-times');
    expect(m.schema_versions.events).toBe(tableSpec('events').version);
    expect(m.inputs[0].bytes).toBe(readFileSync(`${TRACES}eth-npm.txt`).length);
    expect(m.inputs[0].lines).toEqual({
      lines: 4842,
      events: 4842,
      header: 0,
      callchain_frames: 0,
      blank: 0,
      lost: 0,
      rejected: 0,
    });
    expect(m.inputs[0].events_by_type).toEqual(sampleCounts(`${TRACES}eth-npm.stats.log`));
    expect(m.inputs[0].first_time_ns).toBe('1520292816000');
    expect(m.inputs[0].last_time_ns).toBe('1523824836000');
    expect(m.tables.find((t: { name: string }) => t.name === 'events')?.rows).toBe(4842);
  });
});

describe('every layout of the same recording gives the same events', () => {
  const layouts = ['mixed.ns.txt', 'mixed.txt.xz', 'mixed.tid.txt.xz', 'mixed.hdr.txt.xz'];
  const dirs: Record<string, string> = {};
  beforeAll(async () => {
    for (const l of layouts) {
      dirs[l] = tmp();
      await convert({ input: `${TRACES}${l}`, outDir: dirs[l] });
    }
  });

  it('agrees on every row (timestamps to the microsecond)', async () => {
    const q = (l: string): string =>
      `SELECT time_ns // 1000 AS us, cpu, tid, comm, event, dev, skbaddr, len, irq_name, vec, location, reason, payload FROM '${dirs[l]}/events.parquet' ORDER BY line`;
    const base = await rows(q(layouts[0]));
    expect(base.length).toBe(13284);
    for (const l of layouts.slice(1)) expect(await rows(q(l))).toEqual(base);
    const pids = await rows(
      `SELECT count(*)::INTEGER AS n FROM '${dirs['mixed.tid.txt.xz']}/events.parquet' WHERE pid IS NOT NULL`,
    );
    expect(pids[0].n).toBe(13284);
  });

  it('keeps unrelated events (sched_switch) with their raw payload', async () => {
    const r = await rows(
      `SELECT payload FROM '${dirs['mixed.ns.txt']}/events.parquet' WHERE event = 'sched:sched_switch' LIMIT 1`,
    );
    expect(String(r[0].payload)).toContain('prev_comm=');
  });
});

describe('callchains', () => {
  it('keeps the frames of each event in the callchain list column', async () => {
    const out = tmp();
    const { manifest } = await convert({ input: `${TRACES}callchain.txt.xz`, outDir: out });
    const lines = manifest.inputs[0].lines;
    expect(lines.rejected).toBe(0);
    expect(lines.lines).toBe(
      lines.events + lines.header + lines.callchain_frames + lines.blank + lines.lost + lines.rejected,
    );
    const r = await rows(
      `SELECT sum(len(callchain))::INTEGER AS frames, count(*)::INTEGER AS n FROM '${out}/events.parquet'`,
    );
    expect(r[0].frames).toBe(lines.callchain_frames);
    expect(r[0].n).toBe(6466);
    const first = await rows(`SELECT callchain FROM '${out}/events.parquet' WHERE line = 1`);
    const frames = (first[0].callchain as { items: string[] }).items;
    expect(frames[0]).toBe('ffffffff81360e5d raise_softirq+0x8d ([kernel.kallsyms])');
    expect(frames.length).toBe(11);
  });
});

describe('CLI', () => {
  it('reads stdin with -, prints a summary on stderr and exits 0', () => {
    const out = tmp();
    const r = spawnSync('node', [BIN, 'convert', '-', '-o', out, '--format', 'parquet,arrow'], {
      input: readFileSync(`${TRACES}eth-npm.ns.txt`),
    });
    expect(r.status).toBe(0);
    expect(r.stderr.toString()).toMatch(/4842 events, 0 rejected lines/);
    const m = readManifest(`${out}/manifest.json`);
    expect(m.inputs[0].path).toBe('<stdin>');
    expect(m.tables.map((t: { name: string }) => t.name)).toContain('events');
  });

  it('an option with no value after it is a usage error, one line, exit 2', () => {
    for (const args of [
      ['convert', `${TRACES}eth-npm.txt`, '-o'],
      ['report', `${TRACES}eth-npm.txt`, '--dev'],
    ]) {
      const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^netdev-times: --(output|dev) must be given a value \(see netdev-times --help\)\n$/);
    }
  });

  it('fails with a clear message and non-zero exit on a missing file or bad option', () => {
    const r = spawnSync('node', [BIN, 'convert', '/nonexistent.txt', '-o', tmp()]);
    expect(r.status).not.toBe(0);
    expect(r.stderr.toString()).toMatch(/nonexistent\.txt: cannot open/);
    expect(r.stderr.toString()).not.toMatch(/at .*\.js/);
    const f = spawnSync('node', [BIN, 'convert', `${TRACES}eth-npm.txt`, '-o', tmp(), '--format', 'csv']);
    expect(f.status).toBe(2);
    expect(f.stderr.toString()).toMatch(/unknown format 'csv'/);
  });

  it('prints --version and --help', () => {
    expect(execFileSync('node', [BIN, '--version']).toString().trim()).toBe(
      readPackageJson(`${ROOT}package.json`).version,
    );
    expect(execFileSync('node', [BIN, '--help']).toString()).toMatch(/convert <inputs\.\.>/);
  });
});

describe('NETDEV_TIMES_THREADS', () => {
  it('2 (Parquet encoded on a second thread) writes the same tables as the default one thread', async () => {
    const convertWith = (threads: string | undefined): string => {
      const out = tmp();
      const env = { ...process.env };
      if (threads === undefined) delete env.NETDEV_TIMES_THREADS;
      else env.NETDEV_TIMES_THREADS = threads;
      execFileSync(process.execPath, [BIN, 'convert', `${TRACES}eth-npm.txt`, '-o', out, '-q'], { env });
      return out;
    };
    const one = convertWith(undefined);
    const two = convertWith('2');
    // Same rows and the same key-value metadata; the order arrow-rs lists the metadata in may differ.
    const kv = (path: string): string[] =>
      (hyparquetMetadata(path).key_value_metadata ?? []).map((e) => `${e.key}=${e.value ?? ''}`).sort();
    for (const t of [
      'events',
      'rx_hunks',
      'rx_irqs',
      'rx_irq_events',
      'rx_napi_polls',
      'rx_packets',
      'tx_packets',
      'rejects',
    ]) {
      const a = join(one, `${t}.parquet`);
      const b = join(two, `${t}.parquet`);
      expect(await hyparquetColumns(b), t).toEqual(await hyparquetColumns(a));
      expect(kv(b), t).toEqual(kv(a));
    }
  });
});
