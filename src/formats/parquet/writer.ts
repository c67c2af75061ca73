/**
 * Parquet through parquet-wasm (Apache arrow-rs compiled to WebAssembly): ZSTD, real UINT_64, the Arrow
 * schema stored for Arrow readers (dictionary columns come back as categoricals), row groups of 64k rows.
 * Each chunk crosses into WebAssembly as an Arrow IPC stream written straight from its arrays (arrow-ipc.ts,
 * no apache-arrow in between); arrow-rs's streaming
 * writer emits a row group's bytes when it is full and we write them out before taking the next batch, so
 * neither side holds more than a row group.
 */
import { createRequire } from 'node:module';
import type { RecordBatch as WasmBatch, WriterProperties } from 'parquet-wasm/node';
import type { TableChunk } from '../../core/columns.js';
import type { ByteSink } from '../byte-sink.js';
import type { TableSpec } from '../../tables/schema.js';
import { toolVersion } from '../../core/version.js';
import { byteChunk } from '../../core/bytes.js';

export const ROW_GROUP_ROWS = 65536;

export interface ParquetOptions {
  metadata: Map<string, string>;
  rowGroupRows?: number;
}

/** What TableOutput drives for each file it writes. The chunk is read before write() resolves, never after. */
export interface ChunkWriter {
  write(chunk: TableChunk): Promise<void>;
  close(): Promise<void>;
  abort(): void;
}

type Pending = { batch: WasmBatch | null; taken: () => void };
type Wasm = typeof import('parquet-wasm/node');

/**
 * parquet-wasm's Node build is CommonJS. require() takes its exports as they are, where import() first has
 * Node's CJS lexer scan its 100 KB of glue for their names: ~30 ms of the main thread, and the lexer grew hot
 * enough to be compiled by TurboFan (~70 ms of the second core) in every conversion.
 */
function loadParquetWasm(): Wasm {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- require() returns any; this is the package's declared type
  const wasm: Wasm = createRequire(import.meta.url)('parquet-wasm/node');
  return wasm;
}
/** A chunk into its IPC stream, and an IPC stream into parquet-wasm's batches. */
type Encoder = { chunk(c: TableChunk): Uint8Array; read(stream: Uint8Array): WasmBatch[] };

/**
 * Column statistics cost about a third of the encoding time; they are kept where a reader prunes with them:
 * times and line numbers.
 */
const STATISTICS_COLUMNS = new Set(['time_ns', 'line', 'queue_ns', 'base_ns', 'hunk_id']);

/**
 * Sorted or nearly sorted integers (times, line numbers): DELTA_BINARY_PACKED stores their small differences
 * in a few bits. Measured on tcp-bulk's events: time_ns and line shrink 2-3x and encode faster than PLAIN+ZSTD.
 */
const DELTA_COLUMNS = new Set(['time_ns', 'line']);

function properties(w: Wasm, spec: TableSpec, options: ParquetOptions): WriterProperties {
  let b = new w.WriterPropertiesBuilder()
    .setCompression(w.Compression.ZSTD)
    .setMaxRowGroupSize(options.rowGroupRows ?? ROW_GROUP_ROWS)
    .setStatisticsEnabled(w.EnabledStatistics.None)
    .setDictionaryEnabled(false)
    .setCreatedBy(`netdev-times ${toolVersion()} (parquet-wasm, Apache arrow-rs)`)
    .setKeyValueMetadata(options.metadata);
  for (const c of spec.columns) {
    if (STATISTICS_COLUMNS.has(c.name)) b = b.setColumnStatisticsEnabled(c.name, w.EnabledStatistics.Chunk);
    if (DELTA_COLUMNS.has(c.name) && !c.dictionary) b = b.setColumnEncoding(c.name, w.Encoding.DELTA_BINARY_PACKED);
    // Dictionary pages for the repeated strings; plain pages elsewhere are smaller and faster here.
    if (c.dictionary) b = b.setColumnDictionaryEnabled(c.name, true);
  }
  return b.build();
}

export class WasmParquetWriter implements ChunkWriter {
  private waiting: ((p: Pending) => void) | null = null;
  private queued: Pending | null = null;
  /** What the encoder failed with, once it has. */
  private failure: { error: unknown } | null = null;
  private started: Promise<Encoder> | null = null;
  /** The IPC stream of the chunk being written (read into WebAssembly at once, so one serves every chunk). */
  private scratch = new Uint8Array(0);
  private pump: Promise<void> = Promise.resolve();

  constructor(
    private readonly sink: ByteSink,
    private readonly spec: TableSpec,
    private readonly options: ParquetOptions,
  ) {}

  /** Loads parquet-wasm on the first write: commands that write no Parquet never pay for it. */
  private start(): Promise<Encoder> {
    this.started ??= (async () => {
      const { IpcChunkEncoder } = await import('../arrow/ipc.js');
      const w = loadParquetWasm();
      // Made on the first chunk: the encoder thread's writers are given IPC streams and never need one.
      let encoder: InstanceType<typeof IpcChunkEncoder> | null = null;
      const input = new ReadableStream<WasmBatch>(
        {
          pull: async (controller) => {
            const next = await this.nextPending();
            next.taken();
            if (next.batch === null) controller.close();
            else controller.enqueue(next.batch);
          },
        },
        { highWaterMark: 0 },
      );
      this.pump = (async () => {
        const out = await w.transformParquetStream(input, properties(w, this.spec, this.options));
        const reader = out.getReader();
        for (;;) {
          const r = await reader.read();
          if (r.done) break;
          await this.sink.write(byteChunk(r.value));
        }
      })().catch((e: unknown) => {
        this.failure = { error: e };
        // Release a producer blocked on a batch the dead encoder will never take.
        const q = this.queued;
        this.queued = null;
        q?.taken();
      });
      return {
        chunk: (c: TableChunk) =>
          (encoder ??= new IpcChunkEncoder(this.spec)).encode(c, (size) => this.scratchOf(size)),
        read: (stream: Uint8Array) => {
          // Freed now, not when V8 collects its small JS wrapper (rarely, the JS heap staying small): the
          // WebAssembly memory of every table read would otherwise pile up over a long input.
          const table = w.Table.fromIPCStream(stream);
          const batches = table.recordBatches();
          table.free();
          return batches;
        },
      };
    })();
    return this.started;
  }

  async write(chunk: TableChunk): Promise<void> {
    const e = await this.start();
    await this.writeBatches(e.read(e.chunk(chunk)));
  }

  /** A chunk already encoded as an Arrow IPC stream (by arrow-ipc.ts, on another thread). */
  async writeIpc(stream: Uint8Array): Promise<void> {
    const e = await this.start();
    await this.writeBatches(e.read(stream));
  }

  private async writeBatches(batches: WasmBatch[]): Promise<void> {
    this.throwIfFailed();
    for (const b of batches) await this.offer(b);
    this.throwIfFailed();
  }

  /** A method, not inline: the failure may come while a caller awaits, which TypeScript's narrowing cannot see. */
  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  private scratchOf(size: number): Uint8Array {
    if (this.scratch.length < size) this.scratch = new Uint8Array(size + (size >> 2));
    return this.scratch;
  }

  async close(): Promise<void> {
    await this.start();
    await this.offer(null);
    await this.pump;
    this.throwIfFailed();
    await this.sink.close();
  }

  abort(): void {
    this.sink.abort();
  }

  private offer(batch: WasmBatch | null): Promise<void> {
    return new Promise<void>((taken) => {
      if (this.failure) {
        taken();
        return;
      }
      const p: Pending = { batch, taken };
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(p);
      } else {
        this.queued = p;
      }
    });
  }

  private nextPending(): Promise<Pending> {
    const q = this.queued;
    if (q) {
      this.queued = null;
      return Promise.resolve(q);
    }
    return new Promise<Pending>((resolve) => (this.waiting = resolve));
  }
}
