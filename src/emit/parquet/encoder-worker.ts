/**
 * The Parquet encoder thread of a conversion: it receives every table's chunks, encodes and compresses them
 * and sends the file bytes back, while the main thread goes on decoding. Files are written by the main
 * thread, so temporary names, renames and cleanup on a signal stay in one place.
 */
import { parentPort } from 'node:worker_threads';
import { ParquetFileEncoder } from './file-encoder.js';
import { ChunkUnpacker, type Reply, type Request } from './protocol.js';

const port = parentPort;
const encoders = new Map<number, { encoder: ParquetFileEncoder; out: Uint8Array[] }>();
const unpacker = new ChunkUnpacker();

function reply(r: Reply): void {
  const transfer: ArrayBuffer[] = [];
  if ('bytes' in r) for (const b of r.bytes) if (b.buffer instanceof ArrayBuffer) transfer.push(b.buffer);
  if (r.buffer) transfer.push(r.buffer);
  port?.postMessage(r, transfer);
}

function handle(m: Request): void {
  if (m.op === 'open') {
    const out: Uint8Array[] = [];
    const options = { metadata: new Map(m.metadata), createdBy: m.createdBy, codec: m.codec, rowGroupRows: m.rowGroupRows };
    encoders.set(m.id, { encoder: new ParquetFileEncoder(m.spec, options, (b) => out.push(b)), out });
    return;
  }
  const e = encoders.get(m.id);
  if (m.op === 'drop') {
    encoders.delete(m.id);
    return;
  }
  // The chunk's buffer goes back with the reply, whatever happens, to be filled again.
  const buffer = m.op === 'write' ? m.buffer : undefined;
  if (!e) {
    reply({ id: m.id, op: m.op, error: `no open encoder ${m.id}`, buffer });
    return;
  }
  try {
    if (m.op === 'write') e.encoder.write(unpacker.unpack(m.chunk, m.buffer));
    else {
      e.encoder.close();
      encoders.delete(m.id);
    }
    reply({ id: m.id, op: m.op, bytes: e.out.splice(0), buffer });
  } catch (err) {
    encoders.delete(m.id);
    reply({ id: m.id, op: m.op, error: err instanceof Error ? err.message : String(err), buffer });
  }
}

port?.on('message', handle);
