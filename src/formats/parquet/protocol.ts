/**
 * Messages between a conversion and its Parquet encoder thread (parquet-wasm, off the main thread). A
 * chunk goes over as the Arrow IPC stream it is for parquet-wasm anyway (arrow-ipc.ts, written straight
 * from the chunk's arrays on the main thread): its buffer is transferred, not copied, and comes back with
 * the reply to be filled again, so a long input allocates no more buffers than a short one.
 */
import type { TableSpec } from '../../tables/schema.js';

export type Request =
  | { op: 'open'; id: number; spec: TableSpec; metadata: [string, string][]; rowGroupRows?: number }
  /** The IPC stream is buffer[offset, offset + length). */
  | { op: 'write'; id: number; buffer: ArrayBuffer; offset: number; length: number }
  | { op: 'close'; id: number }
  | { op: 'drop'; id: number };

/** One reply per write and close, in order: the bytes encoded meanwhile (file order), or the failure; a write's buffer comes back. */
export type Reply =
  | { id: number; op: 'write' | 'close'; bytes: Uint8Array[]; buffer?: ArrayBuffer }
  | { id: number; op: 'write' | 'close'; error: string; buffer?: ArrayBuffer };

/** Buffers for the streams in flight, reused when the thread gives them back. */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];

  constructor(private readonly keep: number) {}

  /** A buffer of at least `size` bytes: the smallest free one that fits, or a new one. */
  take(size: number): ArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++)
      if (this.free[i].byteLength >= size && (best < 0 || this.free[i].byteLength < this.free[best].byteLength))
        best = i;
    if (best >= 0) return this.free.splice(best, 1)[0];
    // A quarter more than asked: the next chunk of the same table is rarely much larger.
    return new ArrayBuffer(Math.max(1 << 16, size + (size >> 2)));
  }

  give(b: ArrayBuffer): void {
    if (this.free.length < this.keep) this.free.push(b);
    else {
      // Keep the largest: a small one never serves the events table again.
      let smallest = 0;
      for (let i = 1; i < this.free.length; i++)
        if (this.free[i].byteLength < this.free[smallest].byteLength) smallest = i;
      if (this.free[smallest].byteLength < b.byteLength) this.free[smallest] = b;
    }
  }
}
