/**
 * UTF-8 columns and list<utf8> (callchains). Values already interned by the decoder (DictColumn ids into a
 * StringTable) become a per-row-group dictionary through a small id cache, never through strings; JS
 * strings (StrColumn, list items) through a Map. Dictionary-declared columns are always dictionary
 * encoded; others (raw payloads) are PLAIN. Statistics: null count, and min/max for dictionary chunks.
 */
import type { StringTable } from '../../decode/strings.js';
import type { Column } from '../../normalise/columns.js';
import { ByteWriter } from './bytes.js';
import { compareBytes, endPage, Encoding, NullInRequiredColumn, startPage, writeConstantLevels, writeDefLevels, writeLevels, type ChunkResult, type ColumnEncoder, type Page } from './pages.js';
import { bitWidth, encodeIds, indexOfByte, memchrView } from './rle.js';
import { flagsScratch, idsScratch, levelsScratch } from './scratch.js';

/** Past this many entries a list column's dictionary gives up for the rest of the chunk (PLAIN). */
const LIST_DICT_LIMIT = 1 << 16;
/** Hybrid runs carry at most 24-bit ids. */
const MAX_DICT = 1 << 24;

const utf8 = new TextEncoder();

/** The dictionary of one column chunk: distinct values in first-seen order. */
class ChunkDict {
  entries: Uint8Array[] = [];
  private readonly byString = new Map<string, number>();
  /** tableCache[id of `table`] = chunk id + 1 (0: not seen in this chunk). */
  private tableCache = new Int32Array(64);
  private table: StringTable | null = null;

  get size(): number {
    return this.entries.length;
  }

  /**
   * Chunk ids of the StringTable ids ids[from, to) into out (non-null ones, in order), 0/1 into valid[i - from].
   * Returns how many were non-null. A per-table cache maps table ids to chunk ids without touching strings.
   */
  fromTable(table: StringTable, ids: Int32Array, from: number, to: number, out: Int32Array, valid: Uint8Array): number {
    if (table !== this.table) {
      this.table = table;
      this.tableCache.fill(0);
    }
    if (this.tableCache.length < table.size) {
      const grown = new Int32Array(Math.max(table.size, this.tableCache.length * 2));
      grown.set(this.tableCache);
      this.tableCache = grown;
    }
    const cache = this.tableCache;
    let n = 0;
    for (let i = from; i < to; i++) {
      const id = ids[i];
      if (id < 0) {
        valid[i - from] = 0;
        continue;
      }
      valid[i - from] = 1;
      let c = cache[id];
      if (c === 0) {
        c = this.ofString(table.values[id], table.bytesOf(id)) + 1;
        cache[id] = c;
      }
      out[n++] = c - 1;
    }
    return n;
  }

  ofString(s: string, bytes?: Uint8Array): number {
    let c = this.byString.get(s);
    if (c === undefined) {
      c = this.entries.length;
      if (c === MAX_DICT) throw new Error(`more than ${MAX_DICT} distinct values in one row group`);
      this.entries.push(bytes ?? utf8.encode(s));
      this.byString.set(s, c);
    }
    return c;
  }

  body(): Uint8Array {
    const b = new ByteWriter(16 + this.entries.reduce((n, e) => n + 4 + e.length, 0));
    for (const e of this.entries) {
      b.u32le(e.length);
      b.bytes(e);
    }
    return b.view();
  }

  minMax(): [Uint8Array, Uint8Array] | null {
    if (this.entries.length === 0) return null;
    let mn = this.entries[0];
    let mx = mn;
    for (const e of this.entries) {
      if (compareBytes(e, mn) < 0) mn = e;
      if (compareBytes(e, mx) > 0) mx = e;
    }
    return [mn, mx];
  }

  reset(): void {
    this.entries = [];
    this.byString.clear();
    this.tableCache.fill(0);
  }
}

function writePlainString(out: ByteWriter, s: string): void {
  out.reserve(4 + s.length * 3);
  const at = out.len;
  const r = utf8.encodeInto(s, out.buf.subarray(at + 4));
  const n = r.written;
  out.buf[at] = n;
  out.buf[at + 1] = n >>> 8;
  out.buf[at + 2] = n >>> 16;
  out.buf[at + 3] = n >>> 24;
  out.len = at + 4 + n;
}

function dictValues(out: ByteWriter, ids: Int32Array, n: number): void {
  let max = 0;
  for (let k = 0; k < n; k++) if (ids[k] > max) max = ids[k];
  const w = bitWidth(max);
  out.byte(w);
  encodeIds(out, ids, 0, n, w);
}

export class Utf8Encoder implements ColumnEncoder {
  private readonly pages: Page[] = [];
  private nulls = 0;
  private readonly dict = new ChunkDict();
  private usedDict = false;

  constructor(readonly name: string, readonly nullable: boolean, private readonly dictionary: boolean) {}

  addPage(col: Column, from: number, to: number): void {
    const rows = to - from;
    const valid = flagsScratch(rows);
    const out = startPage();
    let n = 0;
    const ids = idsScratch(rows);
    switch (col.kind) {
      case 'dict': {
        n = this.dict.fromTable(col.table, col.ids, from, to, ids, valid);
        this.levels(out, valid, rows);
        this.dictPage(out, ids, n, rows);
        return;
      }
      case 'utf8': {
        for (let i = from; i < to; i++) valid[i - from] = col.values[i] !== null ? 1 : 0;
        this.levels(out, valid, rows);
        if (this.dictionary) {
          for (let i = from; i < to; i++) {
            const s = col.values[i];
            if (s !== null) ids[n++] = this.dict.ofString(s);
          }
          this.dictPage(out, ids, n, rows);
          return;
        }
        for (let i = from; i < to; i++) {
          const s = col.values[i];
          if (s !== null) writePlainString(out, s);
        }
        this.nulls += rows - countValid(valid, rows);
        this.pages.push(endPage(out, rows, Encoding.Plain));
        return;
      }
      case 'utf8_spans': {
        this.levels(out, col.valid.subarray(from, to), rows);
        let bytes = 0;
        for (let i = from; i < to; i++) if (col.valid[i]) bytes += 4 + col.end[i] - col.start[i];
        out.reserve(bytes);
        for (let i = from; i < to; i++) {
          if (!col.valid[i]) continue;
          out.u32le(col.end[i] - col.start[i]);
          out.bytes(col.arena, col.start[i], col.end[i]);
          n++;
        }
        this.nulls += rows - n;
        this.pages.push(endPage(out, rows, Encoding.Plain));
        return;
      }
      default:
        throw new Error(`column ${this.name}: produced as ${col.kind}, the schema says utf8`);
    }
  }

  private levels(out: ByteWriter, valid: Uint8Array, rows: number): void {
    if (this.nullable) writeDefLevels(out, valid, 0, rows);
    else if (indexOfByte(memchrView(valid), 0, 0, rows) < rows) throw new NullInRequiredColumn(this.name);
  }

  private dictPage(out: ByteWriter, ids: Int32Array, n: number, rows: number): void {
    dictValues(out, ids, n);
    this.nulls += rows - n;
    this.usedDict = true;
    this.pages.push(endPage(out, rows, Encoding.RleDictionary));
  }

  finish(): ChunkResult {
    const mm = this.usedDict ? this.dict.minMax() : null;
    const r: ChunkResult = {
      dictionary: this.usedDict ? { body: this.dict.body(), count: this.dict.size } : null,
      // splice: the array keeps its (object) elements kind; a fresh [] would deoptimize every push site.
      pages: this.pages.splice(0),
      nullCount: this.nulls,
      min: mm ? mm[0] : null,
      max: mm ? mm[1] : null,
    };
    this.nulls = 0;
    this.usedDict = false;
    this.dict.reset();
    return r;
  }
}

function countValid(valid: Uint8Array, n: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) k += valid[i];
  return k;
}

/**
 * list<utf8> as Parquet's 3-level LIST (optional group, repeated group `list`, required `item`): repetition
 * level 1 for every item after the first of a row; definition 0 null list, 1 empty list, 2 an item
 * (one less each when the list itself is required).
 */
export class ListUtf8Encoder implements ColumnEncoder {
  private readonly pages: Page[] = [];
  private readonly dict = new ChunkDict();
  private usedDict = false;
  private fellBack = false;

  constructor(readonly name: string, readonly nullable: boolean) {}

  addPage(col: Column, from: number, to: number): void {
    if (col.kind !== 'list_utf8') throw new Error(`column ${this.name}: produced as ${col.kind}, the schema says list<utf8>`);
    if (this.nullable && indexOfByte(memchrView(col.valid), 1, from, to) >= to) {
      // No list in the page (a trace recorded without -g): one run of each level, no value.
      const out = startPage();
      writeConstantLevels(out, 0, to - from, 1);
      writeConstantLevels(out, 0, to - from, 2);
      if (this.fellBack) this.pages.push(endPage(out, to - from, Encoding.Plain));
      else {
        dictValues(out, idsScratch(0), 0);
        this.usedDict = true;
        this.pages.push(endPage(out, to - from, Encoding.RleDictionary));
      }
      return;
    }
    let entries = 0;
    for (let i = from; i < to; i++) entries += col.valid[i] && col.end[i] > col.start[i] ? col.end[i] - col.start[i] : 1;
    const rep = levelsScratch(entries, 0);
    const def = levelsScratch(entries, 1);
    const base = this.nullable ? 1 : 0;
    let e = 0;
    let items = 0;
    for (let i = from; i < to; i++) {
      if (!col.valid[i]) {
        if (!this.nullable) throw new NullInRequiredColumn(this.name);
        rep[e] = 0;
        def[e++] = 0;
        continue;
      }
      const n = col.end[i] - col.start[i];
      if (n === 0) {
        rep[e] = 0;
        def[e++] = base;
        continue;
      }
      for (let k = 0; k < n; k++) {
        rep[e] = k === 0 ? 0 : 1;
        def[e++] = base + 1;
      }
      items += n;
    }
    const out = startPage();
    writeLevels(out, rep, entries, 1);
    writeLevels(out, def, entries, bitWidth(base + 1));
    const ids = idsScratch(items);
    if (!this.fellBack) {
      let n = 0;
      for (let i = from; i < to; i++) {
        if (!col.valid[i]) continue;
        for (let k = col.start[i]; k < col.end[i]; k++) ids[n++] = this.dict.ofString(col.items[k]);
      }
      if (this.dict.size <= LIST_DICT_LIMIT) {
        dictValues(out, ids, n);
        this.usedDict = true;
        this.pages.push(endPage(out, entries, Encoding.RleDictionary));
        return;
      }
      this.fellBack = true;
    }
    for (let i = from; i < to; i++) {
      if (!col.valid[i]) continue;
      for (let k = col.start[i]; k < col.end[i]; k++) writePlainString(out, col.items[k]);
    }
    this.pages.push(endPage(out, entries, Encoding.Plain));
  }

  finish(): ChunkResult {
    const r: ChunkResult = {
      dictionary: this.usedDict ? { body: this.dict.body(), count: this.dict.size } : null,
      // splice: the array keeps its (object) elements kind; a fresh [] would deoptimize every push site.
      pages: this.pages.splice(0),
      // A list leaf's null count would mix null lists, empty lists and items: none is written.
      nullCount: null,
      min: null,
      max: null,
    };
    this.usedDict = false;
    this.fellBack = false;
    this.dict.reset();
    return r;
  }
}

