/**
 * A trace source that reuses the arrays and arenas of the batches its consumer is done with (`recycle`, as
 * convert and the report read) gives exactly the rows, counts, rejects and unparsed payloads of one that
 * makes every batch new: on every fixture cut into small batches, and on text with -g frames, rejected
 * lines, CRLF and a last line without a newline.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RejectedLine } from '../../src/decode/text/decoder.js';
import { generateTraceText } from '../../bench/generate.js';
import { openTraceSource } from '../../src/pipeline/source.js';
import { TRACES } from '../helpers/fixtures.js';
import { fieldsOf } from './helpers.js';

async function readAll(path: string, recycle: boolean): Promise<unknown> {
  const rejects: RejectedLine[] = [];
  const src = await openTraceSource(path, { recycle, batchSize: 1000, onReject: (r) => rejects.push(r) });
  const rows: unknown[] = [];
  const dec = new TextDecoder();
  let batches = 0;
  for await (const b of src.batches()) {
    batches++;
    const r = b.raw;
    // Read before the next batch is asked for: a recycled batch's arrays are then reused.
    for (let i = 0; i < b.length; i++) {
      rows.push({
        ...fieldsOf(b, i),
        line: r.line[i],
        time: r.timeNs[i],
        cpu: r.cpu[i],
        tid: r.tid[i],
        pid: r.pidValid[i] ? r.pid[i] : null,
        comm: r.comms.values[r.comm[i]],
        payload: dec.decode(r.arena.subarray(r.payloadStart[i], r.payloadEnd[i])),
        frames: r.frames.slice(r.frameStart[i], r.frameEnd[i]),
      });
    }
  }
  const unparsed = Object.fromEntries([...src.unparsed].map(([id, n]) => [src.events.values[id], n]));
  return { batches, rows, counts: src.counts, rejects, unparsed, unterminated: src.unterminatedLastLine };
}

const dir = mkdtempSync(join(tmpdir(), 'ndt-recycle-'));

describe('a source that recycles its batches', () => {
  // Every --ns trace, and eth-npm in the other layouts: each of many 1000-event batches.
  const files = readdirSync(TRACES).filter((f) => /\.ns\.txt$|^eth-npm\.(tid\.|hdr\.)?txt$/.test(f));

  it.each(files)('%s: the same rows as new batches', async (f) => {
    const path = `${TRACES}${f}`;
    const fresh = await readAll(path, false);
    expect((fresh as { batches: number }).batches).toBeGreaterThan(2);
    expect(await readAll(path, true)).toEqual(fresh);
  });

  it('callchains, rejected lines, CRLF and a last line without a newline: the same', async () => {
    const text = generateTraceText({ events: 6000, seed: 4 }).split('\n');
    const cc = readFileSync(`${TRACES}callchain.debug.txt`, 'utf8').split('\n').slice(0, 50);
    const out: string[] = [];
    text.forEach((l, i) => {
      out.push(i % 97 === 5 ? `${l}\r` : l);
      if (i % 211 === 7)
        out.push(
          '\tffffffff81360e5d raise_softirq+0x8d ([kernel.kallsyms])',
          '\t      12c0000000 [unknown] ([unknown])',
          '',
        );
      if (i % 503 === 11) out.push('this is not an event line', ...cc.slice(0, 3));
    });
    const path = join(dir, 'mixed.txt');
    writeFileSync(path, out.join('\n').replace(/\n$/, ''));
    expect(await readAll(path, true)).toEqual(await readAll(path, false));
  });
});
