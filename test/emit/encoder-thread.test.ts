/**
 * The encoder thread (compiled code from dist/, as worker threads load it) writes exactly the bytes the
 * in-thread encoder writes, its chunk buffers going back and forth; a failure in the thread reaches the
 * writer.
 */
import { describe, expect, it } from 'vitest';
import { StringTable } from '../../src/decode/strings.js';
import { Codec, ParquetFileEncoder } from '../../src/emit/parquet/file-encoder.js';
import { EncoderThread } from '../../dist/emit/parquet-writer.js';
import { toolVersion } from '../../src/emit/version.js';
import { chunkOf, source, SPEC } from './helpers.js';

const N = 20000;

class MemorySink {
  bytes = 0;
  parts: Uint8Array[] = [];
  closed = false;
  write(b: Uint8Array): void {
    this.parts.push(b.slice());
    this.bytes += b.length;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  abort(): void {
    this.parts = [];
  }
}

const metadata = new Map([['netdev_times.table', 'everything']]);

function local(): Buffer {
  const parts: Uint8Array[] = [];
  const e = new ParquetFileEncoder(SPEC, { metadata, createdBy: `netdev-times ${toolVersion()}`, codec: Codec.Gzip, rowGroupRows: 6000 }, (b) => parts.push(b));
  const names = new StringTable();
  const s = source(5, N);
  for (let from = 0; from < N; from += 3000) e.write(chunkOf(s, from, Math.min(N, from + 3000), names));
  e.close();
  return Buffer.concat(parts);
}

describe('encoder thread', () => {
  for (const reuse of [true, false]) {
    it(`writes the same bytes as the in-thread encoder (${reuse ? 'the caller reusing its arrays after each write' : 'fresh arrays'})`, async () => {
      const thread = EncoderThread.start();
      if (!thread) throw new Error('dist/emit/parquet/encoder-worker.js is missing: run tsc first');
      try {
        const sink = new MemorySink();
        const w = thread.open(sink, SPEC, { metadata, rowGroupRows: 6000 });
        const names = new StringTable();
        const s = source(5, N);
        for (let from = 0; from < N; from += 3000) {
          const c = chunkOf(s, from, Math.min(N, from + 3000), names);
          await w.write(c);
          if (reuse) {
            // The chunk was copied before write() resolved: scribbling over it now changes nothing.
            const row = c.columns.row;
            if (row.kind === 'int32') row.values.fill(-7);
          }
        }
        await w.close();
        expect(sink.closed).toBe(true);
        expect(Buffer.concat(sink.parts).equals(local())).toBe(true);
      } finally {
        await thread.stop();
      }
    });
  }

  it('a chunk the thread cannot encode fails the write or the close with its reason', async () => {
    const thread = EncoderThread.start();
    if (!thread) throw new Error('dist/emit/parquet/encoder-worker.js is missing: run tsc first');
    try {
      const w = thread.open(new MemorySink(), SPEC, { metadata });
      const c = chunkOf(source(1), 0, 100, new StringTable());
      const row = c.columns.row;
      if (row.kind === 'int32') row.valid[7] = 0;
      await w.write(c);
      await expect(w.close()).rejects.toThrow(/row: null in a non-nullable column/);
    } finally {
      await thread.stop();
    }
  });
});
