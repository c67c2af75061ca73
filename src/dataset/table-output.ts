/** One table written to one or more files (Parquet, Arrow IPC), batch by batch. */
import { join } from 'node:path';
import { StringTable } from '../core/strings.js';
import { dictColumn, i64Column, intColumn, u64Column, type Column, type TableChunk } from '../core/columns.js';
import { FileSink, type ByteSink, type CommitGroup } from '../formats/byte-sink.js';
import type { EncoderThread } from '../formats/parquet/encoder-thread.js';
import { WasmParquetWriter, type ChunkWriter } from '../formats/parquet/writer.js';
import { SCHEMA_VERSION_KEY, TABLE_KEY, tableSpec, type TableSpec } from '../tables/schema.js';

/** Zero rows of a table, with a column of the right kind for each schema column. */
export function emptyChunk(spec: TableSpec): TableChunk {
  const columns: Record<string, Column> = {};
  for (const c of spec.columns) {
    const e = new Uint8Array(0);
    switch (c.type) {
      case 'int32':
        columns[c.name] = intColumn(0);
        break;
      case 'int64':
        columns[c.name] = i64Column(0);
        break;
      case 'uint64':
        columns[c.name] = u64Column(0);
        break;
      case 'utf8':
        columns[c.name] = c.dictionary ? dictColumn(0, new StringTable()) : { kind: 'utf8', values: [] };
        break;
      case 'list<utf8>':
        columns[c.name] = { kind: 'list_utf8', start: new Int32Array(0), end: new Int32Array(0), items: [], valid: e };
        break;
    }
  }
  return { length: 0, columns };
}

export type OutputFormat = 'parquet' | 'arrow';

export interface WrittenFile {
  table: string;
  format: OutputFormat | 'arrow-stream';
  path: string;
  rows: number;
  bytes: number;
}

interface Target {
  format: WrittenFile['format'];
  path: string;
  writer: ChunkWriter;
  sink: ByteSink;
}

/**
 * Arrow IPC through apache-arrow, loaded only when an Arrow file or stream is asked for: the default
 * (Parquet) conversion never pays for loading it.
 */
class ArrowWriter implements ChunkWriter {
  private impl: Promise<{ write(c: TableChunk): Promise<void>; close(): Promise<void> }> | null = null;

  constructor(
    private readonly spec: TableSpec,
    private readonly sink: ByteSink,
    private readonly kind: 'file' | 'stream',
  ) {}

  private load(): Promise<{ write(c: TableChunk): Promise<void>; close(): Promise<void> }> {
    this.impl ??= (async () => {
      const [{ ArrowBatchBuilder }, { IpcTableWriter }] = await Promise.all([
        import('../formats/arrow/batch.js'),
        import('../formats/arrow/ipc-writer.js'),
      ]);
      const builder = new ArrowBatchBuilder(this.spec, 'delta');
      const writer = new IpcTableWriter(this.sink, builder.schema, this.kind);
      return { write: (c: TableChunk) => writer.write(builder.build(c)), close: () => writer.close() };
    })();
    return this.impl;
  }

  async write(chunk: TableChunk): Promise<void> {
    await (await this.load()).write(chunk);
  }

  async close(): Promise<void> {
    await (await this.load()).close();
  }

  abort(): void {
    this.sink.abort();
  }
}

export class TableOutput {
  readonly spec: TableSpec;
  private readonly targets: Target[] = [];
  rows = 0;

  /** `encoder`: the conversion's Parquet encoder thread; without one, Parquet is encoded in this thread. */
  /**
   * `encoder`: the conversion's Parquet encoder thread; without one, Parquet is encoded in this thread.
   * `metadata`: more key-value metadata for every Parquet file (what a recording says of itself).
   */
  constructor(
    table: string,
    private readonly encoder: EncoderThread | null = null,
    private readonly metadata: ReadonlyMap<string, string> = new Map(),
  ) {
    this.spec = tableSpec(table);
  }

  /** Adds `<dir>/<table>.parquet` and/or `.arrow` (renamed into place by `group`'s commit, when given). */
  toFiles(dir: string, formats: readonly OutputFormat[], fileName = this.spec.table, group?: CommitGroup): this {
    for (const format of formats) {
      const path = join(dir, `${fileName}.${format}`);
      this.add(format, path, new FileSink(path, group));
    }
    return this;
  }

  /** Adds an Arrow IPC stream to any sink (stdout for `-o -`). */
  toStream(sink: ByteSink, label: string): this {
    this.add('arrow-stream', label, sink);
    return this;
  }

  private add(format: WrittenFile['format'], path: string, sink: ByteSink): void {
    let writer: ChunkWriter;
    if (format === 'parquet') {
      const options = {
        metadata: new Map([[SCHEMA_VERSION_KEY, this.spec.version], [TABLE_KEY, this.spec.table], ...this.metadata]),
      };
      writer = this.encoder
        ? this.encoder.open(sink, this.spec, options)
        : new WasmParquetWriter(sink, this.spec, options);
    } else {
      writer = new ArrowWriter(this.spec, sink, format === 'arrow' ? 'file' : 'stream');
    }
    this.targets.push({ format, path, writer, sink });
  }

  /** The chunk is read (copied, encoded or written) before this resolves: the caller may then reuse its arrays. */
  async write(chunk: TableChunk): Promise<void> {
    if (chunk.length === 0) return;
    this.rows += chunk.length;
    for (const t of this.targets) await t.writer.write(chunk);
  }

  async close(): Promise<WrittenFile[]> {
    const out: WrittenFile[] = [];
    for (const t of this.targets) {
      // A table with no rows is still a file with the table's schema.
      if (this.rows === 0) await t.writer.write(emptyChunk(this.spec));
      await t.writer.close();
      out.push({ table: this.spec.table, format: t.format, path: t.path, rows: this.rows, bytes: t.sink.bytes });
    }
    return out;
  }

  abort(): void {
    for (const t of this.targets) t.writer.abort();
  }
}
