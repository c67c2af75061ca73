/**
 * Messages between a conversion and its Parquet encoder thread (which builds the Arrow batches and runs
 * parquet-wasm, off the main thread). A chunk's columns are copied into one
 * buffer (rows [0, length) only; of a raw-payload column only the kept spans), the buffer is transferred,
 * and it comes back with the reply to be filled again: one allocation per buffer in the pool instead of
 * dozens of arrays per chunk left for two garbage collectors, so memory stays flat however long the input.
 * A dictionary column names its StringTable by a number and carries only the values added since that
 * table was last sent.
 */
import { StringTable } from '../../decode/strings.js';
import type { Column, TableChunk } from '../../normalise/columns.js';
import type { TableSpec } from '../schema.js';

/** Where one column's arrays are in the buffer (byte offsets), and what is not in it (strings). */
export type Slot =
  | { kind: 'int32'; values: number; valid: number }
  | { kind: 'int64' | 'uint64'; values: number; valid: number }
  | { kind: 'dict'; ids: number; table: number; added: string[] }
  | { kind: 'utf8'; values: (string | null)[] }
  | { kind: 'utf8_spans'; bytes: number; byteLength: number; start: number; end: number; valid: number }
  | { kind: 'list_utf8'; start: number; end: number; valid: number; items: string[] };

export interface PackedChunk {
  length: number;
  columns: Record<string, Slot>;
}

export type Request =
  | { op: 'open'; id: number; spec: TableSpec; metadata: [string, string][]; rowGroupRows?: number }
  | { op: 'write'; id: number; chunk: PackedChunk; buffer: ArrayBuffer }
  | { op: 'close'; id: number }
  | { op: 'drop'; id: number };

/** One reply per write and close, in order: the bytes encoded meanwhile (file order), or the failure; a write's buffer comes back. */
export type Reply =
  | { id: number; op: 'write' | 'close'; bytes: Uint8Array[]; buffer?: ArrayBuffer }
  | { id: number; op: 'write' | 'close'; error: string; buffer?: ArrayBuffer };

const align8 = (n: number): number => (n + 7) & ~7;

/** Bytes a column takes in the buffer (each array 8-aligned). */
function sizeOf(col: Column, n: number): number {
  switch (col.kind) {
    case 'int32': return align8(4 * n) + align8(n);
    case 'int64':
    case 'uint64': return 8 * n + align8(n);
    case 'dict': return align8(4 * n);
    case 'utf8': return 0;
    case 'utf8_spans': {
      let bytes = 0;
      for (let i = 0; i < n; i++) if (col.valid[i]) bytes += col.end[i] - col.start[i];
      return align8(bytes) + 2 * align8(4 * n) + align8(n);
    }
    case 'list_utf8': return 2 * align8(4 * n) + align8(n);
  }
}

/** Main side: packs chunks into pooled buffers; numbers the StringTables and remembers how much of each the thread has. */
export class ChunkPacker {
  private readonly refs = new Map<StringTable, { ref: number; sent: number }>();
  private readonly pool: ArrayBuffer[] = [];

  /** A buffer back from the thread, to be filled again. */
  give(b: ArrayBuffer): void {
    if (this.pool.length < 8) this.pool.push(b);
  }

  private buffer(size: number): ArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.pool.length; i++) if (this.pool[i].byteLength >= size && (best < 0 || this.pool[i].byteLength < this.pool[best].byteLength)) best = i;
    if (best >= 0) return this.pool.splice(best, 1)[0];
    // Rounded up so that a buffer serves chunks of slightly different sizes again.
    return new ArrayBuffer(Math.max(1 << 16, 2 ** Math.ceil(Math.log2(size))));
  }

  pack(chunk: TableChunk): { chunk: PackedChunk; buffer: ArrayBuffer } {
    const n = chunk.length;
    let size = 0;
    for (const col of Object.values(chunk.columns)) size += sizeOf(col, n);
    const buffer = this.buffer(size);
    const bytes = new Uint8Array(buffer);
    let at = 0;
    /** Copies `a`'s first `count` elements to the buffer; returns their byte offset. */
    const put = (a: Int32Array | BigInt64Array | BigUint64Array | Uint8Array, count: number): number => {
      const off = at;
      bytes.set(new Uint8Array(a.buffer, a.byteOffset, count * a.BYTES_PER_ELEMENT), off);
      at = align8(off + count * a.BYTES_PER_ELEMENT);
      return off;
    };
    const columns: Record<string, Slot> = {};
    for (const [name, col] of Object.entries(chunk.columns)) {
      switch (col.kind) {
        case 'int32': columns[name] = { kind: 'int32', values: put(col.values, n), valid: put(col.valid, n) }; break;
        case 'int64':
        case 'uint64': columns[name] = { kind: col.kind, values: put(col.values, n), valid: put(col.valid, n) }; break;
        case 'dict': {
          let r = this.refs.get(col.table);
          if (!r) {
            r = { ref: this.refs.size + 1, sent: 0 };
            this.refs.set(col.table, r);
          }
          const size = col.table.size;
          const added = r.sent < size ? col.table.values.slice(r.sent, size) : [];
          r.sent = size;
          columns[name] = { kind: 'dict', ids: put(col.ids, n), table: r.ref, added };
          break;
        }
        case 'utf8': columns[name] = { kind: 'utf8', values: col.values.slice(0, n) }; break;
        case 'utf8_spans': {
          // Only the kept payloads, back to back, with spans rebased on them.
          const from = Buffer.from(col.arena.buffer, col.arena.byteOffset, col.arena.length);
          const to = Buffer.from(buffer);
          const start = new Int32Array(n);
          const end = new Int32Array(n);
          const base = at;
          let p = base;
          for (let i = 0; i < n; i++) {
            start[i] = p - base;
            if (col.valid[i]) p += from.copy(to, p, col.start[i], col.end[i]);
            end[i] = p - base;
          }
          at = align8(p);
          columns[name] = { kind: 'utf8_spans', bytes: base, byteLength: p - base, start: put(start, n), end: put(end, n), valid: put(col.valid, n) };
          break;
        }
        case 'list_utf8': {
          const items: string[] = [];
          const start = new Int32Array(n);
          const end = new Int32Array(n);
          for (let i = 0; i < n; i++) {
            start[i] = items.length;
            if (col.valid[i]) for (let k = col.start[i]; k < col.end[i]; k++) items.push(col.items[k]);
            end[i] = items.length;
          }
          columns[name] = { kind: 'list_utf8', start: put(start, n), end: put(end, n), valid: put(col.valid, n), items };
          break;
        }
      }
    }
    return { chunk: { length: n, columns }, buffer };
  }
}

/** Thread side: views of the buffer as columns; StringTables rebuilt from their additions in order, so ids match. */
export class ChunkUnpacker {
  private readonly tables = new Map<number, StringTable>();

  unpack(p: PackedChunk, buffer: ArrayBuffer): TableChunk {
    const n = p.length;
    const columns: Record<string, Column> = {};
    const i32 = (off: number, count: number): Int32Array => new Int32Array(buffer, off, count);
    const u8 = (off: number, count: number): Uint8Array => new Uint8Array(buffer, off, count);
    for (const [name, s] of Object.entries(p.columns)) {
      switch (s.kind) {
        case 'int32': columns[name] = { kind: 'int32', values: i32(s.values, n), valid: u8(s.valid, n) }; break;
        case 'int64': {
          const values = new BigInt64Array(buffer, s.values, n);
          columns[name] = { kind: 'int64', values, words: new Uint32Array(buffer, s.values, 2 * n), valid: u8(s.valid, n) };
          break;
        }
        case 'uint64': {
          const values = new BigUint64Array(buffer, s.values, n);
          columns[name] = { kind: 'uint64', values, words: new Uint32Array(buffer, s.values, 2 * n), valid: u8(s.valid, n) };
          break;
        }
        case 'dict': {
          let t = this.tables.get(s.table);
          if (!t) {
            t = new StringTable();
            this.tables.set(s.table, t);
          }
          for (const v of s.added) t.idOf(v);
          columns[name] = { kind: 'dict', ids: i32(s.ids, n), table: t };
          break;
        }
        case 'utf8': columns[name] = { kind: 'utf8', values: s.values }; break;
        case 'utf8_spans': columns[name] = { kind: 'utf8_spans', arena: u8(s.bytes, s.byteLength), start: i32(s.start, n), end: i32(s.end, n), valid: u8(s.valid, n) }; break;
        case 'list_utf8': columns[name] = { kind: 'list_utf8', start: i32(s.start, n), end: i32(s.end, n), valid: u8(s.valid, n), items: s.items }; break;
      }
    }
    return { length: n, columns };
  }
}
