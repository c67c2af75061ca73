/**
 * A whole Parquet file for one table, from TableChunks: each chunk slice becomes one data page per column,
 * a row group is written once it holds `rowGroupRows` rows, and the footer carries the schema (with arrow-rs'
 * names: root `arrow_schema`, lists as `list`/`item`), min/max statistics, the table's key-value metadata and
 * ARROW:schema. Bytes leave through `emit` in file order, one row group at a time: nothing else is kept.
 */
import { gzipSync } from 'node:zlib';
import type { Column, TableChunk } from '../../normalise/columns.js';
import type { ColumnSpec, TableSpec } from '../schema.js';
import { arrowSchemaFooterValue } from './arrow-schema.js';
import { ByteWriter } from './bytes.js';
import { Int32Encoder, Int64Encoder, Uint64Encoder } from './column-numbers.js';
import { ListUtf8Encoder, Utf8Encoder } from './column-strings.js';
import { Encoding, type ChunkResult, type ColumnEncoder } from './pages.js';
import { ThriftWriter } from './thrift.js';

export const ROW_GROUP_ROWS = 65536;

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]);

const enum Physical {
  Int32 = 1,
  Int64 = 2,
  ByteArray = 6,
}

const enum Repetition {
  Required = 0,
  Optional = 1,
  Repeated = 2,
}

const enum Converted {
  Utf8 = 0,
  List = 3,
  Uint64 = 14,
}

export const enum Codec {
  Uncompressed = 0,
  Gzip = 2,
}

const enum PageType {
  Data = 0,
  Dictionary = 2,
}

export interface ParquetEncoderOptions {
  /** Key-value metadata of the file (the schema version and table name). */
  metadata: ReadonlyMap<string, string>;
  createdBy: string;
  rowGroupRows?: number;
  /** Page compression; GZIP only where it saves at least an eighth. */
  codec?: Codec;
}

interface ColumnMeta {
  spec: ColumnSpec;
  path: string[];
  physical: Physical;
  encoder: ColumnEncoder;
}

interface ChunkMeta {
  column: ColumnMeta;
  /** The footer's statistics of the chunk (its pages are written and dropped: they are not kept here). */
  stats: { nullCount: number | null; min: Uint8Array | null; max: Uint8Array | null };
  codec: Codec;
  encodings: number[];
  numValues: number;
  uncompressed: number;
  compressed: number;
  dictionaryOffset: number;
  dataOffset: number;
}

interface RowGroupMeta {
  chunks: ChunkMeta[];
  rows: number;
  offset: number;
  uncompressed: number;
  compressed: number;
}

function columnMeta(c: ColumnSpec): ColumnMeta {
  switch (c.type) {
    case 'int32': return { spec: c, path: [c.name], physical: Physical.Int32, encoder: new Int32Encoder(c.name, c.nullable) };
    case 'int64': return { spec: c, path: [c.name], physical: Physical.Int64, encoder: new Int64Encoder(c.name, c.nullable) };
    case 'uint64': return { spec: c, path: [c.name], physical: Physical.Int64, encoder: new Uint64Encoder(c.name, c.nullable) };
    case 'utf8': return { spec: c, path: [c.name], physical: Physical.ByteArray, encoder: new Utf8Encoder(c.name, c.nullable, c.dictionary === true) };
    case 'list<utf8>': return { spec: c, path: [c.name, 'list', 'item'], physical: Physical.ByteArray, encoder: new ListUtf8Encoder(c.name, c.nullable) };
  }
}

export class ParquetFileEncoder {
  private readonly columns: ColumnMeta[];
  private readonly rowGroupRows: number;
  private readonly codec: Codec;
  private readonly rowGroups: RowGroupMeta[] = [];
  /** Rows in the row group being built (its pages are held by the column encoders). */
  private pending = 0;
  private offset = 0;
  rows = 0;

  constructor(private readonly spec: TableSpec, private readonly options: ParquetEncoderOptions, private readonly emit: (bytes: Uint8Array) => void) {
    this.columns = spec.columns.map(columnMeta);
    this.rowGroupRows = options.rowGroupRows ?? ROW_GROUP_ROWS;
    this.codec = options.codec ?? Codec.Uncompressed;
  }

  write(chunk: TableChunk): void {
    const cols: Column[] = this.columns.map((c) => {
      const col = chunk.columns[c.spec.name];
      if (col === undefined) throw new Error(`table ${this.spec.table}: no column '${c.spec.name}' produced`);
      return col;
    });
    let from = 0;
    while (from < chunk.length) {
      const to = Math.min(chunk.length, from + (this.rowGroupRows - this.pending));
      for (let c = 0; c < cols.length; c++) this.columns[c].encoder.addPage(cols[c], from, to);
      this.pending += to - from;
      this.rows += to - from;
      from = to;
      if (this.pending === this.rowGroupRows) this.flushRowGroup();
    }
  }

  /** Writes the last row group and the footer. */
  close(): void {
    if (this.pending > 0) this.flushRowGroup();
    const footer = this.footer();
    const tail = new ByteWriter(footer.length + 12);
    // Every emitted array owns its buffer (a thread may take it over): the magic is copied, not shared.
    if (this.offset === 0) tail.bytes(MAGIC);
    tail.bytes(footer);
    tail.u32le(footer.length);
    tail.bytes(MAGIC);
    this.put(tail.view());
  }

  private put(b: Uint8Array): void {
    this.emit(b);
    this.offset += b.length;
  }

  private flushRowGroup(): void {
    const out = new ByteWriter(1 << 16);
    if (this.offset === 0) out.bytes(MAGIC);
    const start = this.offset + out.len;
    const group: RowGroupMeta = { chunks: [], rows: this.pending, offset: start, uncompressed: 0, compressed: 0 };
    for (const column of this.columns) {
      const result = column.encoder.finish();
      const chunk = this.writeChunk(out, column, result);
      group.chunks.push(chunk);
      group.uncompressed += chunk.uncompressed;
      group.compressed += chunk.compressed;
    }
    this.rowGroups.push(group);
    this.pending = 0;
    this.put(out.view());
  }

  /**
   * Compresses a column chunk's pages only where that pays: dictionary ids and levels (bit-packed patterns
   * that repeat: GZIP takes them down by 80-90%), not DELTA or PLAIN values (times: 20% for most of the
   * compression time), and only if the whole chunk shrinks by an eighth.
   */
  private compress(result: ChunkResult): { codec: Codec; bodies: Uint8Array[] } {
    const raw = [...(result.dictionary ? [result.dictionary.body] : []), ...result.pages.map((p) => p.body)];
    if (this.codec !== Codec.Gzip || !result.pages.every((p) => p.encoding === Encoding.RleDictionary)) return { codec: Codec.Uncompressed, bodies: raw };
    const total = raw.reduce((n, b) => n + b.length, 0);
    if (total < 4096) return { codec: Codec.Uncompressed, bodies: raw };
    const zipped = raw.map((b) => gzipSync(b, { level: 1 }));
    const size = zipped.reduce((n, b) => n + b.length, 0);
    return size * 8 < total * 7 ? { codec: Codec.Gzip, bodies: zipped } : { codec: Codec.Uncompressed, bodies: raw };
  }

  private writeChunk(out: ByteWriter, column: ColumnMeta, result: ChunkResult): ChunkMeta {
    const { codec, bodies } = this.compress(result);
    const base = this.offset;
    const encodings = new Set<number>();
    if (column.spec.nullable || column.path.length > 1) encodings.add(Encoding.Rle);
    const meta: ChunkMeta = {
      column, stats: { nullCount: result.nullCount, min: result.min, max: result.max },
      codec, encodings: [], numValues: 0, uncompressed: 0, compressed: 0, dictionaryOffset: -1, dataOffset: -1,
    };
    let b = 0;
    if (result.dictionary) {
      const body = bodies[b++];
      meta.dictionaryOffset = base + out.len;
      const h = new ThriftWriter()
        .i32(1, PageType.Dictionary)
        .i32(2, result.dictionary.body.length)
        .i32(3, body.length)
        .struct(7, (w) => w.i32(1, result.dictionary?.count ?? 0).i32(2, Encoding.Plain))
        .end();
      out.bytes(h);
      out.bytes(body);
      meta.uncompressed += h.length + result.dictionary.body.length;
      meta.compressed += h.length + body.length;
      encodings.add(Encoding.Plain);
    }
    for (const page of result.pages) {
      const body = bodies[b++];
      if (meta.dataOffset < 0) meta.dataOffset = base + out.len;
      const h = new ThriftWriter()
        .i32(1, PageType.Data)
        .i32(2, page.body.length)
        .i32(3, body.length)
        .struct(5, (w) => w.i32(1, page.numValues).i32(2, page.encoding).i32(3, Encoding.Rle).i32(4, Encoding.Rle))
        .end();
      out.bytes(h);
      out.bytes(body);
      meta.uncompressed += h.length + page.body.length;
      meta.compressed += h.length + body.length;
      meta.numValues += page.numValues;
      encodings.add(page.encoding);
    }
    meta.encodings = [...encodings].sort((x, y) => x - y);
    return meta;
  }

  private footer(): Uint8Array {
    const w = new ThriftWriter(new ByteWriter(4096));
    w.i32(1, 2);
    const elements: ((t: ThriftWriter) => void)[] = [(t) => t.string(4, 'arrow_schema').i32(5, this.columns.length)];
    for (const c of this.columns) elements.push(...schemaElements(c.spec));
    w.structList(2, elements, (t, write) => write(t));
    w.i64(3, this.rows);
    w.structList(4, this.rowGroups.map((g, i): [RowGroupMeta, number] => [g, i]), (t, [g, i]) => writeRowGroup(t, g, i));
    const kv: [string, string][] = [...this.options.metadata, ['ARROW:schema', arrowSchemaFooterValue(this.spec, this.options.metadata)]];
    w.structList(5, kv, (t, [k, v]) => t.string(1, k).string(2, v));
    w.string(6, this.options.createdBy);
    // TYPE_ORDER for every leaf: readers may then trust min/max (signed, unsigned, bytes as the type says).
    w.structList(7, this.columns, (t) => t.struct(1, () => undefined));
    return w.end();
  }
}

function schemaElements(c: ColumnSpec): ((t: ThriftWriter) => void)[] {
  const rep = c.nullable ? Repetition.Optional : Repetition.Required;
  switch (c.type) {
    case 'int32': return [(t) => t.i32(1, Physical.Int32).i32(3, rep).string(4, c.name)];
    case 'int64': return [(t) => t.i32(1, Physical.Int64).i32(3, rep).string(4, c.name)];
    case 'uint64':
      return [(t) => t.i32(1, Physical.Int64).i32(3, rep).string(4, c.name).i32(6, Converted.Uint64).struct(10, (l) => l.struct(10, (i) => i.i8(1, 64).bool(2, false)))];
    case 'utf8':
      return [(t) => t.i32(1, Physical.ByteArray).i32(3, rep).string(4, c.name).i32(6, Converted.Utf8).struct(10, (l) => l.struct(1, () => undefined))];
    case 'list<utf8>':
      return [
        (t) => t.i32(3, rep).string(4, c.name).i32(5, 1).i32(6, Converted.List).struct(10, (l) => l.struct(3, () => undefined)),
        (t) => t.i32(3, Repetition.Repeated).string(4, 'list').i32(5, 1),
        (t) => t.i32(1, Physical.ByteArray).i32(3, Repetition.Required).string(4, 'item').i32(6, Converted.Utf8).struct(10, (l) => l.struct(1, () => undefined)),
      ];
  }
}

function writeRowGroup(t: ThriftWriter, g: RowGroupMeta, ordinal: number): void {
  t.structList(1, g.chunks, (cc, m) => {
    const start = m.dictionaryOffset >= 0 ? m.dictionaryOffset : m.dataOffset;
    cc.i64(2, start);
    cc.struct(3, (md) => {
      md.i32(1, m.column.physical)
        .i32List(2, m.encodings)
        .stringList(3, m.column.path)
        .i32(4, m.codec)
        .i64(5, m.numValues)
        .i64(6, m.uncompressed)
        .i64(7, m.compressed)
        .i64(9, m.dataOffset);
      if (m.dictionaryOffset >= 0) md.i64(11, m.dictionaryOffset);
      const r = m.stats;
      if (r.nullCount !== null) {
        md.struct(12, (s) => {
          s.i64(3, r.nullCount ?? 0);
          if (r.max && r.min) s.binary(5, r.max).binary(6, r.min);
        });
      }
    });
  });
  t.i64(2, g.uncompressed);
  t.i64(3, g.rows);
  t.i64(5, g.offset);
  t.i64(6, g.compressed);
  t.i16(7, ordinal);
}
