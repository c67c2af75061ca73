/** One table written to one or more files (Parquet, Arrow IPC), batch by batch. */
import { join } from 'node:path';
import type { TableChunk } from '../normalise/columns.js';
import { ArrowBatchBuilder } from './arrow-batch.js';
import { FileSink, type ByteSink } from './byte-sink.js';
import { IpcTableWriter } from './ipc-writer.js';
import { ParquetTableWriter } from './parquet-writer.js';
import { SCHEMA_VERSION_KEY, TABLE_KEY, tableSpec, type TableSpec } from './schema.js';

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
  builder: ArrowBatchBuilder;
  writer: ParquetTableWriter | IpcTableWriter;
  sink: ByteSink;
}

export class TableOutput {
  readonly spec: TableSpec;
  private readonly targets: Target[] = [];
  rows = 0;

  constructor(table: string) {
    this.spec = tableSpec(table);
  }

  /** Adds `<dir>/<table>.parquet` and/or `.arrow`. */
  toFiles(dir: string, formats: readonly OutputFormat[], fileName = this.spec.table): this {
    for (const format of formats) {
      const path = join(dir, `${fileName}.${format}`);
      this.add(format, path, new FileSink(path));
    }
    return this;
  }

  /** Adds an Arrow IPC stream to any sink (stdout for `-o -`). */
  toStream(sink: ByteSink, label: string): this {
    this.add('arrow-stream', label, sink);
    return this;
  }

  private add(format: WrittenFile['format'], path: string, sink: ByteSink): void {
    const builder = new ArrowBatchBuilder(this.spec, format === 'parquet' ? 'single' : 'delta');
    const metadata = new Map([[SCHEMA_VERSION_KEY, this.spec.version], [TABLE_KEY, this.spec.table]]);
    const writer = format === 'parquet'
      ? new ParquetTableWriter(sink, { metadata })
      : new IpcTableWriter(sink, builder.schema, format === 'arrow' ? 'file' : 'stream');
    this.targets.push({ format, path, builder, writer, sink });
  }

  async write(chunk: TableChunk): Promise<void> {
    if (chunk.length === 0) return;
    for (const t of this.targets) await t.writer.write(t.builder.build(chunk));
    this.rows += chunk.length;
  }

  async close(): Promise<WrittenFile[]> {
    const out: WrittenFile[] = [];
    for (const t of this.targets) {
      await t.writer.close();
      out.push({ table: this.spec.table, format: t.format, path: t.path, rows: this.rows, bytes: t.sink.bytes });
    }
    return out;
  }

  abort(): void {
    for (const t of this.targets) t.writer.abort();
  }
}
