/**
 * Messages between a conversion and its Parquet encoder thread. Chunks cross as they are, typed arrays
 * transferred (not copied) when the sender owns them; a dictionary column names its StringTable by a
 * number and carries only the values added to it since that table was last sent.
 */
import { StringTable } from '../../decode/strings.js';
import type { Column, DictColumn, TableChunk } from '../../normalise/columns.js';
import type { TableSpec } from '../schema.js';
import type { Codec } from './file-encoder.js';

export interface WireDict {
  kind: 'dict';
  ids: Int32Array;
  table: number;
  added: string[];
}

export type WireColumn = Exclude<Column, DictColumn> | WireDict;

export interface WireChunk {
  length: number;
  columns: Record<string, WireColumn>;
}

export type Request =
  | { op: 'open'; id: number; spec: TableSpec; metadata: [string, string][]; createdBy: string; codec: Codec; rowGroupRows?: number }
  | { op: 'write'; id: number; chunk: WireChunk }
  | { op: 'close'; id: number }
  | { op: 'drop'; id: number };

/** One reply per write and close, in order: the bytes encoded meanwhile (file order), or the failure. */
export type Reply =
  | { id: number; op: 'write' | 'close'; bytes: Uint8Array[] }
  | { id: number; op: 'write' | 'close'; error: string };

/** Main side: numbers the StringTables it sends and remembers how much of each the thread has. */
export class TableRegistry {
  private readonly refs = new Map<StringTable, { ref: number; sent: number }>();

  toWire(chunk: TableChunk): WireChunk {
    const columns: Record<string, WireColumn> = {};
    for (const [name, col] of Object.entries(chunk.columns)) {
      if (col.kind !== 'dict') {
        columns[name] = col;
        continue;
      }
      let r = this.refs.get(col.table);
      if (!r) {
        r = { ref: this.refs.size + 1, sent: 0 };
        this.refs.set(col.table, r);
      }
      const size = col.table.size;
      const added = r.sent < size ? col.table.values.slice(r.sent, size) : [];
      r.sent = size;
      columns[name] = { kind: 'dict', ids: col.ids, table: r.ref, added };
    }
    return { length: chunk.length, columns };
  }
}

/** Thread side: rebuilds the StringTables from their additions, in the same order, so ids match. */
export class TableMirror {
  private readonly tables = new Map<number, StringTable>();

  fromWire(w: WireChunk): TableChunk {
    const columns: Record<string, Column> = {};
    for (const [name, col] of Object.entries(w.columns)) {
      if (col.kind !== 'dict') {
        columns[name] = col;
        continue;
      }
      let t = this.tables.get(col.table);
      if (!t) {
        t = new StringTable();
        this.tables.set(col.table, t);
      }
      for (const s of col.added) t.idOf(s);
      columns[name] = { kind: 'dict', ids: col.ids, table: t };
    }
    return { length: w.length, columns };
  }
}

/** The distinct buffers under a chunk's typed arrays: what a transfer hands over. */
export function buffersOf(w: WireChunk): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (a: { buffer: ArrayBufferLike }): void => {
    if (a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  };
  for (const col of Object.values(w.columns)) {
    switch (col.kind) {
      case 'int32': add(col.values); add(col.valid); break;
      case 'int64':
      case 'uint64': add(col.values); add(col.valid); break;
      case 'dict': add(col.ids); break;
      case 'utf8': break;
      case 'utf8_spans': add(col.arena); add(col.start); add(col.end); add(col.valid); break;
      case 'list_utf8': add(col.start); add(col.end); add(col.valid); break;
    }
  }
  return [...out];
}
