/**
 * Integer columns. int32 and uint64 try a dictionary first (CPUs, lengths, device pointers repeat a lot) and
 * fall back for the rest of the chunk when it passes DICT_LIMIT entries (int32 to DELTA_BINARY_PACKED, uint64
 * to PLAIN); int64 columns are times, so DELTA_BINARY_PACKED. A column that fell back once goes straight to
 * its fallback in every later row group. Statistics: null count, min and max in the column's own order.
 */
import type { Column } from '../../normalise/columns.js';
import { deltaInt32, deltaInt64 } from './delta.js';
import { endPage, Encoding, NullInRequiredColumn, pageOut, startPage, writeDefLevels, type ChunkResult, type ColumnEncoder, type Page } from './pages.js';
import { bitWidth, encodeIds, indexOfByte, memchrView } from './rle.js';
import { idsScratch, idxScratch } from './scratch.js';
import { ByteWriter } from './bytes.js';
import { ValueDict } from './value-dict.js';

const DICT_LIMIT = 16384;

function le32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  return b;
}

function le64(lo: number, hi: number): Uint8Array {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, lo >>> 0, true);
  dv.setUint32(4, hi >>> 0, true);
  return b;
}

function wrongKind(name: string, want: string, col: Column): Error {
  return new Error(`column ${name}: produced as ${col.kind}, the schema says ${want}`);
}

/**
 * Writes the page's definition levels (nullable columns) and finds its non-null rows: none, all (idx null:
 * row from + k), or some (gathered into idx). memchr tells the first two apart without a loop. A required
 * column is checked for nulls the same way.
 */
function levelsAndIndex(name: string, nullable: boolean, valid: Uint8Array, from: number, to: number, idx: Int32Array): { n: number; idx: Int32Array | null } {
  const out = startPage();
  const view = memchrView(valid);
  const firstNull = indexOfByte(view, 0, from, to);
  if (!nullable) {
    if (firstNull < to) throw new NullInRequiredColumn(name);
    return { n: to - from, idx: null };
  }
  writeDefLevels(out, valid, from, to);
  if (firstNull >= to) return { n: to - from, idx: null };
  if (indexOfByte(view, 1, from, to) >= to) return { n: 0, idx: null };
  let k = 0;
  for (let i = from; i < to; i++) if (valid[i] !== 0) idx[k++] = i;
  return { n: k, idx };
}

abstract class NumberEncoder implements ColumnEncoder {
  protected readonly pages: Page[] = [];
  protected nulls = 0;
  protected dict = new ValueDict(DICT_LIMIT);
  protected usedDict = false;
  protected fellBack = false;
  private skipDict = false;

  constructor(readonly name: string, readonly nullable: boolean) {}

  abstract addPage(col: Column, from: number, to: number): void;
  protected abstract dictionaryBody(): Uint8Array;
  protected abstract stats(): [Uint8Array, Uint8Array] | null;
  protected abstract resetStats(): void;

  protected tryDict(): boolean {
    return !this.fellBack && !this.skipDict;
  }

  /**
   * Dictionary ids of the page's values (word pairs lo[stride * i], hi[stride * i + 1]; hi null for int32)
   * into the page body; false (body untouched) when the dictionary is full. Repeats of the previous value,
   * the common case in a trace, skip the hash lookup.
   */
  protected dictPage(lo: Int32Array, hi: Int32Array | null, stride: number, from: number, n: number, idx: Int32Array | null, rows: number): boolean {
    const ids = idsScratch(n);
    const dict = this.dict;
    let maxId = 0;
    let lastLo = 0;
    let lastHi = 0;
    let lastId = -1;
    for (let k = 0; k < n; k++) {
      const i = idx === null ? from + k : idx[k];
      const l = lo[stride * i];
      const h = hi === null ? 0 : hi[stride * i + 1];
      let id = lastId;
      if (l !== lastLo || h !== lastHi || id < 0) {
        id = dict.idOf(l, h);
        if (id < 0) {
          this.fellBack = true;
          return false;
        }
        lastLo = l;
        lastHi = h;
        lastId = id;
        if (id > maxId) maxId = id;
      }
      ids[k] = id;
    }
    const out = pageOut;
    const w = bitWidth(maxId);
    out.byte(w);
    encodeIds(out, ids, 0, n, w);
    this.usedDict = true;
    this.pages.push(endPage(out, rows, Encoding.RleDictionary));
    return true;
  }

  finish(): ChunkResult {
    const stats = this.stats();
    const r: ChunkResult = {
      dictionary: this.usedDict ? { body: this.dictionaryBody(), count: this.dict.size } : null,
      // splice: the array keeps its (object) elements kind; a fresh [] would deoptimize every push site.
      pages: this.pages.splice(0),
      nullCount: this.nulls,
      min: stats ? stats[0] : null,
      max: stats ? stats[1] : null,
    };
    // Sticky: a column whose values outgrew the dictionary once (line numbers, unique pointers) keeps doing so.
    this.skipDict ||= this.fellBack;
    this.nulls = 0;
    this.dict.reset();
    this.usedDict = false;
    this.fellBack = false;
    this.resetStats();
    return r;
  }
}

/** Starts the page body with its levels: values are appended to pageOut after them. */
function beginPage(name: string, nullable: boolean, valid: Uint8Array, from: number, to: number): { n: number; idx: Int32Array | null } {
  return levelsAndIndex(name, nullable, valid, from, to, idxScratch(to - from));
}

const pageBody = pageOut;

export class Int32Encoder extends NumberEncoder {
  /** min/max of the values of fallback (DELTA) pages; dictionary pages' values are all in the dictionary. */
  private min = 2147483647;
  private max = -2147483648;

  addPage(col: Column, from: number, to: number): void {
    if (col.kind !== 'int32') throw wrongKind(this.name, 'int32', col);
    const { n, idx } = beginPage(this.name, this.nullable, col.valid, from, to);
    this.nulls += to - from - n;
    const v = col.values;
    const levelsEnd = pageBody.len;
    if (this.tryDict() && this.dictPage(v, null, 1, from, n, idx, to - from)) return;
    pageBody.len = levelsEnd;
    let mn = this.min;
    let mx = this.max;
    for (let k = 0; k < n; k++) {
      const x = v[idx ? idx[k] : from + k];
      if (x < mn) mn = x;
      if (x > mx) mx = x;
    }
    this.min = mn;
    this.max = mx;
    deltaInt32(pageBody, v, from, n, idx);
    this.pages.push(endPage(pageBody, to - from, Encoding.DeltaBinaryPacked));
  }

  protected dictionaryBody(): Uint8Array {
    return new Uint8Array(this.dict.lo.buffer.slice(0, this.dict.size * 4));
  }

  protected stats(): [Uint8Array, Uint8Array] | null {
    let mn = this.min;
    let mx = this.max;
    const d = this.dict;
    for (let i = 0; i < d.size; i++) {
      if (d.lo[i] < mn) mn = d.lo[i];
      if (d.lo[i] > mx) mx = d.lo[i];
    }
    return mn <= mx ? [le32(mn), le32(mx)] : null;
  }

  protected resetStats(): void {
    this.min = 2147483647;
    this.max = -2147483648;
  }
}

abstract class Wide extends NumberEncoder {
  private minLo = 0;
  private minHi = 0;
  private maxLo = 0;
  private maxHi = 0;
  private any = false;

  constructor(name: string, nullable: boolean, private readonly signed: boolean) {
    super(name, nullable);
  }

  /** Order key of a high word: signed (int64) compares like unsigned once its sign bit is flipped. */
  private get flip(): number {
    return this.signed ? 0x80000000 : 0;
  }

  /** Folds the value hi:lo into min/max (the column's order). */
  protected see(lo: number, hi: number): void {
    const f = this.flip;
    const h = (hi ^ f) >>> 0;
    lo >>>= 0;
    if (!this.any) {
      this.minLo = this.maxLo = lo;
      this.minHi = this.maxHi = h;
      this.any = true;
      return;
    }
    if (h < this.minHi || (h === this.minHi && lo < this.minLo)) {
      this.minLo = lo;
      this.minHi = h;
    }
    if (h > this.maxHi || (h === this.maxHi && lo > this.maxLo)) {
      this.maxLo = lo;
      this.maxHi = h;
    }
  }

  /** min/max of the page's values (held in flipped-high form until stats()). */
  protected track(w: Uint32Array, from: number, n: number, idx: Int32Array | null): void {
    if (n === 0) return;
    const f = this.flip;
    let i = idx === null ? from : idx[0];
    if (!this.any) this.see(w[2 * i], w[2 * i + 1]);
    let minLo = this.minLo;
    let minHi = this.minHi;
    let maxLo = this.maxLo;
    let maxHi = this.maxHi;
    for (let k = 0; k < n; k++) {
      i = idx === null ? from + k : idx[k];
      const lo = w[2 * i];
      const h = (w[2 * i + 1] ^ f) >>> 0;
      if (h < minHi || (h === minHi && lo < minLo)) {
        minLo = lo;
        minHi = h;
      }
      if (h > maxHi || (h === maxHi && lo > maxLo)) {
        maxLo = lo;
        maxHi = h;
      }
    }
    this.minLo = minLo;
    this.minHi = minHi;
    this.maxLo = maxLo;
    this.maxHi = maxHi;
  }

  protected plain(w: Uint32Array, from: number, n: number, idx: Int32Array | null, rows: number): void {
    pageBody.reserve(n * 8);
    for (let k = 0; k < n; k++) {
      const i = idx ? idx[k] : from + k;
      pageBody.u32le(w[2 * i]);
      pageBody.u32le(w[2 * i + 1]);
    }
    this.pages.push(endPage(pageBody, rows, Encoding.Plain));
  }

  protected dictionaryBody(): Uint8Array {
    const b = new ByteWriter(this.dict.size * 8);
    for (let id = 0; id < this.dict.size; id++) {
      b.u32le(this.dict.lo[id]);
      b.u32le(this.dict.hi[id]);
    }
    return b.view();
  }

  protected stats(): [Uint8Array, Uint8Array] | null {
    // Values of dictionary pages are in the dictionary: folded in here, once per entry, not per row.
    const d = this.dict;
    for (let i = 0; i < d.size; i++) this.see(d.lo[i], d.hi[i]);
    const f = this.flip;
    return this.any ? [le64(this.minLo, this.minHi ^ f), le64(this.maxLo, this.maxHi ^ f)] : null;
  }

  protected resetStats(): void {
    this.any = false;
  }
}

export class Int64Encoder extends Wide {
  constructor(name: string, nullable: boolean) {
    super(name, nullable, true);
  }

  addPage(col: Column, from: number, to: number): void {
    if (col.kind !== 'int64') throw wrongKind(this.name, 'int64', col);
    const { n, idx } = beginPage(this.name, this.nullable, col.valid, from, to);
    this.nulls += to - from - n;
    this.track(col.words, from, n, idx);
    const levelsEnd = pageBody.len;
    if (n > 0 && deltaInt64(pageBody, col.words, from, n, idx)) {
      this.pages.push(endPage(pageBody, to - from, Encoding.DeltaBinaryPacked));
      return;
    }
    pageBody.len = levelsEnd;
    this.plain(col.words, from, n, idx, to - from);
  }
}

export class Uint64Encoder extends Wide {
  constructor(name: string, nullable: boolean) {
    super(name, nullable, false);
  }

  addPage(col: Column, from: number, to: number): void {
    if (col.kind !== 'uint64') throw wrongKind(this.name, 'uint64', col);
    const { n, idx } = beginPage(this.name, this.nullable, col.valid, from, to);
    this.nulls += to - from - n;
    const levelsEnd = pageBody.len;
    const words = new Int32Array(col.words.buffer, col.words.byteOffset, col.words.length);
    if (this.tryDict() && this.dictPage(words, words, 2, from, n, idx, to - from)) return;
    pageBody.len = levelsEnd;
    this.track(col.words, from, n, idx);
    this.plain(col.words, from, n, idx, to - from);
  }
}
