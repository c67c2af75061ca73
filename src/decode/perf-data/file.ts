/**
 * perf.data files: file mode keeps the attrs before the data section and the tracing data and other features
 * after it, so the header, attrs and features are read first with positioned reads, then the data section
 * is streamed. A pipe-mode recording saved to a file is streamed whole. Streams (stdin) of file mode are
 * spooled to a temporary file first: the formats they need come last.
 */
import { open, mkdtemp, rm, type FileHandle } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parseAttr, type EventAttr } from './attr.js';
import { FEAT_TRACING_DATA, FILE_HEADER_SIZE, PIPE_HEADER_SIZE } from './constants.js';
import { PerfDataDecoder, type FileSetup, type PerfDataOptions } from './decoder.js';
import { perfDataError } from './fail.js';
import { readFeature } from './features.js';
import { parseHeader } from './header.js';
import { featureName, newMetadata } from './metadata.js';
import type { RawBatch } from '../raw-batch.js';

const CHUNK = 4 << 20;
/** No attrs section or feature of a real recording comes near this: a larger one is garbage. */
const MAX_SECTION = 256 << 20;

export interface PerfDataFile {
  /** File mode: what was read before the data section; null for a pipe-mode recording. */
  setup: FileSetup | null;
  /** The bytes to push into a PerfDataDecoder (after configureFile(setup) in file mode). */
  chunks(): AsyncGenerator<Uint8Array>;
  close(): Promise<void>;
  /** A file-mode stream's size, spooled to a temporary file before any of it could be decoded; 0 otherwise. */
  spooled: number;
}

async function readAt(fh: FileHandle, pos: number, len: number): Promise<Uint8Array> {
  const b = new Uint8Array(len);
  let got = 0;
  while (got < len) {
    const { bytesRead } = await fh.read(b, got, len - got, pos + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === len ? b : b.subarray(0, got);
}

export async function openPerfDataFile(path: string): Promise<PerfDataFile> {
  const fh = await open(path, 'r');
  try {
    const fileSize = (await fh.stat()).size;
    const head = await readAt(fh, 0, FILE_HEADER_SIZE);
    const header = parseHeader(head.length >= PIPE_HEADER_SIZE ? head : new Uint8Array(head));
    if (header.pipe) return { setup: null, chunks: () => stream(fh, 0, fileSize), close: () => fh.close(), spooled: 0 };
    const setup = await readSetup(fh, header, fileSize);
    const end = setup.unfinished ? fileSize : Math.min(fileSize, setup.dataOffset + setup.dataSize);
    if (!setup.unfinished && setup.dataOffset + setup.dataSize > fileSize) {
      throw perfDataError(
        fileSize,
        `file ends inside the data section (${setup.dataOffset + setup.dataSize - fileSize} bytes missing)`,
      );
    }
    return { setup, chunks: () => stream(fh, setup.dataOffset, end), close: () => fh.close(), spooled: 0 };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

async function* stream(fh: FileHandle, from: number, to: number): AsyncGenerator<Uint8Array> {
  // One buffer, reused: the decoder copies what it keeps of a chunk before the next read.
  const buf = new Uint8Array(CHUNK);
  for (let pos = from; pos < to;) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, to - pos), pos);
    if (bytesRead === 0) return;
    pos += bytesRead;
    yield buf.subarray(0, bytesRead);
  }
}

async function readSetup(fh: FileHandle, header: ReturnType<typeof parseHeader>, fileSize: number): Promise<FileSetup> {
  const le = header.le;
  const warnings: string[] = [];
  const metadata = newMetadata('file', le);
  const { attrs: sec, attrSize } = header;
  if (attrSize < 64 + 16 || attrSize > 4096) throw perfDataError(16, `attr size ${attrSize} in the header`);
  if (sec.size > MAX_SECTION || sec.offset + sec.size > fileSize)
    throw perfDataError(24, `attrs section [${sec.offset}, +${sec.size}) is not in the file`);
  const ab = await readAt(fh, sec.offset, sec.size);
  const av = new DataView(ab.buffer, ab.byteOffset, ab.byteLength);
  const attrs: EventAttr[] = [];
  for (let p = 0; p + attrSize <= ab.length; p += attrSize) {
    const attr = parseAttr(av, p, attrSize - 16, le);
    const idsOff = Number(av.getBigUint64(p + attrSize - 16, le));
    const idsSize = Number(av.getBigUint64(p + attrSize - 8, le));
    if (idsSize > MAX_SECTION || idsOff + idsSize > fileSize)
      throw perfDataError(
        sec.offset + p + attrSize - 16,
        `ids of attr ${attrs.length} [${idsOff}, +${idsSize}) are not in the file`,
      );
    const ib = await readAt(fh, idsOff, idsSize);
    const iv = new DataView(ib.buffer, ib.byteOffset, ib.byteLength);
    for (let q = 0; q + 8 <= ib.length; q += 8) attr.ids.push(iv.getBigUint64(q, le));
    attrs.push(attr);
  }
  if (attrs.length === 0) throw perfDataError(24, 'no event attrs in the header');
  const unfinished = header.data.size === 0;
  let tracingData: Uint8Array | null = null;
  metadata.features = header.features.map(featureName);
  if (!unfinished) {
    const tableAt = header.data.offset + header.data.size;
    const n = header.features.length;
    const table = await readAt(fh, tableAt, n * 16);
    if (table.length < n * 16)
      warnings.push(`feature section table cut short at byte offset ${tableAt}: features not read`);
    else {
      const tv = new DataView(table.buffer, table.byteOffset, table.byteLength);
      for (let i = 0; i < n; i++) {
        const bit = header.features[i];
        const off = Number(tv.getBigUint64(i * 16, le));
        const size = Number(tv.getBigUint64(i * 16 + 8, le));
        if (size > MAX_SECTION || off + size > fileSize) {
          warnings.push(`feature ${featureName(bit)}: section [${off}, +${size}) is not in the file, skipped`);
          continue;
        }
        const fb = await readAt(fh, off, size);
        if (bit === FEAT_TRACING_DATA) tracingData = fb;
        else {
          const w = readFeature(metadata, bit, fb, 0, fb.length, le);
          if (w) warnings.push(w);
        }
      }
    }
  } else {
    metadata.features = [];
  }
  return {
    le,
    attrs,
    metadata,
    tracingData,
    dataOffset: header.data.offset,
    dataSize: header.data.size,
    unfinished,
    warnings,
  };
}

/** Decodes the perf.data file at path; returns the decoder (its metadata, lost events, warnings, counts). */
export async function decodePerfDataFile(
  path: string,
  onBatch: (b: RawBatch) => void,
  options: PerfDataOptions = {},
): Promise<PerfDataDecoder> {
  return decodeOpened(await openPerfDataFile(path), onBatch, options);
}

async function decodeOpened(
  file: PerfDataFile,
  onBatch: (b: RawBatch) => void,
  options: PerfDataOptions,
): Promise<PerfDataDecoder> {
  try {
    const dec = new PerfDataDecoder(onBatch, options);
    if (file.setup) dec.configureFile(file.setup);
    for await (const chunk of file.chunks()) dec.push(chunk);
    dec.end();
    return dec;
  } finally {
    await file.close();
  }
}

/**
 * perf.data arriving as a stream (stdin), opened like a file: pipe mode is read as it comes; file mode is
 * spooled to a temporary file first (removed by close()), since its formats come after its data.
 */
export async function openPerfDataStream(source: AsyncIterable<Uint8Array>): Promise<PerfDataFile> {
  const it = source[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headLen = 0;
  while (headLen < PIPE_HEADER_SIZE) {
    const r = await it.next();
    if (r.done) break;
    head.push(new Uint8Array(r.value));
    headLen += r.value.length;
  }
  const first = concat(head, headLen);
  const header = parseHeader(first);
  if (header.pipe) {
    async function* all(): AsyncGenerator<Uint8Array> {
      yield first;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    }
    return { setup: null, chunks: all, close: () => Promise.resolve(), spooled: 0 };
  }
  const dir = await mkdtemp(join(tmpdir(), 'netdev-times-perf-'));
  try {
    const path = join(dir, 'spooled.data');
    const out = createWriteStream(path);
    let spooled = 0;
    const write = async (c: Uint8Array): Promise<void> => {
      spooled += c.length;
      if (!out.write(c)) await once(out, 'drain');
    };
    await write(first);
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      await write(r.value);
    }
    out.end();
    await once(out, 'finish');
    const file = await openPerfDataFile(path);
    return {
      setup: file.setup,
      chunks: () => file.chunks(),
      close: async () => {
        await file.close();
        await rm(dir, { recursive: true, force: true });
      },
      spooled,
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Decodes perf.data arriving as a stream (stdin); returns the decoder (its metadata, lost events, warnings, counts). */
export async function decodePerfDataStream(
  source: AsyncIterable<Uint8Array>,
  onBatch: (b: RawBatch) => void,
  options: PerfDataOptions = {},
): Promise<PerfDataDecoder> {
  return decodeOpened(await openPerfDataStream(source), onBatch, options);
}

function concat(parts: Uint8Array[], len: number): Uint8Array {
  const b = new Uint8Array(len);
  let p = 0;
  for (const x of parts) {
    b.set(x, p);
    p += x.length;
  }
  return b;
}
