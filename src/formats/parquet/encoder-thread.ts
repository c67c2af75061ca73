/**
 * Parquet encoding on a second thread: the encoder thread builds the Arrow batches and runs parquet-wasm
 * (WebAssembly arrow-rs, the project's Parquet writer) while this thread decodes, normalises and correlates.
 * Chunks go over as Arrow IPC streams in pooled, transferred buffers (parquet/protocol.ts); the file bytes
 * come back and are written here, so temporary names, the commit of a dataset and cleanup on a signal stay
 * in this thread.
 */
import { startWorker } from '../../core/worker.js';
import { Worker } from 'node:worker_threads';
import type { TableChunk } from '../../core/columns.js';
import type { ByteSink } from '../byte-sink.js';
import { IpcChunkEncoder } from '../arrow/ipc.js';
import { BufferPool, type Reply, type Request } from './protocol.js';
import type { ChunkWriter, ParquetOptions } from './writer.js';
import type { TableSpec } from '../../tables/schema.js';

/** Writes past this many unanswered chunks wait: the encoder thread's queue, and so memory, stays bounded. */
const MAX_IN_FLIGHT = 4;

/** The encoder thread of one conversion. */
export class EncoderThread {
  private readonly worker: Worker;
  readonly pool = new BufferPool(MAX_IN_FLIGHT + 1);
  private readonly writers = new Map<number, RemoteParquetWriter>();
  private nextId = 1;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private failure: Error | null = null;

  static start(): EncoderThread {
    return new EncoderThread(startWorker(import.meta.url, 'encoder-worker'));
  }

  private constructor(worker: Worker) {
    this.worker = worker;
    this.worker.on('message', (r: Reply) => this.onReply(r));
    this.worker.on('error', (e: Error) => this.fail(e));
    this.worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`the Parquet encoder thread exited with code ${code}`));
    });
  }

  open(sink: ByteSink, spec: TableSpec, options: ParquetOptions): RemoteParquetWriter {
    const id = this.nextId++;
    const w = new RemoteParquetWriter(this, id, sink, spec);
    this.writers.set(id, w);
    this.post({ op: 'open', id, spec, metadata: [...options.metadata], rowGroupRows: options.rowGroupRows }, []);
    return w;
  }

  post(req: Request, transfer: ArrayBuffer[]): void {
    if (this.failure) throw this.failure;
    this.worker.postMessage(req, transfer);
  }

  /** Waits for room in the thread's queue, then counts one more request that will be answered. */
  async slot(): Promise<void> {
    while (this.inFlight >= MAX_IN_FLIGHT && !this.failure)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.failure) throw this.failure;
    this.inFlight++;
  }

  forget(id: number): void {
    this.writers.delete(id);
  }

  /** Stops the thread (after the conversion, whatever its outcome). */
  async stop(): Promise<void> {
    this.failure ??= new Error('the Parquet encoder thread was stopped');
    this.wake();
    await this.worker.terminate();
  }

  private onReply(r: Reply): void {
    if (r.buffer) this.pool.give(r.buffer);
    this.inFlight--;
    this.waiting.shift()?.();
    this.writers.get(r.id)?.receive(r);
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const w of this.writers.values()) w.fail(e);
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiting.splice(0)) w();
  }
}

/** One file whose chunks are encoded by the EncoderThread; the bytes come back here and go to the sink. */
export class RemoteParquetWriter implements ChunkWriter {
  private error: Error | null = null;
  /** Sink writes in arrival order. */
  private writing: Promise<void> = Promise.resolve();
  private closed: { resolve: () => void; reject: (e: Error) => void } | null = null;

  private readonly encoder: IpcChunkEncoder;

  constructor(
    private readonly thread: EncoderThread,
    private readonly id: number,
    private readonly sink: ByteSink,
    spec: TableSpec,
  ) {
    this.encoder = new IpcChunkEncoder(spec);
  }

  async write(chunk: TableChunk): Promise<void> {
    this.throwIfFailed();
    await this.thread.slot();
    let buffer: ArrayBuffer | undefined;
    const stream = this.encoder.encode(chunk, (size) => new Uint8Array((buffer = this.thread.pool.take(size))));
    if (buffer === undefined) throw new Error('arrow-ipc: encode() took no buffer');
    this.thread.post({ op: 'write', id: this.id, buffer, offset: stream.byteOffset, length: stream.length }, [buffer]);
  }

  async close(): Promise<void> {
    this.throwIfFailed();
    await this.thread.slot();
    const done = new Promise<void>((resolve, reject) => (this.closed = { resolve, reject }));
    this.thread.post({ op: 'close', id: this.id }, []);
    await done;
    await this.writing;
    this.throwIfFailed();
    await this.sink.close();
  }

  /** A method, not inline: the error may be set while a caller awaits, which TypeScript's narrowing cannot see. */
  private throwIfFailed(): void {
    if (this.error) throw this.error;
  }

  abort(): void {
    this.thread.forget(this.id);
    try {
      this.thread.post({ op: 'drop', id: this.id }, []);
    } catch {
      // the thread is gone already: nothing to drop
    }
    this.sink.abort();
  }

  receive(r: Reply): void {
    if ('error' in r) {
      this.fail(new Error(`Parquet encoder: ${r.error}`));
      return;
    }
    for (const b of r.bytes) {
      this.writing = this.writing
        .then(() => this.sink.write(b))
        .catch((e: unknown) => {
          this.error ??= e instanceof Error ? e : new Error(String(e));
        });
    }
    if (r.op === 'close') {
      this.thread.forget(this.id);
      this.closed?.resolve();
    }
  }

  fail(e: Error): void {
    this.error ??= e;
    this.closed?.reject(e);
  }
}
