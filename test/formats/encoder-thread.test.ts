/**
 * The Parquet encoder thread writes exactly
 * the bytes the in-thread parquet-wasm writer writes, while the caller reuses its arrays after each write;
 * a chunk the thread cannot encode fails the write or the close. Which conversions get it by default.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parquetThreadPays } from '../../src/pipeline/convert.js';
import { TraceDecoder } from '../../src/decode/text/decoder.js';
import type { TableChunk } from '../../src/core/columns.js';
import { eventsChunk } from '../../src/normalise/events-table.js';
import { Normaliser } from '../../src/normalise/normaliser.js';
import { WasmParquetWriter } from '../../src/formats/parquet/writer.js';
import { tableSpec } from '../../src/tables/schema.js';
import { EncoderThread } from '../../src/formats/parquet/encoder-thread.js';
import { TRACES } from '../helpers/fixtures.js';

class MemorySink {
  bytes = 0;
  parts: Uint8Array[] = [];
  closed = false;
  write(b: Uint8Array): void {
    this.parts.push(b.slice());
    this.bytes += b.length;
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
  abort(): void {
    this.parts = [];
  }
}

const spec = tableSpec('events');
const metadata = new Map([['netdev_times.table', 'events']]);

/** eth-npm's events in small batches. */
function chunks(): TableChunk[] {
  const out: TableChunk[] = [];
  const n = new Normaliser();
  const d = new TraceDecoder((raw) => out.push(eventsChunk(n.normalise(raw))), { batchSize: 700 });
  d.push(readFileSync(`${TRACES}eth-npm.ns.txt`));
  d.end();
  return out;
}

describe('Parquet encoder thread', () => {
  it('writes the same bytes as the in-thread writer, though the caller scribbles over each chunk after writing it', async () => {
    const local = new MemorySink();
    const w = new WasmParquetWriter(local, spec, { metadata, rowGroupRows: 2000 });
    for (const c of chunks()) await w.write(c);
    await w.close();
    const thread = EncoderThread.start();
    try {
      const sink = new MemorySink();
      const r = thread.open(sink, spec, { metadata, rowGroupRows: 2000 });
      for (const c of chunks()) {
        await r.write(c);
        const line = c.columns.line;
        if (line.kind === 'int32') line.values.fill(-7);
      }
      await r.close();
      expect(sink.closed).toBe(true);
      expect(Buffer.concat(sink.parts).equals(Buffer.concat(local.parts))).toBe(true);
    } finally {
      await thread.stop();
    }
  });

  it('a chunk the thread cannot encode fails the write or the close with its reason', async () => {
    const thread = EncoderThread.start();
    try {
      const r = thread.open(new MemorySink(), spec, { metadata });
      const c = chunks()[0];
      delete c.columns.line;
      await expect(
        (async () => {
          await r.write(c);
          await r.close();
        })(),
      ).rejects.toThrow(/no column 'line'/);
    } finally {
      await thread.stop();
    }
  });
});

describe('who gets the Parquet thread', () => {
  const saved = process.env.NETDEV_TIMES_THREADS;
  afterEach(() => {
    if (saved === undefined) delete process.env.NETDEV_TIMES_THREADS;
    else process.env.NETDEV_TIMES_THREADS = saved;
  });

  it('by default text or perf.data of 32 MiB or more, plain or .xz (with a second core); smaller, .gz and stdin not', async () => {
    delete process.env.NETDEV_TIMES_THREADS;
    const dir = mkdtempSync(join(tmpdir(), 'netdev-times-threads-'));
    try {
      const big = join(dir, 'big.txt');
      const small = join(dir, 'small.txt');
      writeFileSync(big, '');
      truncateSync(big, 32 << 20); // sparse: the size is what counts
      writeFileSync(small, '');
      truncateSync(small, (32 << 20) - 1);
      expect(await parquetThreadPays(big, 'text')).toBe(availableParallelism() >= 2);
      expect(await parquetThreadPays(small, 'text')).toBe(false);
      expect(await parquetThreadPays(big, 'perf-data')).toBe(availableParallelism() >= 2);
      expect(await parquetThreadPays(small, 'perf-data')).toBe(false);
      expect(await parquetThreadPays(big, 'gzip')).toBe(false);
      // .xz by the size of its text (its index says), not of the file.
      const bigXz = join(dir, 'big.txt.xz');
      const smallXz = join(dir, 'small.txt.xz');
      execFileSync('sh', [
        '-c',
        `head -c ${32 << 20} /dev/zero | xz -0 > '${bigXz}' && head -c ${(32 << 20) - 1} /dev/zero | xz -0 > '${smallXz}'`,
      ]);
      expect(await parquetThreadPays(bigXz, 'xz')).toBe(availableParallelism() >= 2);
      expect(await parquetThreadPays(smallXz, 'xz')).toBe(false);
      expect(await parquetThreadPays(big, 'xz')).toBe(false);
      expect(await parquetThreadPays('-', 'text')).toBe(false);
      expect(await parquetThreadPays(join(dir, 'missing.txt'), 'text')).toBe(false);

      process.env.NETDEV_TIMES_THREADS = '1';
      expect(await parquetThreadPays(big, 'text')).toBe(false);
      process.env.NETDEV_TIMES_THREADS = '2';
      expect(await parquetThreadPays(small, 'perf-data')).toBe(true);
      // Not a thread count: the default again.
      process.env.NETDEV_TIMES_THREADS = 'yes';
      expect(await parquetThreadPays(small, 'text')).toBe(false);
      expect(await parquetThreadPays(big, 'text')).toBe(availableParallelism() >= 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
