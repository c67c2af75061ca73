/**
 * perf.data through every command, read natively with no perf on PATH: reports equal the reference analyser's
 * byte for byte, the events table equals the one converted from perf's own text of the recording column by
 * column, stdin (pipe mode and file mode) works, and what is broken is said in one line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, TRACES } from '../helpers/fixtures.js';
import { rows } from '../helpers/duck.js';

const PERF_DATA = `${ROOT}test/fixtures/perf-data/`;
const dir = mkdtempSync(join(tmpdir(), 'ndt-perf-data-'));

/** A PATH with node and xz (the .xz fixtures) and nothing else: no perf anywhere. */
const noPerf = join(dir, 'bin');
mkdirSync(noPerf);
symlinkSync(process.execPath, join(noPerf, 'node'));
const xz = spawnSync('sh', ['-c', 'command -v xz'], { encoding: 'utf8' }).stdout.trim();
if (xz !== '') symlinkSync(xz, join(noPerf, 'xz'));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
function cli(args: string[], input?: Buffer): Run {
  const r = spawnSync(join(noPerf, 'node'), [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PATH: noPerf },
    input,
    maxBuffer: 1 << 28,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A recording's path, decompressed (with the system's xz) to the scratch folder when committed as .xz. */
function recording(name: string): string {
  for (const d of [TRACES, PERF_DATA]) {
    if (existsSync(`${d}${name}.data`)) return `${d}${name}.data`;
    if (existsSync(`${d}${name}.data.xz`)) {
      const out = join(dir, `${name}.data`);
      if (!existsSync(out))
        writeFileSync(out, spawnSync('xz', ['-dc', `${d}${name}.data.xz`], { maxBuffer: 1 << 30 }).stdout);
      return out;
    }
  }
  throw new Error(`no recording ${name}`);
}

const WORKLOADS = ['eth-npm', 'http-lo', 'mixed', 'udp-drop', 'callchain', 'tcp-bulk'];

describe('report of perf.data, no perf installed', () => {
  it.each(WORKLOADS)('%s: byte-identical to the reference analyser', (w) => {
    const r = cli(['report', recording(w)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout === readFileSync(`${TRACES}${w}.report.txt`, 'utf8')).toBe(true);
  });

  it.each(['tx', 'rx', 'debug'])('udp-drop %s: byte-identical', (word) => {
    expect(cli(['report', recording('udp-drop'), word]).stdout).toBe(
      readFileSync(`${TRACES}udp-drop.${word}.txt`, 'utf8'),
    );
  });

  it('eth-npm dev=virtio2: byte-identical', () => {
    expect(cli(['report', recording('eth-npm'), 'dev=virtio2']).stdout).toBe(
      readFileSync(`${TRACES}eth-npm.dev-virtio2.txt`, 'utf8'),
    );
  });
});

/** Every column of the events table, in one comparable row per event. */
/**
 * Every column of the events table, one row per event, but those named in `skip`: the callchain's user-space
 * symbols (this reader does not read ELF files), and zstd.data's locations, which perf on this machine resolved
 * against this machine's kernel, another build (the recording has no build id to tell): we print them as hex.
 */
const eventsOf = (dataset: string, skip: readonly string[] = []): Promise<Record<string, unknown>[]> =>
  rows(`SELECT * EXCLUDE (${[...skip, 'line'].join(', ')}), line FROM '${dataset}/events.parquet' ORDER BY line`);
const SKIP: Record<string, string[]> = { callchain: ['callchain'], zstd: ['location'] };

describe('convert of perf.data equals the conversion of perf script text, column by column', () => {
  const cases = ['eth-npm', 'http-lo', 'mixed', 'udp-drop', 'pipe', 'zstd', 'odd-comm', 'callchain'];
  it.each(cases)('%s', async (w) => {
    const text = existsSync(`${PERF_DATA}${w}.script.txt`)
      ? `${PERF_DATA}${w}.script.txt`
      : `${PERF_DATA}${w}.script.txt.xz`;
    const native = join(dir, `${w}.native`);
    const viaText = join(dir, `${w}.text`);
    expect(cli(['convert', recording(w), '-o', native, '-q']).status).toBe(0);
    expect(cli(['convert', text, '-o', viaText, '-q']).status).toBe(0);
    const a = await eventsOf(native, SKIP[w]);
    const b = await eventsOf(viaText, SKIP[w]);
    expect(a.length).toBe(b.length);
    expect(a).toEqual(b);
  });

  it('lost.data: the lost table holds its 75 LOST and 19 LOST_SAMPLES records; lost_events = 581 as perf counts', async () => {
    const out = join(dir, 'lost.native');
    const r = cli(['convert', recording('lost'), '-o', out, '-q']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('warning: 581 events lost by the kernel');
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toMatchObject({
      lost_events: 581,
      inputs: [{ lost_events: 581, lost_records: 94, lost_samples: expect.any(Number) as number }],
    });
    expect(
      await rows(
        `SELECT kind, count(*) AS n, sum(count) AS total FROM '${out}/lost.parquet' GROUP BY kind ORDER BY kind`,
      ),
    ).toEqual([
      { kind: 'lost', n: 75n, total: 581n },
      { kind: 'lost_samples', n: 19n, total: expect.any(BigInt) as bigint },
    ]);
  });
});

describe('the recording says what it is', () => {
  it('in the manifest and in every Parquet file (file mode)', async () => {
    const out = join(dir, 'meta');
    expect(cli(['convert', recording('udp-drop'), '-o', out, '-q']).status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toMatchObject({
      inputs: [
        {
          kind: 'perf-data',
          recording: {
            mode: 'file',
            hostname: 'vm',
            os_release: '6.18.44-fc-v657',
            arch: 'x86_64',
            perf_version: '6.1.187',
          },
        },
      ],
    });
    const kv = await rows(
      `SELECT decode(value) AS v FROM parquet_kv_metadata('${out}/rx_packets.parquet') WHERE decode(key) = 'netdev_times.recording'`,
    );
    expect(kv).toHaveLength(1);
    expect(JSON.parse(String(kv[0].v))).toMatchObject({
      hostname: 'vm',
      os_release: '6.18.44-fc-v657',
      nr_cpus_online: 2,
    });
  });
});

describe('kernel symbols', () => {
  const KALLSYMS = `${PERF_DATA}tracing/udp-drop.kallsyms`;
  /** The events of perf.data resolved with the recording host's symbols, against that host's own perf script text. */
  async function againstHostText(kallsyms: string): Promise<void> {
    const out = join(dir, `ks-${kallsyms.length}`);
    expect(cli(['convert', recording('udp-drop'), '-o', out, '-q', '--kallsyms', kallsyms]).status).toBe(0);
    const host = join(dir, 'ks-host');
    if (!existsSync(host)) expect(cli(['convert', `${TRACES}udp-drop.ns.txt`, '-o', host, '-q']).status).toBe(0);
    // The host's text is --ns without pid/tid: pid is null there; line numbers are those of another layout.
    const diff = await rows(
      `SELECT count(*) AS n FROM (SELECT * EXCLUDE (pid, line) FROM '${out}/events.parquet'
       EXCEPT ALL SELECT * EXCLUDE (pid, line) FROM '${host}/events.parquet')`,
    );
    expect(diff).toEqual([{ n: 0n }]);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toMatchObject({
      inputs: [{ symbols: `kallsyms file ${kallsyms}` }],
    });
  }

  it('--kallsyms: locations as the recording host printed them; the events equal its perf script text', async () => {
    await againstHostText(KALLSYMS);
  });

  it('--kallsyms of another boot (KASLR moved _text): relocated by the recorded kernel map', async () => {
    const shift = 0x3400000n;
    const moved = readFileSync(KALLSYMS, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => `${(BigInt(`0x${l.slice(0, 16)}`) + shift).toString(16)}${l.slice(16)}`);
    // The recording's kernel map says _text was at 0xffffffff81000000 (perf script --show-mmap-events).
    moved.unshift(`${(0xffffffff81000000n + shift).toString(16)} T _text`);
    const file = join(dir, 'moved.kallsyms');
    writeFileSync(file, moved.join('\n') + '\n');
    await againstHostText(file);
  });

  it('without symbols: hex addresses, and the manifest says so', () => {
    const out = join(dir, 'ks-none');
    expect(cli(['convert', recording('udp-drop'), '-o', out, '-q']).status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toMatchObject({
      inputs: [{ symbols: 'none: kernel addresses in hex' }],
    });
  });

  it('an unreadable --kallsyms file: one line, exit 2', () => {
    const r = cli(['report', recording('udp-drop'), '--kallsyms', join(dir, 'nope.kallsyms')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^netdev-times: .*nope\.kallsyms: cannot read the kallsyms file \(ENOENT\)\n$/);
  });
});

describe('compressed inputs: found by their magic, perf.data or text inside', () => {
  it.each([
    ['udp-drop.data.zst', 'udp-drop'],
    ['http-lo.data.gz', 'http-lo'],
    ['tcp-bulk.data.xz', 'tcp-bulk'],
  ])('%s reports as its recording', (file, w) => {
    const r = cli(['report', `${TRACES}${file}`]);
    expect(r.status).toBe(0);
    expect(r.stdout === readFileSync(`${TRACES}${w}.report.txt`, 'utf8')).toBe(true);
  });

  it('zstd text converts as the plain text', async () => {
    const a = join(dir, 'zst-text');
    const b = join(dir, 'plain-text');
    expect(cli(['convert', `${TRACES}eth-npm.ns.txt.zst`, '-o', a, '-q']).status).toBe(0);
    expect(cli(['convert', `${TRACES}eth-npm.ns.txt`, '-o', b, '-q']).status).toBe(0);
    expect(await eventsOf(a)).toEqual(await eventsOf(b));
  });

  it('a zstd file cut short: one line, exit 1', () => {
    const f = join(dir, 'cut.zst');
    const whole = readFileSync(`${TRACES}eth-npm.ns.txt.zst`);
    writeFileSync(f, whole.subarray(0, whole.length >> 1));
    const r = cli(['convert', f, '-o', join(dir, 'cut-out')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^netdev-times: .*cut\.zst: zstd: .*\n$/);
  });
});

describe('perf.data on stdin', () => {
  it('pipe mode (perf record -o -) converts from -, as from the file', async () => {
    const out = join(dir, 'pipe.stdin');
    expect(cli(['convert', '-', '-o', out, '-q'], readFileSync(recording('pipe'))).status).toBe(0);
    const fromFile = join(dir, 'pipe.native');
    if (!existsSync(fromFile)) expect(cli(['convert', recording('pipe'), '-o', fromFile, '-q']).status).toBe(0);
    expect(await eventsOf(out)).toEqual(await eventsOf(fromFile));
  });

  it('file mode from - (spooled) reports as from the file', () => {
    const r = cli(['report', '-'], readFileSync(recording('udp-drop')));
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(`${TRACES}udp-drop.report.txt`, 'utf8'));
  });
});

describe('perf.data that is broken', () => {
  it('a recording whose perf record was killed converts what is whole and says what is missing', () => {
    const r = cli(['convert', recording('killed'), '-o', join(dir, 'killed'), '-q']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: perf record did not finish/);
    const m: unknown = JSON.parse(readFileSync(join(dir, 'killed', 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({
      inputs: [
        { kind: 'perf-data', warnings: expect.arrayContaining([expect.stringMatching(/did not finish/)]) as string[] },
      ],
    });
  });

  it('a file cut short or garbled: one line with the byte offset, exit 1, never a stack trace', () => {
    const whole = readFileSync(recording('udp-drop'));
    for (const cut of [100, 3000, Math.floor(whole.length / 2)]) {
      const f = join(dir, `cut-${cut}.data`);
      writeFileSync(f, whole.subarray(0, cut));
      const r = cli(['report', f]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      if (r.status !== 0) {
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(/^netdev-times: .*(byte|offset).*\n$/);
      }
    }
    const garbled = Buffer.from(whole);
    garbled.fill(0xff, 200, 400);
    const g = join(dir, 'garbled.data');
    writeFileSync(g, garbled);
    const r = cli(['report', g]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^netdev-times: .*byte offset \d+.*\n$/);
  });
});
