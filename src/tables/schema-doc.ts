import { tableNames, tableSpec, type TableSpec } from './schema.js';

/** Markdown of one table's columns, generated from its schema: the README embeds exactly this text. */
export function tableMarkdown(spec: TableSpec): string {
  const lines = [
    `### \`${spec.table}\` (schema ${spec.version})`,
    '',
    spec.description,
    '',
    '| column | type | null | unit | meaning |',
    '|---|---|---|---|---|',
  ];
  for (const c of spec.columns) {
    const type = c.dictionary ? `${c.type} (dictionary)` : c.type;
    lines.push(`| \`${c.name}\` | ${type} | ${c.nullable ? 'yes' : 'no'} | ${c.unit ?? ''} | ${c.description.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n') + '\n';
}

/** All tables, in a stable order, for the README's generated block. */
export function schemasMarkdown(): string {
  const names = tableNames();
  const ordered = ['events', ...names.filter((n) => n !== 'events')].filter((n) => names.includes(n));
  return ordered.map((n) => tableMarkdown(tableSpec(n))).join('\n');
}
