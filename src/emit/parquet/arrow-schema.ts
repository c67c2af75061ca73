/**
 * The `ARROW:schema` footer entry arrow-rs and pyarrow write: the table's Arrow schema as one IPC message
 * (continuation marker, length, FlatBuffers Message), base64. Readers take types the Parquet schema cannot
 * say from it: dictionary columns (pandas categoricals), the list item's name and nullability, metadata.
 * Built here from schemas/<table>.json so that writing Parquet never needs apache-arrow loaded.
 */
import type { ColumnSpec, TableSpec } from '../schema.js';
import { FlatBuilder } from './flatbuffer.js';

/** Arrow's Type union tags (Schema.fbs). */
const enum TypeTag {
  Int = 2,
  Utf8 = 5,
  List = 12,
}

const METADATA_V5 = 4;
const HEADER_SCHEMA = 1;

function intType(fb: FlatBuilder, bits: number, signed: boolean): number {
  fb.startTable(2);
  fb.fieldInt32(0, bits);
  fb.fieldInt8(1, signed ? 1 : 0);
  return fb.endTable();
}

function emptyTable(fb: FlatBuilder): number {
  fb.startTable(0);
  return fb.endTable();
}

function keyValues(fb: FlatBuilder, meta: ReadonlyMap<string, string>): number {
  const kvs: number[] = [];
  for (const [k, v] of meta) {
    const key = fb.string(k);
    const value = fb.string(v);
    fb.startTable(2);
    fb.fieldOffset(0, key);
    fb.fieldOffset(1, value);
    kvs.push(fb.endTable());
  }
  return fb.offsetVector(kvs);
}

interface FieldDef {
  name: string;
  nullable: boolean;
  tag: TypeTag;
  bits?: number;
  signed?: boolean;
  /** Dictionary id when the column is dictionary-encoded (int32 indices). */
  dictionaryId?: number;
  children: FieldDef[];
}

function field(fb: FlatBuilder, f: FieldDef): number {
  const children = fb.offsetVector(f.children.map((c) => field(fb, c)));
  const name = fb.string(f.name);
  const type = f.tag === TypeTag.Int ? intType(fb, f.bits ?? 32, f.signed ?? true) : emptyTable(fb);
  let dictionary = 0;
  if (f.dictionaryId !== undefined) {
    const indexType = intType(fb, 32, true);
    fb.startTable(4);
    fb.fieldInt64(0, f.dictionaryId);
    fb.fieldOffset(1, indexType);
    dictionary = fb.endTable();
  }
  fb.startTable(7);
  fb.fieldOffset(0, name);
  fb.fieldInt8(1, f.nullable ? 1 : 0);
  fb.fieldInt8(2, f.tag);
  fb.fieldOffset(3, type);
  if (dictionary) fb.fieldOffset(4, dictionary);
  fb.fieldOffset(5, children);
  return fb.endTable();
}

function fieldDef(c: ColumnSpec, dictionaryId: number): FieldDef {
  const base = { name: c.name, nullable: c.nullable, children: [] };
  switch (c.type) {
    case 'int32': return { ...base, tag: TypeTag.Int, bits: 32, signed: true };
    case 'int64': return { ...base, tag: TypeTag.Int, bits: 64, signed: true };
    case 'uint64': return { ...base, tag: TypeTag.Int, bits: 64, signed: false };
    case 'utf8': return c.dictionary ? { ...base, tag: TypeTag.Utf8, dictionaryId } : { ...base, tag: TypeTag.Utf8 };
    case 'list<utf8>': return { ...base, tag: TypeTag.List, children: [{ name: 'item', nullable: false, tag: TypeTag.Utf8, children: [] }] };
  }
}

/** The IPC Schema message bytes (FlatBuffers, no framing). */
export function schemaMessage(spec: TableSpec, metadata: ReadonlyMap<string, string>): Uint8Array {
  const fb = new FlatBuilder();
  const fields = fb.offsetVector(spec.columns.map((c, i) => field(fb, fieldDef(c, i))));
  const meta = keyValues(fb, metadata);
  fb.startTable(4);
  fb.fieldOffset(1, fields);
  fb.fieldOffset(2, meta);
  const schema = fb.endTable();
  fb.startTable(5);
  fb.fieldInt16(0, METADATA_V5);
  fb.fieldInt8(1, HEADER_SCHEMA);
  fb.fieldOffset(2, schema);
  fb.fieldInt64(3, 0);
  return fb.finish(fb.endTable());
}

/** The footer value: 0xFFFFFFFF, the message length, the message (padded to 8 bytes), base64. */
export function arrowSchemaFooterValue(spec: TableSpec, metadata: ReadonlyMap<string, string>): string {
  const msg = schemaMessage(spec, metadata);
  const padded = (msg.length + 7) & ~7;
  const out = new Uint8Array(8 + padded);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0xffffffff, true);
  dv.setInt32(4, padded, true);
  out.set(msg, 8);
  return Buffer.from(out).toString('base64');
}
