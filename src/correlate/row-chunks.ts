import { dictColumn, i64Column, intColumn, u64Column, type Column, type TableChunk } from '../core/columns.js';

import type { OutColumnDef } from '../tables/column-def.js';

export type ChunkSink = (table: string, chunk: TableChunk) => void;

export const enum Fill {
  Int,
  Dict,
  Pair,
  Diff,
}

/**
 * How one output column is filled from a record pool: `src[id]` (Int, Dict) or the word pair at id (Pair),
 * or src - minus of two word pairs (Diff), for records whose flags have every bit of `need`.
 */
export interface FillSpec {
  column: number;
  fill: Fill;
  src: Int32Array;
  minus: Int32Array;
  need: number;
}

const NO_WORDS = new Int32Array(0);

/** The only place a FillSpec is made (one hidden class). */
export function fillSpec(
  column: number,
  fill: Fill,
  src: Int32Array,
  need: number,
  minus: Int32Array = NO_WORDS,
): FillSpec {
  return { column, fill, src, minus, need };
}

/** Flips the sign bit: unsigned order of int32 words becomes signed order. */
const SIGN = -0x80000000;
const NONE_I32 = new Int32Array(0);
const NONE_U8 = new Uint8Array(0);
/** Rows a table's first chunk is allocated for (see RowChunks.makeRoom). */
const FIRST_ROWS = 1024;

/**
 * Rows of one output table, written column by column into typed arrays and handed to the sink in chunks
 * of `capacity` rows. A handed-over chunk is never touched again, so the sink may keep it. Columns are
 * addressed by their position in `defs`; every value starts out null.
 *
 * Each column is written through one Int32Array (int32 values, the words of an int64/uint64 through a
 * view of the same bytes, dictionary ids) and one validity array, so every writer is a store or two into
 * arrays of one kind, whatever the column's type. Word pairs are int32 (see BatchView): the same bits.
 */
export class RowChunks {
  private data: Int32Array[] = [];
  private valid: Uint8Array[] = [];
  private columns: Column[] = [];
  private length = 0;
  /**
   * Rows the current chunk's arrays hold; 0 until its first row, so tables a trace never fills cost nothing.
   * The first chunk's grow as rows come, up to the capacity.
   */
  private rows = 0;
  /** Rows handed to the sink so far. */
  emitted = 0;

  constructor(
    readonly table: string,
    readonly defs: readonly OutColumnDef[],
    private readonly capacity: number,
    private readonly sink: ChunkSink,
    /** The sink keeps no chunk past its call: the arrays serve the next chunk (see CorrelatorOptions). */
    private readonly reuse = false,
  ) {
    for (let c = 0; c < defs.length; c++) {
      this.data.push(NONE_I32);
      this.valid.push(NONE_U8);
    }
  }

  /** Index of a new row in the current chunk; flushes first when the chunk is full. */
  row(): number {
    if (this.length === this.capacity) this.flush();
    if (this.length === this.rows) this.makeRoom(this.length + 1);
    return this.length++;
  }

  int(c: number, r: number, v: number): void {
    this.data[c][r] = v;
    this.valid[c][r] = 1;
  }

  /** An int64 given as its two 32-bit words. */
  i64(c: number, r: number, lo: number, hi: number): void {
    const w = this.data[c];
    w[2 * r] = lo;
    w[2 * r + 1] = hi;
    this.valid[c][r] = 1;
  }

  /** An int64 word pair copied from index `k` of a word-pair array. */
  i64At(c: number, r: number, src: Int32Array, k: number): void {
    const w = this.data[c];
    w[2 * r] = src[2 * k];
    w[2 * r + 1] = src[2 * k + 1];
    this.valid[c][r] = 1;
  }

  /** An int64 given as a JS integer (counts, ids): exact for |v| < 2^53. */
  i64n(c: number, r: number, v: number): void {
    const hi = Math.floor(v / 4294967296);
    this.i64(c, r, (v - hi * 4294967296) | 0, hi | 0);
  }

  /** a - b of two int64 word pairs taken from word arrays at pair indexes ia and ib, exact. */
  i64Diff(c: number, r: number, a: Int32Array, ia: number, b: Int32Array, ib: number): void {
    const aLo = a[2 * ia];
    const bLo = b[2 * ib];
    const borrow = (aLo ^ SIGN) < (bLo ^ SIGN) ? 1 : 0;
    this.i64(c, r, (aLo - bLo) | 0, (a[2 * ia + 1] - b[2 * ib + 1] - borrow) | 0);
  }

  /** A uint64 (addresses) given as its two 32-bit words. */
  u64(c: number, r: number, lo: number, hi: number): void {
    this.i64(c, r, lo, hi);
  }

  /** A uint64 word pair copied from index `k` of a word-pair array. */
  u64At(c: number, r: number, src: Int32Array, k: number): void {
    this.i64At(c, r, src, k);
  }

  /** A dictionary id of the column's table; -1 leaves it null. */
  dict(c: number, r: number, id: number): void {
    this.data[c][r] = id;
  }

  /** Rows the current chunk can still take before it must be handed over. */
  room(): number {
    return this.capacity - this.length;
  }

  /** Appends n rows (at most `room()`, which must be positive) and returns the first one's index. */
  take(n: number): number {
    if (this.length + n > this.rows) this.makeRoom(this.length + n);
    const r0 = this.length;
    this.length += n;
    return r0;
  }

  /*
   * Column-wise fills of rows r0 .. r0 + n - 1 from records ids[0 .. n): row r0 + k gets the value of record
   * ids[k], if flags[ids[k]] has every bit of `need` (0: always). One tight loop per column instead of a
   * call per cell.
   */

  fillInt(c: number, r0: number, ids: Int32Array, n: number, src: Int32Array, flags: Uint8Array, need: number): void {
    const dst = this.data[c];
    const valid = this.valid[c];
    for (let k = 0; k < n; k++) {
      const id = ids[k];
      if ((flags[id] & need) !== need) continue;
      dst[r0 + k] = src[id];
      valid[r0 + k] = 1;
    }
  }

  fillDict(c: number, r0: number, ids: Int32Array, n: number, src: Int32Array, flags: Uint8Array, need: number): void {
    const dst = this.data[c];
    for (let k = 0; k < n; k++) {
      const id = ids[k];
      if ((flags[id] & need) === need) dst[r0 + k] = src[id];
    }
  }

  /** An int64 or uint64 column from word pairs. */
  fillPair(c: number, r0: number, ids: Int32Array, n: number, src: Int32Array, flags: Uint8Array, need: number): void {
    const dst = this.data[c];
    const valid = this.valid[c];
    for (let k = 0; k < n; k++) {
      const id = ids[k];
      if ((flags[id] & need) !== need) continue;
      const r = r0 + k;
      dst[2 * r] = src[2 * id];
      dst[2 * r + 1] = src[2 * id + 1];
      valid[r] = 1;
    }
  }

  /** An int64 column of a - b, both word pairs of the record, exact. */
  fillDiff(
    c: number,
    r0: number,
    ids: Int32Array,
    n: number,
    a: Int32Array,
    b: Int32Array,
    flags: Uint8Array,
    need: number,
  ): void {
    const dst = this.data[c];
    const valid = this.valid[c];
    for (let k = 0; k < n; k++) {
      const id = ids[k];
      if ((flags[id] & need) !== need) continue;
      const r = r0 + k;
      const aLo = a[2 * id];
      const bLo = b[2 * id];
      const borrow = (aLo ^ SIGN) < (bLo ^ SIGN) ? 1 : 0;
      dst[2 * r] = (aLo - bLo) | 0;
      dst[2 * r + 1] = (a[2 * id + 1] - b[2 * id + 1] - borrow) | 0;
      valid[r] = 1;
    }
  }

  /**
   * Fills every column of `specs` for rows r0 .. r0 + n - 1. One call site per kind of fill: V8 inlines
   * each once here rather than once per column in the caller, which kept the callers' optimized code
   * (and its compile time, paid on the first pass) several times larger.
   */
  fillAll(specs: readonly FillSpec[], r0: number, ids: Int32Array, n: number, flags: Uint8Array): void {
    for (let s = 0; s < specs.length; s++) {
      const f = specs[s];
      switch (f.fill) {
        case Fill.Int:
          this.fillInt(f.column, r0, ids, n, f.src, flags, f.need);
          break;
        case Fill.Dict:
          this.fillDict(f.column, r0, ids, n, f.src, flags, f.need);
          break;
        case Fill.Pair:
          this.fillPair(f.column, r0, ids, n, f.src, flags, f.need);
          break;
        case Fill.Diff:
          this.fillDiff(f.column, r0, ids, n, f.src, f.minus, flags, f.need);
          break;
      }
    }
  }

  /** Hands over the current chunk if it is full (the correlator calls this after each input batch). */
  flushIfFull(): void {
    if (this.length === this.capacity) this.flush();
  }

  flush(): void {
    if (this.length === 0) return;
    const columns: Record<string, Column> = {};
    for (let c = 0; c < this.defs.length; c++) columns[this.defs[c].name] = this.columns[c];
    const chunk: TableChunk = { length: this.length, columns };
    this.emitted += this.length;
    const n = this.length;
    this.length = 0;
    this.sink(this.table, chunk);
    if (this.reuse) this.clear(n);
    else this.rows = 0;
  }

  /** Rows 0 .. n - 1 back to null, as a new chunk's: every value 0, every dictionary id -1. */
  private clear(n: number): void {
    for (let c = 0; c < this.defs.length; c++) {
      const d = this.defs[c];
      if (d.type === 'dict') this.data[c].fill(-1, 0, n);
      else {
        this.data[c].fill(0, 0, d.type === 'int32' ? n : 2 * n);
        this.valid[c].fill(0, 0, n);
      }
    }
  }

  /**
   * Arrays for at least `need` rows of the current chunk. The first chunk starts at FIRST_ROWS rows and grows:
   * a short trace's tables then cost a few pages, not a chunk's worth each (six tables of 16384 rows: ~2,500
   * fresh pages, 30-40 ms of a small report's start on this VM). Once one chunk was handed over, the next
   * ones are allocated whole.
   */
  private makeRoom(need: number): void {
    if (this.rows === 0)
      this.resize(this.emitted > 0 ? this.capacity : Math.min(this.capacity, Math.max(need, FIRST_ROWS)), 0);
    else this.resize(Math.min(this.capacity, Math.max(need, 2 * this.rows)), this.length);
  }

  /** New arrays of `rows` rows for every column (all null), the first `keep` rows copied from the current ones. */
  private resize(rows: number, keep: number): void {
    for (let c = 0; c < this.defs.length; c++) {
      const d = this.defs[c];
      const old = this.data[c];
      const oldValid = this.valid[c];
      switch (d.type) {
        case 'int32': {
          const col = intColumn(rows);
          this.columns[c] = col;
          this.data[c] = col.values;
          this.valid[c] = col.valid;
          break;
        }
        case 'int64':
        case 'uint64': {
          const col = d.type === 'int64' ? i64Column(rows) : u64Column(rows);
          this.columns[c] = col;
          this.data[c] = new Int32Array(col.words.buffer, col.words.byteOffset, col.words.length);
          this.valid[c] = col.valid;
          break;
        }
        case 'dict': {
          const col = dictColumn(rows, d.table);
          this.columns[c] = col;
          this.data[c] = col.ids;
          this.valid[c] = NONE_U8;
          break;
        }
      }
      if (keep > 0) {
        this.data[c].set(old.subarray(0, d.type === 'int64' || d.type === 'uint64' ? 2 * keep : keep));
        if (d.type !== 'dict') this.valid[c].set(oldValid.subarray(0, keep));
      }
    }
    this.rows = rows;
  }
}

/**
 * Records whose rows are final but not yet written, in row order: their owner writes them column-wise
 * (RowChunks.fill*) once per input batch, or sooner when the chunk has no room for another (count ===
 * rows.room()). At most a chunk's worth, so the records they hold stay bounded.
 */
export class PendingRows {
  ids = new Int32Array(64);
  count = 0;

  constructor(readonly rows: RowChunks) {}

  add(id: number): void {
    if (this.count === this.ids.length) this.grow();
    this.ids[this.count++] = id;
  }

  /** Writes the queued rows column by column (`flags`: the records' flags) and frees their records. */
  write(specs: readonly FillSpec[], flags: Uint8Array, records: { release(id: number): void }): void {
    const n = this.count;
    if (n === 0) return;
    const rows = this.rows;
    const ids = this.ids;
    rows.fillAll(specs, rows.take(n), ids, n, flags);
    for (let k = 0; k < n; k++) records.release(ids[k]);
    this.count = 0;
  }

  private grow(): void {
    const ids = new Int32Array(this.ids.length * 2);
    ids.set(this.ids);
    this.ids = ids;
  }
}
