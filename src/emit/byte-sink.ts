/**
 * Where encoded bytes go. A file is written under a temporary name in its folder and renamed into place
 * only when complete, so an error or a signal never leaves a partial file under the real name.
 */
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { NetdevTimesError } from '../decode/types.js';

export interface ByteSink {
  write(chunk: Uint8Array): Promise<void> | void;
  /** Makes the output final. */
  close(): Promise<void>;
  /** Throws the output away. */
  abort(): void;
  readonly bytes: number;
}

const live = new Set<FileSink>();

/** Removes every temporary file still open: for SIGINT/SIGTERM handlers. */
export function abortAllFileSinks(): void {
  for (const s of [...live]) s.abort();
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const code = 'code' in e ? String(e.code) : '';
    if (code === 'ENOSPC') return 'no space left on the device';
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'permission denied';
    return code || e.message;
  }
  return String(e);
}

export class FileSink implements ByteSink {
  private fd: number;
  private readonly tmp: string;
  bytes = 0;

  constructor(readonly path: string) {
    this.tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
    try {
      this.fd = openSync(this.tmp, 'w');
    } catch (e) {
      throw new NetdevTimesError(`${path}: cannot write (${describe(e)})`, 3);
    }
    live.add(this);
  }

  write(chunk: Uint8Array): void {
    try {
      let off = 0;
      while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off);
    } catch (e) {
      this.abort();
      throw new NetdevTimesError(`${this.path}: write failed (${describe(e)})`, 3);
    }
    this.bytes += chunk.length;
  }

  async close(): Promise<void> {
    if (this.fd < 0) return;
    try {
      closeSync(this.fd);
      this.fd = -1;
      renameSync(this.tmp, this.path);
    } catch (e) {
      this.abort();
      throw new NetdevTimesError(`${this.path}: cannot finish (${describe(e)})`, 3);
    }
    live.delete(this);
  }

  abort(): void {
    live.delete(this);
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed by the OS: nothing to keep
      }
      this.fd = -1;
    }
    try {
      unlinkSync(this.tmp);
    } catch {
      // never created or already gone
    }
  }
}

/** stdout (or any Node writable), honouring backpressure. */
export class StreamSink implements ByteSink {
  bytes = 0;
  constructor(private readonly stream: NodeJS.WritableStream) {}

  async write(chunk: Uint8Array): Promise<void> {
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.stream.write(new Uint8Array(0), () => resolve()));
  }

  abort(): void {
    // a stream cannot take back what it sent; the reader sees a truncated stream
  }
}
