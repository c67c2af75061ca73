/**
 * Arrow types of the tables of schemas/*.json. Apart from schema.ts so that a run that writes no Arrow
 * (the default Parquet conversion, the report from text) never loads apache-arrow: about 150 modules.
 */
import { DataType, Dictionary, Field, Int32, Int64, List, Schema, Uint64, Utf8 } from 'apache-arrow';
import { SCHEMA_VERSION_KEY, TABLE_KEY, type ColumnSpec, type TableSpec } from './schema.js';

export function arrowType(c: ColumnSpec, dictionaryId: number): DataType {
  switch (c.type) {
    case 'int32': return new Int32();
    case 'int64': return new Int64();
    case 'uint64': return new Uint64();
    case 'utf8': return c.dictionary ? new Dictionary(new Utf8(), new Int32(), dictionaryId) : new Utf8();
    case 'list<utf8>': return new List(new Field('item', new Utf8(), false));
  }
}

/** Arrow schema of a table; dictionary ids are unique across tables so batches never share one. */
export function arrowSchema(spec: TableSpec): Schema {
  const base = [...spec.table].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) & 0xffff, 7) * 64;
  const fields = spec.columns.map((c, i) => new Field(c.name, arrowType(c, base + i), c.nullable));
  const meta = new Map([[SCHEMA_VERSION_KEY, spec.version], [TABLE_KEY, spec.table]]);
  return new Schema(fields, meta);
}
