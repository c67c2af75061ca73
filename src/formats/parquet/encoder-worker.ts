/**
 * The encoder thread of a conversion: Arrow batches and parquet-wasm for every table it is sent, the file
 * bytes back to the main thread, and each chunk's buffer back with its reply to be filled again.
 */
import { parentPort } from 'node:worker_threads';
import { detachEarly } from '../../core/detach.js';
import type { ByteSink } from '../byte-sink.js';
import { WasmParquetWriter } from './writer.js';
import type { Reply, Request } from './protocol.js';

const port = parentPort;
// Its WebAssembly memory will grow: see detach.ts.
detachEarly();

/** Collects what the writer emits until the next reply takes it. */
class Collector implements ByteSink {
  bytes = 0;
  out: Uint8Array[] = [];
  write(b: Uint8Array): void {
    this.out.push(b);
    this.bytes += b.length;
  }
  async close(): Promise<void> {
    // the main thread closes the real file
  }
  abort(): void {
    this.out = [];
  }
}

const writers = new Map<number, { writer: WasmParquetWriter; sink: Collector }>();
/**
 * Requests are handled one after another, in order: replies go back in the order they were asked. No
 * warm-up on made-up rows: with WebAssembly tiering up only its hot functions (bin/netdev-times.js), the
 * real chunks, already waiting, are the best warm-up (measured: same wall time, less memory).
 */
let queue: Promise<void> = Promise.resolve();

function reply(r: Reply): void {
  const transfer: ArrayBuffer[] = [];
  if ('bytes' in r)
    for (const b of r.bytes)
      if (b.buffer instanceof ArrayBuffer && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength)
        transfer.push(b.buffer);
  if (r.buffer) transfer.push(r.buffer);
  port?.postMessage(r, transfer);
}

async function handle(m: Request): Promise<void> {
  if (m.op === 'open') {
    const sink = new Collector();
    writers.set(m.id, {
      writer: new WasmParquetWriter(sink, m.spec, { metadata: new Map(m.metadata), rowGroupRows: m.rowGroupRows }),
      sink,
    });
    return;
  }
  const w = writers.get(m.id);
  if (m.op === 'drop') {
    writers.delete(m.id);
    return;
  }
  const buffer = m.op === 'write' ? m.buffer : undefined;
  if (!w) {
    reply({ id: m.id, op: m.op, error: `no open encoder ${m.id}`, buffer });
    return;
  }
  try {
    if (m.op === 'write') await w.writer.writeIpc(new Uint8Array(m.buffer, m.offset, m.length));
    else {
      await w.writer.close();
      writers.delete(m.id);
    }
    reply({ id: m.id, op: m.op, bytes: w.sink.out.splice(0), buffer });
  } catch (err) {
    writers.delete(m.id);
    reply({ id: m.id, op: m.op, error: err instanceof Error ? err.message : String(err), buffer });
  }
}

port?.on('message', (m: Request) => {
  queue = queue.then(() => handle(m));
});
