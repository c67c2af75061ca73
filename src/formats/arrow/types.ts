/**
 * Arrow types of the tables of schemas/*.json with the classes of apache-arrow's own entry, for library
 * users (what they import). The project itself builds them with arrow-lib.ts's build (arrow-schema.ts).
 */
import * as esm from 'apache-arrow';
import type { DataType, Schema } from 'apache-arrow';
import { arrowSchemaOf, arrowTypeOf } from './schema.js';
import type { ColumnSpec, TableSpec } from '../../tables/schema.js';

/** For library users: the types with the classes of the package's own entry (the one they import). */
export const arrowType = (c: ColumnSpec, dictionaryId: number): DataType => arrowTypeOf(esm, c, dictionaryId);
export const arrowSchema = (spec: TableSpec): Schema => arrowSchemaOf(esm, spec);
