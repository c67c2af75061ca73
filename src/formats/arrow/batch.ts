/**
 * TableChunk -> Arrow RecordBatch, following the table's schema. Typed arrays are handed to Arrow as they
 * are (no copy beyond slicing to the row count); validity bytes become bitmaps.
 */
import type { Data, DataType, RecordBatch, Schema, TypeMap, Utf8, Vector } from 'apache-arrow';
import { NetdevTimesError } from '../../core/errors.js';
import type { StringTable } from '../../core/strings.js';
import { chunkColumn, type Column, type TableChunk } from '../../core/columns.js';
import { arrow } from './lib.js';
import { arrowSchemaOf } from './schema.js';
import type { TableSpec } from '../../tables/schema.js';
import { dictBits, packValidity } from './validity.js';

const { Dictionary, Int32, Int64, List, makeData, Struct, Uint64 } = arrow;

/** Dictionary ids (-1 for null) as Arrow indices (0 in null slots) and their validity bitmap. */
function dictIndices(
  ids: Int32Array,
  n: number,
): { indices: Int32Array; bitmap: Uint8Array | undefined; nullCount: number } {
  const indices = new Int32Array(n);
  const bitmap = new Uint8Array((n + 7) >> 3);
  const nullCount = dictBits(ids, n, indices, bitmap);
  return { indices, bitmap: nullCount === 0 ? undefined : bitmap, nullCount };
}

const encoder = new TextEncoder();

/** Builds Utf8 data from JS strings (null for null). */
function utf8Data(values: readonly (string | null)[], from: number, to: number): Data<Utf8> {
  const n = to - from;
  const offsets = new Int32Array(n + 1);
  let bytes = new Uint8Array(Math.max(64, n * 16));
  let len = 0;
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = values[from + i];
    if (s !== null) {
      valid[i] = 1;
      for (;;) {
        const r = encoder.encodeInto(s, bytes.subarray(len));
        if (r.read === s.length) {
          len += r.written;
          break;
        }
        const grown = new Uint8Array(bytes.length * 2 + s.length * 3);
        grown.set(bytes.subarray(0, len));
        bytes = grown;
      }
    }
    offsets[i + 1] = len;
  }
  const { bitmap, nullCount } = packValidity(valid, n);
  return makeData({
    type: new arrow.Utf8(),
    length: n,
    nullCount,
    nullBitmap: bitmap,
    valueOffsets: offsets,
    data: bytes.subarray(0, len),
  });
}

/** Builds Utf8 data from byte spans of an arena without decoding them. */
function spanData(arena: Uint8Array, start: Int32Array, end: Int32Array, valid: Uint8Array, n: number): Data<Utf8> {
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) if (valid[i]) total += end[i] - start[i];
  const bytes = new Uint8Array(total);
  let len = 0;
  for (let i = 0; i < n; i++) {
    if (valid[i]) {
      bytes.set(arena.subarray(start[i], end[i]), len);
      len += end[i] - start[i];
    }
    offsets[i + 1] = len;
  }
  const { bitmap, nullCount } = packValidity(valid, n);
  return makeData({
    type: new arrow.Utf8(),
    length: n,
    nullCount,
    nullBitmap: bitmap,
    valueOffsets: offsets,
    data: bytes,
  });
}

/**
 * The dictionary of one column across the batches of a file. The IPC file gets delta chunks (a dictionary
 * replacement is not allowed there); Parquet gets one whole dictionary per batch (arrow-rs re-encodes it).
 */
class DictionaryState {
  private chunks: Data<Utf8>[] = [];
  private covered = 0;
  private whole: Vector<Utf8> | null = null;
  private wholeSize = -1;

  constructor(readonly table: StringTable) {}

  deltas(): Vector<Utf8> {
    const size = this.table.size;
    if (size > this.covered || this.chunks.length === 0) {
      this.chunks.push(utf8Data(this.table.values, this.covered, size));
      this.covered = size;
    }
    return new arrow.Vector(this.chunks);
  }

  single(): Vector<Utf8> {
    const size = this.table.size;
    if (this.whole === null || size !== this.wholeSize) {
      this.whole = new arrow.Vector([utf8Data(this.table.values, 0, size)]);
      this.wholeSize = size;
    }
    return this.whole;
  }
}

export type DictionaryMode = 'delta' | 'single';

/** Converts the chunks of one table into Arrow batches; one instance per output file. */
export class ArrowBatchBuilder {
  readonly schema: Schema<TypeMap>;
  private readonly dicts = new Map<string, DictionaryState>();

  constructor(
    readonly spec: TableSpec,
    private readonly mode: DictionaryMode,
  ) {
    this.schema = arrowSchemaOf(arrow, spec);
  }

  build(chunk: TableChunk): RecordBatch {
    const n = chunk.length;
    const children = this.schema.fields.map((field) => {
      const col = chunkColumn(chunk, field.name);
      if (col === undefined) throw new NetdevTimesError(`table ${this.spec.table}: no column '${field.name}' produced`);
      return this.columnData(field.name, field.type, col, n);
    });
    const data = makeData({ type: new Struct(this.schema.fields), length: n, nullCount: 0, children });
    return new arrow.RecordBatch(this.schema, data);
  }

  private columnData(name: string, type: DataType, col: Column, n: number): Data {
    switch (col.kind) {
      case 'int32': {
        expectType(name, type, 'Int32');
        const { bitmap, nullCount } = packValidity(col.valid, n);
        return makeData({
          type: new Int32(),
          length: n,
          nullCount,
          nullBitmap: bitmap,
          data: col.values.subarray(0, n),
        });
      }
      case 'int64': {
        expectType(name, type, 'Int64');
        const { bitmap, nullCount } = packValidity(col.valid, n);
        return makeData({
          type: new Int64(),
          length: n,
          nullCount,
          nullBitmap: bitmap,
          data: col.values.subarray(0, n),
        });
      }
      case 'uint64': {
        expectType(name, type, 'Uint64');
        const { bitmap, nullCount } = packValidity(col.valid, n);
        return makeData({
          type: new Uint64(),
          length: n,
          nullCount,
          nullBitmap: bitmap,
          data: col.values.subarray(0, n),
        });
      }
      case 'dict': {
        if (!(type instanceof Dictionary)) return utf8FromDict(col.ids, col.table, n);
        let state = this.dicts.get(name);
        if (!state || state.table !== col.table) {
          state = new DictionaryState(col.table);
          this.dicts.set(name, state);
        }
        const { indices, bitmap, nullCount } = dictIndices(col.ids, n);
        const dictionary = this.mode === 'delta' ? state.deltas() : state.single();
        return makeData({ type, length: n, nullCount, nullBitmap: bitmap, data: indices, dictionary });
      }
      case 'utf8':
        return utf8Data(col.values, 0, n);
      case 'utf8_spans':
        return spanData(col.arena, col.start, col.end, col.valid, n);
      case 'list_utf8': {
        if (!(type instanceof List))
          throw new NetdevTimesError(`column ${name}: a list column needs a list<utf8> schema type`);
        const offsets = new Int32Array(n + 1);
        const items: string[] = [];
        for (let i = 0; i < n; i++) {
          if (col.valid[i]) for (let k = col.start[i]; k < col.end[i]; k++) items.push(col.items[k]);
          offsets[i + 1] = items.length;
        }
        const { bitmap, nullCount } = packValidity(col.valid, n);
        const child = utf8Data(items, 0, items.length);
        return makeData({ type, length: n, nullCount, nullBitmap: bitmap, valueOffsets: offsets, child });
      }
    }
  }
}

function expectType(name: string, type: DataType, expected: string): void {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- every concrete DataType has a toString() ('Int32'); the abstract base's typings leave it out
  const got = String(type);
  if (got !== expected) throw new NetdevTimesError(`column ${name}: produced as ${expected}, schema says ${got}`);
}

function utf8FromDict(ids: Int32Array, table: StringTable, n: number): Data<Utf8> {
  const values: (string | null)[] = new Array<string | null>(n);
  for (let i = 0; i < n; i++) values[i] = ids[i] >= 0 ? table.values[ids[i]] : null;
  return utf8Data(values, 0, n);
}
