/**
 * The native reader against perf 6.1's own text: for every recording, the batches of perf.data equal the text
 * decoder's batches of the committed `perf script --ns -F comm,pid,tid,cpu,time,event,trace[,ip,sym,symoff,dso]`
 * output, field by field. Payloads are compared when the tracing part is present (it renders them).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataRows, firstDifference, textRows, type Rows } from './helpers.js';

const FIX = fileURLToPath(new URL('../../fixtures/perf-data/', import.meta.url));
const TRACES = fileURLToPath(new URL('../../fixtures/traces/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'perf-data-oracle-'));

/** A recording's path, decompressed to a temporary file when committed as .xz. */
function recording(name: string): string {
  for (const dir of [FIX, TRACES]) {
    if (existsSync(`${dir}${name}.data`)) return `${dir}${name}.data`;
    if (existsSync(`${dir}${name}.data.xz`)) {
      const out = join(tmp, `${name}.data`);
      if (!existsSync(out))
        writeFileSync(out, execFileSync('xz', ['-dc', `${dir}${name}.data.xz`], { maxBuffer: 1 << 30 }));
      return out;
    }
  }
  throw new Error(`no recording ${name}`);
}

const script = (name: string): string =>
  existsSync(`${FIX}${name}.script.txt`) ? `${FIX}${name}.script.txt` : `${FIX}${name}.script.txt.xz`;

const FIELDS: (keyof Rows)[] = ['time', 'cpu', 'pid', 'pidValid', 'tid', 'comm', 'event', 'line'];

/**
 * perf resolves user-space symbols from the ELF files of the machine it runs on; this reader does not read
 * ELF, so it prints `[unknown]` where perf printed `sym+0xoff` for a user dso. Everything else of a frame
 * (address, kernel frames, dso) must be equal.
 */
const unresolvedUser = (f: string): string =>
  f.endsWith('([kernel.kallsyms])') ? f : f.replace(/^(\S+) .* \((.*)\)$/, '$1 [unknown] ($2)');

describe('perf.data read natively equals perf script', () => {
  for (const name of [
    'eth-npm',
    'http-lo',
    'mixed',
    'udp-drop',
    'tcp-bulk',
    'pipe',
    'zstd',
    'odd-comm',
    'lost',
    'callchain',
  ]) {
    it(name, async () => {
      const text = textRows(script(name));
      const { rows, dec } = await dataRows(recording(name));
      expect(rows.line.length).toBe(text.line.length);
      expect(firstDifference(text, rows, FIELDS)).toBeNull();
      if (name === 'callchain') {
        text.frames = text.frames.map((fs) => fs.map(unresolvedUser));
        expect(firstDifference(text, rows, ['frames'])).toBeNull();
      } else expect(rows.frames.every((f) => f.length === 0)).toBe(true);
      expect(dec.counts.unknownIds).toBe(0);
    });
  }

  it('lost events: the LOST records perf counts', async () => {
    const { dec } = await dataRows(recording('lost'));
    // lost.stats.log: perf report --stats of the same recording.
    expect(dec.lost.records).toBe(94);
    expect(dec.lost.total).toBe(581);
  });

  it('metadata from the header features', async () => {
    const { dec } = await dataRows(recording('eth-npm'));
    const m = dec.metadata;
    expect(m.mode).toBe('file');
    expect(m.events.map((e) => e.name)).toContain('skb:kfree_skb');
    expect(m.build_ids.some((b) => b.kernel && b.filename === '[kernel.kallsyms]')).toBe(true);
    expect(typeof m.hostname).toBe('string');
    expect(m.nr_cpus_online).toBeGreaterThan(0);
    const { dec: pipe } = await dataRows(recording('pipe'));
    expect(pipe.metadata.mode).toBe('pipe');
    expect(pipe.metadata.events.length).toBeGreaterThan(0);
    expect(pipe.metadata.hostname).toBe(m.hostname);
  });

  it('a killed recording: its whole records, and what is missing said', async () => {
    const { rows, dec } = await dataRows(recording('killed'));
    expect(rows.line.length).toBeGreaterThan(1000);
    expect(dec.warnings.join('\n')).toMatch(/did not finish/);
  });
});
