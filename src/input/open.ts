import { closeSync, createReadStream, fstatSync, open as openCallback, readSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Socket } from 'node:net';
import { promisify } from 'node:util';
import { Decompress } from 'fzstd';
import type { Readable } from 'node:stream';
import { perfScriptStream } from './perf-script.js';
import { byteChunk } from '../core/bytes.js';
import { NetdevTimesError } from '../core/errors.js';
import type { ReadMeter } from './meter.js';

/** What the first bytes of an input say it is. */
export type InputKind = 'text' | 'gzip' | 'xz' | 'zstd' | 'perf-data';

const GZIP = [0x1f, 0x8b];
const XZ = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];
const PERFILE2 = [0x50, 0x45, 0x52, 0x46, 0x49, 0x4c, 0x45, 0x32];

const startsWith = (b: Uint8Array, magic: number[]): boolean =>
  b.length >= magic.length && magic.every((m, i) => b[i] === m);

export function sniff(head: Uint8Array): InputKind {
  if (startsWith(head, GZIP)) return 'gzip';
  if (startsWith(head, XZ)) return 'xz';
  if (startsWith(head, ZSTD)) return 'zstd';
  if (startsWith(head, PERFILE2)) return 'perf-data';
  return 'text';
}

/** The errno code of a failed file-system call (ENOENT, EACCES, ...), else its message. */
function errnoOf(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return 'code' in e && typeof e.code === 'string' ? e.code : e.message;
}

const openFd = promisify(openCallback);

/**
 * What a path is, from its own descriptor: a regular file (positioned reads, a size), or anything else that
 * reads as a stream — a named pipe, `/dev/stdin`, a `<(...)` (`/dev/fd/N`), a character device — whose bytes
 * come once, in order, and are never sought. A pipe is read through libuv's pipe handle (non-blocking, on the
 * event loop), not by a thread-pool read: a read blocked on a pipe whose writer is idle would hold the
 * process at exit (SIGINT, SIGTERM) until the writer closes it.
 */
async function openPath(
  path: string,
): Promise<{ regular: true; head: Uint8Array } | { regular: false; stream: Readable }> {
  const fd = await openFd(path, 'r').catch((e: unknown) => {
    throw new NetdevTimesError(`${path}: cannot open (${errnoOf(e)})`, 2);
  });
  let keep = false;
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new NetdevTimesError(`${path}: cannot open (EISDIR)`, 2);
    if (st.isFIFO() || st.isSocket()) {
      keep = true;
      return { regular: false, stream: new Socket({ fd, readable: true, writable: false }) };
    }
    if (!st.isFile()) {
      keep = true;
      return { regular: false, stream: createReadStream('', { fd, highWaterMark: 1 << 20 }) };
    }
    const head = new Uint8Array(8);
    const bytesRead = readSync(fd, head, 0, 8, 0);
    return { regular: true, head: head.subarray(0, bytesRead) };
  } catch (e) {
    if (e instanceof NetdevTimesError) throw e;
    throw new NetdevTimesError(`${path}: cannot read (${errnoOf(e)})`, 2);
  } finally {
    if (!keep) closeSync(fd);
  }
}

/** Whether a path is a regular file (a size, positioned reads), not a pipe, a device or a `/dev/fd/N` stream. */
export function isRegularFile(path: string): boolean {
  if (path === '-') return false;
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The decompressed size of an .xz file, from the index xz keeps at its end (`xz --robot --list`: no data is
 * decompressed); null when xz is missing or cannot tell (a corrupt or truncated file).
 */
export async function xzSize(path: string): Promise<number | null> {
  // Loaded here, as the decompressors' modules are (see decompressor): a plain trace's run never needs them.
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile('xz', ['--robot', '--list', '--', path], { encoding: 'utf8' }, (err, stdout) => {
      const totals = err ? undefined : stdout.split('\n').find((l) => l.startsWith('totals\t'));
      const size = totals === undefined ? NaN : Number(totals.split('\t')[4]);
      resolve(Number.isSafeInteger(size) ? size : null);
    });
  });
}

/**
 * Decompresses xz with the system's `xz`: Node has no xz codec and a child keeps the second core busy.
 * Kept because measured: tcp-bulk.ns.txt.xz (63 MB) takes 0.28 s in `xz -dc`, 1.5 s on our thread in
 * xz-decompress (WebAssembly), the npm decoder tried.
 * xz's exit status is known only after its stdout has ended, so it is checked then: a corrupt or truncated
 * file fails with xz's message instead of ending the input early without a word.
 */
async function* xzStream(spawn: Spawn, source: Readable, label: string): AsyncGenerator<Uint8Array> {
  const child = spawn('xz', ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    if (err.length < 8192) err += d.toString();
  });
  const exit = new Promise<number | null>((resolve, reject) => {
    child.on('error', () => reject(new NetdevTimesError(`${label}: is xz-compressed but 'xz' could not be run`, 2)));
    child.on('close', (code) => resolve(code));
  });
  exit.catch(() => undefined);
  child.stdin.on('error', () => undefined);
  source.on('error', (e: Error) =>
    child.stdout.destroy(new NetdevTimesError(`${label}: cannot read (${e.message})`, 2)),
  );
  source.pipe(child.stdin);
  try {
    for await (const chunk of child.stdout) {
      yield byteChunk(chunk);
    }
    const code = await exit;
    if (code !== 0) throw new NetdevTimesError(`${label}: xz failed: ${err.trim() || `exit ${code}`}`, 2);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

/** Decompresses gzip; a corrupt or truncated file fails with a NetdevTimesError naming the input. */
async function* gunzipStream(createGunzip: CreateGunzip, source: Readable, label: string): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip();
  source.on('error', (e: Error) => gunzip.destroy(e));
  source.pipe(gunzip);
  try {
    for await (const chunk of gunzip) {
      yield byteChunk(chunk);
    }
  } catch (e) {
    if (e instanceof NetdevTimesError) throw e;
    throw new NetdevTimesError(`${label}: gzip: ${e instanceof Error ? e.message : String(e)}`, 2);
  }
}

/** A stream (stdin, a decompressed file) with its first chunk read: what it is, and all its bytes from the first. */
async function sniffStream(
  source: AsyncIterable<unknown>,
): Promise<{ kind: InputKind | null; bytes: AsyncGenerator<Uint8Array> }> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (first.done) return;
    yield byteChunk(first.value);
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield byteChunk(r.value);
    }
  }
  return { kind: first.done ? null : sniff(byteChunk(first.value)), bytes: rest() };
}

/** `perf script` text, or perf.data's own bytes for the native reader. */
export type OpenedInput =
  | {
      format: 'text';
      kind: InputKind;
      /** Decoded `perf script` text bytes, in chunks. */
      chunks: AsyncIterable<Uint8Array>;
    }
  | {
      format: 'perf-data';
      kind: 'perf-data';
      /** The file, read with positioned reads (its formats come after its data); null for a stream. */
      path: string | null;
      /** A stream's bytes from its first (stdin); empty for a file. */
      chunks: AsyncIterable<Uint8Array>;
    };

export interface InputOptions {
  /** The perf binary used to render perf.data inputs with `viaPerf` (default `perf`). */
  perf?: string;
  /** Render perf.data with `perf script` (the text path) instead of reading it natively. */
  viaPerf?: boolean;
  /**
   * Read a plain text file into two buffers that take turns (no allocation per chunk): each chunk is then
   * valid only until the next one is asked for. For consumers that copy a chunk before asking again, as the
   * decoder does.
   */
  reuseChunks?: boolean;
  /** Counts the input's bytes as stored (compressed, or from a stream) as they are read: for progress. */
  meter?: ReadMeter;
}

/** How messages and summaries name an input: `-` is `<stdin>`. */
export const inputLabel = (path: string): string => (path === '-' ? '<stdin>' : path);

async function* nothing(): AsyncGenerator<Uint8Array> {}

/**
 * Opens a path (or `-` for stdin), recognised by its magic bytes, not by its name: text, gzip and xz as
 * `perf script` text chunks (decompressed); perf.data as its own bytes for the native reader, or with
 * `viaPerf` as the text perf script renders of it.
 */
export async function openTextInput(path: string, options: InputOptions = {}): Promise<OpenedInput> {
  const label = inputLabel(path);
  if (path === '-') return openStream(process.stdin, label, options);
  const opened = await openPath(path);
  if (!opened.regular) {
    // A pipe's bytes come once: sniffed from its first chunk, never by a positioned read.
    const raw = opened.stream;
    raw.on('error', () => undefined);
    return openStream(raw, label, options).catch((e: unknown) => {
      raw.destroy();
      throw e;
    });
  }
  const kind = sniff(opened.head);
  if (kind === 'perf-data') {
    if (options.viaPerf === true)
      return { format: 'text', kind, chunks: perfScriptStream(path, options.perf ?? 'perf') };
    return { format: 'perf-data', kind, path, chunks: nothing() };
  }
  if (kind === 'text') return { format: 'text', kind, chunks: fileChunks(path, options.reuseChunks === true) };
  const decompress = await decompressor(kind);
  const meter = options.meter;
  // Shown progress counts what the decompressor has taken: smaller reads keep it close to what is decoded
  // (1 MiB is a third of tcp-bulk.ns.txt.xz).
  const raw = createReadStream(path, { highWaterMark: meter ? 1 << 16 : 1 << 20 });
  // 'data' is emitted for every chunk the consumer (a pipe, or read() under an iterator) takes, and the consumer
  // is attached in this same tick (decompressed() starts it), so no chunk flows by before it.
  if (meter)
    raw.on('data', (c: string | Buffer) => {
      meter.bytes += c.length;
    });
  return decompressed(kind, decompress, raw, label, options);
}

/**
 * A stream (stdin, a named pipe, `/dev/fd/N`), recognised by its first chunk: text as it comes, compressed
 * text decompressed, perf.data as a stream for the native reader (which spools what it must seek in).
 */
async function openStream(source: Readable, label: string, options: InputOptions): Promise<OpenedInput> {
  const wrapped = readErrors(source, label, options.meter);
  const { kind, bytes } = await sniffStream(wrapped);
  if (kind === 'perf-data') {
    if (options.viaPerf === true) throw new NetdevTimesError(`${label}: --via-perf needs a perf.data file path`, 2);
    return { format: 'perf-data', kind, path: null, chunks: bytes };
  }
  if (kind === null || kind === 'text') return { format: 'text', kind: 'text', chunks: bytes };
  const { Readable: R } = await import('node:stream');
  const decompress = await decompressor(kind);
  return decompressed(kind, decompress, R.from(bytes), label, options);
}

/** A stream's chunks, a read error as one line naming the input. */
async function* readErrors(source: Readable, label: string, meter?: ReadMeter): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of source) {
      const bytes = byteChunk(chunk);
      if (meter) meter.bytes += bytes.length;
      yield bytes;
    }
  } catch (e) {
    if (e instanceof NetdevTimesError) throw e;
    throw new NetdevTimesError(`${label}: cannot read (${errnoOf(e)})`, 2);
  }
}

type Spawn = typeof import('node:child_process').spawn;
type CreateGunzip = typeof import('node:zlib').createGunzip;
type Decompressor = (raw: Readable, label: string) => AsyncGenerator<Uint8Array>;

/**
 * The decompressor of a kind, with the module it needs (node:zlib, node:child_process for xz) loaded now: only
 * the inputs that need one pay for loading it. Awaited before the input's stream is made, never between: a
 * metered stream flows from its 'data' listener on, and chunks read during an await would be lost.
 */
async function decompressor(kind: 'gzip' | 'xz' | 'zstd'): Promise<Decompressor> {
  if (kind === 'gzip') {
    const { createGunzip } = await import('node:zlib');
    return (raw, label) => gunzipStream(createGunzip, raw, label);
  }
  if (kind === 'xz') {
    const { spawn } = await import('node:child_process');
    return (raw, label) => xzStream(spawn, raw, label);
  }
  return zstdStream;
}

/**
 * A compressed input, decompressed as it streams: `perf script` text, or a perf.data (found by its magic
 * once decompressed), which then goes to the native reader as a stream.
 */
async function decompressed(
  kind: 'gzip' | 'xz' | 'zstd',
  decompress: Decompressor,
  raw: Readable,
  label: string,
  options: InputOptions,
): Promise<OpenedInput> {
  const inner = await sniffStream(decompress(raw, label));
  if (inner.kind === 'perf-data') {
    if (options.viaPerf === true)
      throw new NetdevTimesError(`${label}: --via-perf needs an uncompressed perf.data file`, 2);
    return { format: 'perf-data', kind: 'perf-data', path: null, chunks: inner.bytes };
  }
  return { format: 'text', kind, chunks: inner.bytes };
}

/**
 * zstd (`.zst`) in JavaScript (fzstd, already the perf.data reader's decoder for `perf record -z`): Node 20's
 * zlib has no zstd. A corrupt or cut stream fails with one line.
 */
async function* zstdStream(source: Readable, label: string): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  const z = new Decompress((data) => {
    out.push(data);
  });
  try {
    for await (const chunk of source) {
      z.push(byteChunk(chunk));
      yield* out.splice(0);
    }
    z.push(new Uint8Array(0), true);
    yield* out.splice(0);
  } catch (e) {
    if (e instanceof NetdevTimesError) throw e;
    throw new NetdevTimesError(`${label}: zstd: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
}

const FILE_CHUNK = 1 << 20;

/**
 * A plain file in 1 MiB chunks without a stream's machinery: the next read is already running while the
 * current chunk is decoded. Each chunk is a Buffer of its own, as a stream's chunks are, unless `reuse`:
 * then two buffers take turns and a chunk is valid only until the next one is asked for.
 */
async function* fileChunks(path: string, reuse: boolean): AsyncGenerator<Uint8Array> {
  const fh = await open(path, 'r').catch((e: unknown) => {
    throw new NetdevTimesError(`${path}: cannot open (${errnoOf(e)})`, 2);
  });
  const spare = reuse ? [Buffer.allocUnsafeSlow(FILE_CHUNK), Buffer.allocUnsafeSlow(FILE_CHUNK)] : [];
  let turn = 0;
  const readOne = async (): Promise<Uint8Array> => {
    const b = reuse ? spare[turn++ & 1] : Buffer.allocUnsafeSlow(FILE_CHUNK);
    try {
      const { bytesRead } = await fh.read(b, 0, FILE_CHUNK, null);
      return b.subarray(0, bytesRead);
    } catch (e) {
      const err: NodeJS.ErrnoException = e instanceof Error ? e : new Error(String(e));
      throw new NetdevTimesError(`${path}: cannot read (${err.code ?? err.message})`, 2);
    }
  };
  let next = readOne();
  try {
    for (;;) {
      const chunk = await next;
      if (chunk.length === 0) return;
      next = readOne();
      yield chunk;
    }
  } finally {
    await next.catch(() => undefined);
    await fh.close();
  }
}
