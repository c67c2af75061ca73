/** The committed oracle (perf 6.1's payloads) and the recordings' samples, matched up for the tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readMaybeXz, walkPerfData } from './perf-file.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = `${ROOT}test/fixtures/perf-data/tracing/`;

/** Recording name → its perf.data in the repository (the oracle texts and blobs are in FIXTURES). */
export const RECORDINGS: Record<string, string> = {
  callchain: 'test/fixtures/traces/callchain.data',
  'eth-npm': 'test/fixtures/traces/eth-npm.data',
  'http-lo': 'test/fixtures/traces/http-lo.data',
  mixed: 'test/fixtures/traces/mixed.data',
  'udp-drop': 'test/fixtures/traces/udp-drop.data',
  'tcp-bulk': 'test/fixtures/traces/tcp-bulk.data.xz',
  'odd-comm': 'test/fixtures/perf-data/odd-comm.data',
  zstd: 'test/fixtures/perf-data/zstd.data',
  pipe: 'test/fixtures/perf-data/pipe.data',
  lost: 'test/fixtures/perf-data/lost.data.xz',
};

export interface Expected {
  event: string;
  /** perf script's payload on this machine (no kallsyms for the recording's kernel). */
  here: string;
  /** perf script's payload on the recording machine, with its kallsyms. */
  resolved: string;
}

/** Expected payloads keyed by `timeNs cpu`, in perf's order (perf sorts by time; one CPU's samples stay in order). */
export function loadExpected(name: string): Map<string, Expected[]> {
  const text = Buffer.from(readMaybeXz(`${FIXTURES}${name}.expected.txt.xz`)).toString('latin1');
  const out = new Map<string, Expected[]>();
  let last: Expected | null = null;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line[0] === '\t') {
      if (last) last.resolved = line.slice(1);
      continue;
    }
    const a = line.indexOf(' ');
    const b = line.indexOf(' ', a + 1);
    const c = line.indexOf(' ', b + 1);
    const key = line.slice(0, b);
    const payload = line.slice(c + 1);
    last = { event: line.slice(b + 1, c), here: payload, resolved: payload };
    const list = out.get(key);
    if (list) list.push(last);
    else out.set(key, [last]);
  }
  return out;
}

export interface Sample {
  bytes: Uint8Array;
  start: number;
  end: number;
  expected: Expected;
}

/** Every sample of a recording with the line perf printed for it. */
export function loadSamples(name: string): { tracing: Uint8Array; samples: Sample[]; unmatched: number } {
  const expected = loadExpected(name);
  const samples: Sample[] = [];
  let unmatched = 0;
  const tracing = walkPerfData(readMaybeXz(`${ROOT}${RECORDINGS[name]}`), (bytes, start, end, time, cpu) => {
    const e = expected.get(`${time} ${cpu}`)?.shift();
    if (!e) {
      unmatched++;
      return;
    }
    samples.push({ bytes, start, end, expected: e });
  });
  return { tracing, samples, unmatched };
}

export function blob(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${FIXTURES}${name}.tracing.bin`));
}
