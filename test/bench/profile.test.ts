/**
 * Where the time goes: a hand-made CPU profile read into stages. A sample counts for the first frame from it
 * up through its callers that names a stage (builtins count for their caller), lasts until the next sample,
 * and idle time is no thread's busy time.
 */
import { describe, expect, it } from 'vitest';
import {
  attribute,
  frameStage,
  parseProfile,
  profileCommand,
  profileTable,
  threadIdOf,
  type CpuProfile,
  type ProfileNode,
} from '../../bench/profile.js';

const D = 'file:///p/dist';
const node = (id: number, functionName: string, url: string, children: number[] = []): ProfileNode => ({
  id,
  callFrame: { functionName, url, lineNumber: 0 },
  children,
});

const nodes: ProfileNode[] = [
  node(1, '(root)', '', [2, 3, 4, 5, 9, 11, 13]),
  node(2, '(program)', ''),
  node(3, '(idle)', ''),
  node(4, '(garbage collector)', ''),
  node(5, 'main', `${D}/cli/main.js`, [6, 8]),
  node(6, 'lines', `${D}/decode/text/lines.js`, [7]),
  // A builtin (no url) counts for the decoder that called it.
  node(7, 'readSync', ''),
  node(8, 'update', 'node:internal/crypto/hash'),
  // Node's streams with nothing of the package above them.
  node(9, 'read', 'node:internal/streams/readable'),
  node(10, 'wasm-function[12]', 'wasm://wasm/0123abcd'),
  node(11, 'write', 'file:///p/node_modules/parquet-wasm/node/parquet_wasm.js', [10]),
  node(12, 'compileFunction', ''),
  node(13, 'run', 'node:internal/modules/esm/module_job', [12, 14]),
  // A module's top-level code, run by the loader: its own stage, not loading.
  node(14, '', `${D}/correlate/index.js`),
];

// Samples 1 ms apart after a 5 ms lead-in; the profile ends 1 ms after the last one.
const samples = [7, 7, 7, 8, 2, 3, 3, 4, 9, 10, 12, 14, 5];
const profile: CpuProfile = {
  nodes,
  startTime: 0,
  endTime: 18_000,
  samples,
  timeDeltas: samples.map((_, i) => (i === 0 ? 5000 : 1000)),
};

describe('CPU profile stages', () => {
  it('puts each sample in the stage of its first frame that names one, walking up the callers', () => {
    const t = attribute(profile);
    expect(t.stages).toEqual({
      'decode text': 3,
      'input SHA-256': 1,
      'V8 / native': 1,
      idle: 2,
      GC: 1,
      'Node runtime': 1,
      'Parquet (parquet-wasm)': 1,
      'start-up: loading modules': 1,
      correlate: 1,
      cli: 1,
    });
    // The lead-in is wall time only; idle is not busy.
    expect(t.wallMs).toBe(18);
    expect(t.busyMs).toBe(11);
  });

  it('counts a sample until the next one, however far apart', () => {
    const t = attribute({ ...profile, samples: [7, 3, 5], timeDeltas: [0, 4000, 1000], endTime: 5500 });
    expect(t.stages).toEqual({ 'decode text': 4, idle: 1, cli: 0.5 });
    expect(t.busyMs).toBe(4.5);
  });

  it('names the stages of the package, its libraries and Node', () => {
    const stage = (url: string, functionName = 'f'): string | null => frameStage({ url, functionName, lineNumber: 0 });
    expect(stage(`${D}/decode/perf-data/reader.js`)).toBe('decode perf.data');
    expect(stage(`${D}/input/open.js`)).toBe('input');
    expect(stage(`${D}/filter/events.js`)).toBe('normalise');
    expect(stage(`${D}/tables/rx.js`)).toBe('Arrow IPC encode');
    expect(stage(`${D}/formats/arrow/ipc.js`)).toBe('Arrow IPC encode');
    expect(stage(`${D}/formats/parquet/writer.js`)).toBe('formats/parquet');
    expect(stage(`${D}/pipeline/run.js`)).toBe('pipeline');
    expect(stage('file:///p/node_modules/apache-arrow/table.mjs')).toBe('apache-arrow');
    expect(stage('node:crypto/hash')).toBe('input SHA-256');
    expect(stage('node:internal/bootstrap/realm')).toBe('start-up: loading modules');
    expect(stage('node:internal/deps/cjs-module-lexer/lexer')).toBe('start-up: loading modules');
    expect(stage('', 'compileSourceTextModule')).toBe('start-up: loading modules');
    expect(stage('node:internal/fs/utils')).toBeNull();
    // Names of Object.prototype are functions like any other, not V8's pseudo-frames.
    expect(stage('', 'toString')).toBeNull();
  });

  it("reads the thread from Node's file names, main thread first, and names workers by what they do", () => {
    expect(threadIdOf('CPU.20261204.174811.24139.0.001.cpuprofile')).toBe(0);
    expect(threadIdOf('CPU.20261204.174811.24139.1.002.cpuprofile')).toBe(1);
    expect(threadIdOf('notes.txt')).toBeNull();
    const text = JSON.stringify(profile);
    // A worker busiest in parquet-wasm (10, 10, 12: Parquet 2 ms, loading 1 ms) is the encoder.
    const encoder = JSON.stringify({ ...profile, samples: [10, 10, 12], timeDeltas: [0, 1000, 1000], endTime: 3000 });
    const p = profileCommand('convert x', [
      { name: 'CPU.1.2.3.2.003.cpuprofile', text: encoder },
      { name: 'CPU.1.2.3.1.002.cpuprofile', text },
      { name: 'CPU.1.2.3.0.001.cpuprofile', text },
      { name: 'other.json', text: '{}' },
    ]);
    expect(p.threads.map((t) => [t.threadId, t.thread])).toEqual([
      [0, 'main'],
      [1, 'worker 1'],
      [2, 'encoder'],
    ]);
    const table = profileTable(p);
    expect(table).toContain('profile of convert x');
    expect(table).toContain(
      'main thread: wall 18 ms, busy 11 ms; worker 1 thread: wall 18 ms, busy 11 ms; encoder thread: wall 3 ms, busy 3 ms',
    );
    // Biggest stage over all threads first with its share of each thread's busy time; idle last, with no share.
    const lines = table.split('\n');
    expect(lines[2]).toMatch(/^\| stage +\| main ms \| % of main busy \| worker 1 ms \| .* \| % of encoder busy \|$/);
    expect(lines[4]).toMatch(/^\| decode text +\| +3 \| +27\.3 \| +3 \| +27\.3 \| +- \| +- \|$/);
    expect(table).toMatch(/\| Parquet \(parquet-wasm\) +\| +1 \| +9\.1 \| +1 \| +9\.1 \| +2 \| +66\.7 \|/);
    expect(lines[lines.length - 1]).toMatch(/^\| idle +\| +2 \| +- \| +2 \| +- \| +- \| +- \|$/);
  });

  it('rejects what is not a CPU profile', () => {
    expect(() => parseProfile('[]')).toThrow(/not a CPU profile/);
    expect(() => parseProfile(JSON.stringify({ ...profile, timeDeltas: [1] }))).toThrow(/not a CPU profile/);
    expect(() => parseProfile(JSON.stringify({ ...profile, nodes: [{ id: 1 }] }))).toThrow(/not a CPU profile/);
    expect(parseProfile(JSON.stringify(profile))).toEqual(profile);
  });
});
