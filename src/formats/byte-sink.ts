/**
 * Where encoded bytes go. A file is written under a temporary name in its folder and renamed into place
 * only when complete, so an error or a signal never leaves a partial file under the real name. Files of one
 * dataset share a CommitGroup: each is closed under its temporary name and all are renamed together once
 * every one of them is complete, so a failure (disk full on the last table) leaves none of them either.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { NetdevTimesError } from '../core/errors.js';

export interface ByteSink {
  write(chunk: Uint8Array): Promise<void> | void;
  /** Makes the output final. */
  close(): Promise<void>;
  /** Throws the output away. */
  abort(): void;
  readonly bytes: number;
}

const live = new Set<FileSink>();

/** Folders made by conversions still running, as [deepest, first created]: removed (when empty) on a signal. */
const madeFolders = new Set<[string, string]>();

/** Registers folders a running conversion created; `forget` it when the conversion ends either way. */
export function noteMadeFolder(entry: [string, string]): void {
  madeFolders.add(entry);
}

export function forgetMadeFolder(entry: [string, string]): void {
  madeFolders.delete(entry);
}

/**
 * `mkdir -p` that returns the first folder it created (undefined when `dir` existed). Node's recursive
 * mkdirSync never returns under /proc (it retries ENOENT forever) and reports a read-only file system as
 * ENOENT, so each missing folder is made on its own and the real error is thrown.
 */
export function makeDirs(dir: string): string | undefined {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      if (statSync(d).isDirectory()) break;
      const e = new Error(`ENOTDIR: not a directory, mkdir '${dir}'`) as NodeJS.ErrnoException;
      e.code = 'ENOTDIR';
      throw e;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(d) === d) throw e;
      missing.push(d);
    }
  }
  for (let k = missing.length - 1; k >= 0; k--) {
    try {
      mkdirSync(missing[k]);
    } catch (e) {
      // Made meanwhile by another worker of the same batch: fine.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(missing[k]).isDirectory()) throw e;
      if (k === missing.length - 1) missing.pop();
    }
  }
  return missing.length > 0 ? missing[missing.length - 1] : undefined;
}

/** Removes `deepest` and its parents up to `first` (the first folder a run created), each only if empty. */
export function removeEmptyUpTo(deepest: string, first: string): void {
  const stop = resolve(first);
  for (let d = resolve(deepest); ; d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return; // not empty or already gone: leave it and its parents
    }
    if (d === stop || dirname(d) === d) return;
  }
}

/** Removes every temporary file still open, then the folders left empty: for SIGINT/SIGTERM handlers. */
export function abortAllFileSinks(): void {
  for (const s of [...live]) s.abort();
  for (const [deepest, first] of [...madeFolders].reverse()) removeEmptyUpTo(deepest, first);
  madeFolders.clear();
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const code = 'code' in e ? String(e.code) : '';
    if (code === 'ENOSPC') return 'no space left on the device';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'EROFS') return 'read-only file system';
    if (code === 'EDQUOT') return 'disk quota exceeded';
    if (code === 'ENOENT') return 'no such file or directory';
    return code || e.message;
  }
  return String(e);
}

/** A file-system error as a few words for a message (folder creation). */
export function describeFsError(e: unknown): string {
  const code = e instanceof Error && 'code' in e ? String(e.code) : '';
  if (code === 'EEXIST' || code === 'ENOTDIR') return 'a file of that name is in the way';
  return describe(e);
}

/**
 * Files that are complete under their temporary names, waiting for the rest of their dataset: `commit`
 * renames them all into place (the manifest last), `abort` removes them.
 */
export class CommitGroup {
  private readonly members: FileSink[] = [];

  add(sink: FileSink): void {
    this.members.push(sink);
  }

  /** Renames every closed member into place, in the order they were added. */
  commit(): void {
    for (const m of this.members.splice(0)) m.rename();
  }

  abort(): void {
    for (const m of this.members.splice(0)) m.abort();
  }
}

/** The temporary name of `path` while it is written: `.<name>.tmp-<pid>` in the same folder. */
export const tempName = (path: string): string => join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);

/** Writes a small file (a manifest) under its temporary name; renamed by the group's commit, or at once without one. */
export function writeFileAtomic(path: string, data: string | Uint8Array, group?: CommitGroup): void {
  const sink = new FileSink(path, group);
  try {
    sink.write(typeof data === 'string' ? new TextEncoder().encode(data) : data);
    sink.closeSync();
  } catch (e) {
    sink.abort();
    throw e;
  }
}

export class FileSink implements ByteSink {
  private fd: number;
  private readonly tmp: string;
  bytes = 0;

  /** With a group, close() leaves the file under its temporary name until the group commits. */
  constructor(
    readonly path: string,
    private readonly group?: CommitGroup,
  ) {
    this.tmp = tempName(path);
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

  close(): Promise<void> {
    // A failure rejects the promise, as in any async close().
    return new Promise((resolve) => {
      this.closeSync();
      resolve();
    });
  }

  closeSync(): void {
    if (this.fd < 0) return;
    try {
      closeSync(this.fd);
      this.fd = -1;
    } catch (e) {
      this.abort();
      throw new NetdevTimesError(`${this.path}: cannot finish (${describe(e)})`, 3);
    }
    if (this.group) this.group.add(this);
    else this.rename();
  }

  /** Moves the closed file to its real name. */
  rename(): void {
    try {
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
