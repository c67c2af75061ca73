/**
 * A plain file decoded in segments on two threads (compiled code from dist/, as the decoding thread loads
 * it) gives exactly the sequential decoder's rows, line numbers, dictionaries (by value), counts, rejects
 * and unparsed payloads: on every fixture cut into small segments, with -g frames, rejects and CRLF lines.
 * And a source that reuses the arrays of the batches its consumer is done with gives the same rows.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RejectedLine } from '../../src/decode/decoder.js';
import { openTraceSource } from '../../dist/normalise/source.js';
import { generateTraceText } from '../../src/bench/generate.js';
import { TRACES } from '../helpers/fixtures.js';
import { fieldsOf } from './helpers.js';

async function readAll(path: string, parallel: boolean, recycle = false): Promise<unknown> {
  const rejects: RejectedLine[] = [];
  const src = await openTraceSource(path, { parallel, recycle, segmentBytes: 16 << 10, batchSize: 1000, onReject: (r) => rejects.push(r) });
  const rows: unknown[] = [];
  const dec = new TextDecoder();
  for await (const b of src.batches()) {
    const r = b.raw;
    for (let i = 0; i < b.length; i++) {
      rows.push({
        ...fieldsOf(b, i), line: r.line[i], time: r.timeNs[i], cpu: r.cpu[i], tid: r.tid[i], pid: r.pidValid[i] ? r.pid[i] : null,
        comm: r.comms.values[r.comm[i]], payload: dec.decode(r.arena.subarray(r.payloadStart[i], r.payloadEnd[i])),
        frames: r.frames.slice(r.frameStart[i], r.frameEnd[i]),
      });
    }
  }
  const unparsed = Object.fromEntries([...src.unparsed].map(([id, n]) => [src.events.values[id], n]));
  return { rows, counts: src.counts, rejects, unparsed, unterminated: src.unterminatedLastLine };
}

const dir = mkdtempSync(join(tmpdir(), 'ndt-segments-'));

describe('segmented decoding on two threads', () => {
  const files = readdirSync(TRACES).filter((f) => /\.(ns|tid|hdr)\.txt$|^eth-npm\.txt$|^older-kernels\.txt$/.test(f));

  it.each(files)('%s: the same as the sequential decoder', async (f) => {
    const path = `${TRACES}${f}`;
    expect(await readAll(path, true)).toEqual(await readAll(path, false));
  });

  it.each(files)('%s: reusing the arrays of batches already read changes nothing', async (f) => {
    const path = `${TRACES}${f}`;
    expect(await readAll(path, false, true)).toEqual(await readAll(path, false));
  });

  it('callchains, rejected lines, CRLF and a last line without a newline: the same', async () => {
    const text = generateTraceText({ events: 3000, seed: 4 }).split('\n');
    const cc = readFileSync(`${TRACES}callchain.debug.txt`, 'utf8').split('\n').slice(0, 50);
    const out: string[] = [];
    text.forEach((l, i) => {
      out.push(i % 97 === 5 ? `${l}\r` : l);
      if (i % 211 === 7) out.push('\tffffffff81360e5d raise_softirq+0x8d ([kernel.kallsyms])', '\t      12c0000000 [unknown] ([unknown])', '');
      if (i % 503 === 11) out.push('this is not an event line', ...cc.slice(0, 3));
    });
    const path = join(dir, 'mixed.txt');
    writeFileSync(path, out.join('\n').replace(/\n$/, ''));
    const seq = await readAll(path, false);
    expect(await readAll(path, true)).toEqual(seq);
    expect(await readAll(path, false, true)).toEqual(seq);
  });
});
