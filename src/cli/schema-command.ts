import { NetdevTimesError } from '../core/errors.js';
import { schemasMarkdown, tableMarkdown } from '../tables/schema-doc.js';
import { tableNames, tableSpec } from '../tables/schema.js';
import { EXIT } from './errors.js';

export interface SchemaArgs {
  table?: string;
  markdown: boolean;
}

export function runSchema(a: SchemaArgs): number {
  if (a.table) {
    if (!tableNames().includes(a.table))
      throw new NetdevTimesError(`unknown table '${a.table}' (use ${tableNames().join(', ')})`, EXIT.usage);
    const spec = tableSpec(a.table);
    process.stdout.write(a.markdown ? tableMarkdown(spec) : JSON.stringify(spec, null, 2) + '\n');
  } else {
    process.stdout.write(a.markdown ? schemasMarkdown() : JSON.stringify(tableNames().map(tableSpec), null, 2) + '\n');
  }
  return 0;
}
