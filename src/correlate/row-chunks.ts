import type { StringTable } from '../decode/strings.js';
import {
  dictColumn, i64Column, intColumn, u64Column,
  type Column, type DictColumn, type I64Column, type IntColumn, type TableChunk, type U64Column,
} from '../normalise/columns.js';

/** A column of an output table as the correlate stage writes it; `schemas/<table>.json` names the same. */
export type OutColumnDef =
  | { name: string; type: 'int32' }
  | { name: string; type: 'int64' }
  | { name: string; type: 'uint64' }
  | { name: string; type: 'dict'; table: StringTable };

export type ChunkSink = (table: string, chunk: TableChunk) => void;

/**
 * Rows of one output table, written column by column into typed arrays and handed to the sink in chunks
 * of `capacity` rows. A handed-over chunk is never touched again, so the sink may keep it. Columns are
 * addressed by their position in `defs`; every value starts out null.
 */
export class RowChunks {
  private ints: IntColumn[] = [];
  private i64s: I64Column[] = [];
  private u64s: U64Column[] = [];
  private dicts: DictColumn[] = [];
  private length = 0;
  /** Arrays are allocated on a chunk's first row, so tables a trace never fills cost nothing. */
  private allocated = false;
  /** Rows handed to the sink so far. */
  emitted = 0;

  constructor(
    readonly table: string,
    readonly defs: readonly OutColumnDef[],
    private readonly capacity: number,
    private readonly sink: ChunkSink,
  ) {}

  /** Index of a new row in the current chunk; flushes first when the chunk is full. */
  row(): number {
    if (this.length === this.capacity) this.flush();
    if (!this.allocated) this.allocate();
    return this.length++;
  }

  int(c: number, r: number, v: number): void {
    const col = this.ints[c];
    col.values[r] = v;
    col.valid[r] = 1;
  }

  /** An int64 given as its two 32-bit words. */
  i64(c: number, r: number, lo: number, hi: number): void {
    const col = this.i64s[c];
    col.words[2 * r] = lo;
    col.words[2 * r + 1] = hi;
    col.valid[r] = 1;
  }

  /** An int64 given as a JS integer (counts, ids): exact for |v| < 2^53. */
  i64n(c: number, r: number, v: number): void {
    const hi = Math.floor(v / 4294967296);
    this.i64(c, r, (v - hi * 4294967296) >>> 0, hi >>> 0);
  }

  /** a - b of two int64 word pairs taken from word arrays at pair indexes ia and ib, exact. */
  i64Diff(c: number, r: number, a: Uint32Array, ia: number, b: Uint32Array, ib: number): void {
    const aLo = a[2 * ia];
    const bLo = b[2 * ib];
    const borrow = aLo < bLo ? 1 : 0;
    this.i64(c, r, (aLo - bLo) >>> 0, (a[2 * ia + 1] - b[2 * ib + 1] - borrow) >>> 0);
  }

  u64(c: number, r: number, lo: number, hi: number): void {
    const col = this.u64s[c];
    col.words[2 * r] = lo;
    col.words[2 * r + 1] = hi;
    col.valid[r] = 1;
  }

  /** A dictionary id of the column's table; -1 leaves it null. */
  dict(c: number, r: number, id: number): void {
    this.dicts[c].ids[r] = id;
  }

  /** Hands over the current chunk if it is full (the correlator calls this after each input batch). */
  flushIfFull(): void {
    if (this.length === this.capacity) this.flush();
  }

  flush(): void {
    if (this.length === 0) return;
    const columns: Record<string, Column> = {};
    this.defs.forEach((d, c) => {
      columns[d.name] = d.type === 'int32' ? this.ints[c] : d.type === 'int64' ? this.i64s[c] : d.type === 'uint64' ? this.u64s[c] : this.dicts[c];
    });
    const chunk: TableChunk = { length: this.length, columns };
    this.emitted += this.length;
    this.length = 0;
    this.allocated = false;
    this.sink(this.table, chunk);
  }

  private allocate(): void {
    this.allocated = true;
    const n = this.capacity;
    this.defs.forEach((d, c) => {
      switch (d.type) {
        case 'int32': this.ints[c] = intColumn(n); break;
        case 'int64': this.i64s[c] = i64Column(n); break;
        case 'uint64': this.u64s[c] = u64Column(n); break;
        case 'dict': this.dicts[c] = dictColumn(n, d.table); break;
      }
    });
  }
}
