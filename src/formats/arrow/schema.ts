/** Arrow types and schemas of the tables of schemas/*.json, built with a given apache-arrow build's classes. */
import type { DataType, Schema, TypeMap } from 'apache-arrow';
import type { ArrowLib } from './lib.js';
import { SCHEMA_VERSION_KEY, TABLE_KEY, type ColumnSpec, type TableSpec } from '../../tables/schema.js';

/** The Arrow type of a column, with the classes of `lib` (one apache-arrow build, see arrow-lib.ts). */
export function arrowTypeOf(lib: ArrowLib, c: ColumnSpec, dictionaryId: number): DataType {
  switch (c.type) {
    case 'int32':
      return new lib.Int32();
    case 'int64':
      return new lib.Int64();
    case 'uint64':
      return new lib.Uint64();
    case 'utf8':
      return c.dictionary ? new lib.Dictionary(new lib.Utf8(), new lib.Int32(), dictionaryId) : new lib.Utf8();
    case 'list<utf8>':
      return new lib.List(new lib.Field('item', new lib.Utf8(), false));
  }
}

/** Dictionary id of column i of a table: unique across tables, so batches of two tables never share one. */
export function dictionaryId(spec: TableSpec, i: number): number {
  return Array.from(spec.table).reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) & 0xffff, 7) * 64 + i;
}

/** Arrow schema of a table. */
export function arrowSchemaOf(lib: ArrowLib, spec: TableSpec): Schema<TypeMap> {
  const fields = spec.columns.map(
    (c, i) => new lib.Field(c.name, arrowTypeOf(lib, c, dictionaryId(spec, i)), c.nullable),
  );
  const meta = new Map([
    [SCHEMA_VERSION_KEY, spec.version],
    [TABLE_KEY, spec.table],
  ]);
  return new lib.Schema<TypeMap>(fields, meta);
}
