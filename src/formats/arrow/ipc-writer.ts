/**
 * Arrow IPC (file or stream format), uncompressed: apache-arrow 21's compressed IPC is rejected by other
 * readers. Bytes go to the sink as each batch is encoded, never gathered in memory.
 */
import type { RecordBatch, RecordBatchFileWriter, RecordBatchStreamWriter, Schema } from 'apache-arrow';
import { arrow } from './lib.js';
import type { ByteSink } from '../byte-sink.js';

/** A queue that hands each chunk straight to an array we drain after every write. */
class ForwardingQueue extends arrow.AsyncByteQueue {
  readonly pending: Uint8Array[] = [];
  override write(value: Uint8Array): void {
    if (value.byteLength > 0) this.pending.push(value);
  }
}

export class IpcTableWriter {
  private readonly queue = new ForwardingQueue();
  private readonly writer: RecordBatchFileWriter | RecordBatchStreamWriter;
  rows = 0;

  constructor(
    private readonly sink: ByteSink,
    schema: Schema,
    format: 'file' | 'stream',
  ) {
    this.writer = format === 'file' ? new arrow.RecordBatchFileWriter() : new arrow.RecordBatchStreamWriter();
    // Passing the schema writes it at once, so a table with no rows is still a valid file.
    this.writer.reset(this.queue, schema);
  }

  async write(batch: RecordBatch): Promise<void> {
    this.writer.write(batch);
    this.rows += batch.numRows;
    await this.drain();
  }

  async close(): Promise<void> {
    this.writer.finish();
    await this.drain();
    await this.sink.close();
  }

  abort(): void {
    this.sink.abort();
  }

  private async drain(): Promise<void> {
    const chunks = this.queue.pending.splice(0);
    for (const c of chunks) await this.sink.write(c);
  }
}
