import { tableNames, tableSpec, type ColumnSpec, type TableSpec } from './schema.js';

/**
 * Markdown generated from schemas/*.json, the one definition of the tables: `schema --markdown` prints it,
 * `npm run docs` (scripts/readme-schemas.ts) writes it between the markers of README.md (the compact
 * overview) and docs/tables.md (every column), and test/e2e/readme.test.ts fails when either is stale.
 */

/** Markdown of one table's columns, generated from its schema: docs/tables.md holds exactly this text. */
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
    lines.push(`| \`${c.name}\` | ${type} | ${c.nullable ? 'yes' : 'no'} | ${c.unit ?? ''} | ${cell(c.description)} |`);
  }
  return lines.join('\n') + '\n';
}

/** The tables in a stable order: `events` first, then by name. */
function orderedTables(): TableSpec[] {
  const names = tableNames();
  return ['events', ...names.filter((n) => n !== 'events')].filter((n) => names.includes(n)).map(tableSpec);
}

/** All tables, every column: the generated block of docs/tables.md. */
export function schemasMarkdown(): string {
  return orderedTables()
    .map((spec) => tableMarkdown(spec))
    .join('\n');
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The first sentence of a description (a period after a word, then a capital): what one row is. */
export function firstSentence(text: string): string {
  const m = /^(.*?[\w)'])\.\s+(?=[A-Z])/.exec(text);
  return m ? `${m[1]}.` : text;
}

/** Columns that identify a row or join it to another table, by name. */
const KEY_NAME = /(_id|_index)$|^(report_order|skbaddr|input|line)$/;

/** A table's key columns: its identifiers and join keys, and the first time column (the row's own time). */
export function keyColumns(spec: TableSpec): ColumnSpec[] {
  const time = spec.columns.find((c) => c.unit === 'ns');
  return spec.columns.filter((c) => KEY_NAME.test(c.name) || c === time);
}

/** GitHub's anchor of a heading: lower case, punctuation other than `-` and `_` dropped, spaces to `-`. */
export function headingAnchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/**
 * One row per table: the README's generated block. `reference` is the path of the file that holds
 * schemasMarkdown() (each table's name links to its section there).
 */
export function schemasSummaryMarkdown(reference: string): string {
  const lines = ['| table | what a row is | key columns | columns |', '|---|---|---|---:|'];
  for (const spec of orderedTables()) {
    const anchor = headingAnchor(`\`${spec.table}\` (schema ${spec.version})`);
    const keys = keyColumns(spec)
      .map((c) => `\`${c.name}\``)
      .join(', ');
    lines.push(
      `| [\`${spec.table}\`](${reference}#${anchor}) | ${cell(firstSentence(spec.description))} | ${keys} | ${spec.columns.length} |`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Opening marker of a generated block; the line it is on is kept, the block starts on the next line. */
export const GENERATED_BEGIN = '<!-- schemas:begin (generated from schemas/*.json by `npm run docs`) -->';
export const GENERATED_END = '<!-- schemas:end -->';

/** The files that hold a generated block (paths from the repository root) and the block each holds. */
export function generatedDocs(): { path: string; markdown: string }[] {
  return [
    { path: 'README.md', markdown: schemasSummaryMarkdown('docs/tables.md') },
    { path: 'docs/tables.md', markdown: schemasMarkdown() },
  ];
}

/** `text` with its generated block replaced by `markdown`; throws when the markers are missing. */
export function withGeneratedBlock(text: string, markdown: string, name: string): string {
  const a = text.indexOf(GENERATED_BEGIN);
  const b = text.indexOf(GENERATED_END);
  if (a < 0 || b < a) throw new Error(`${name} has no ${GENERATED_BEGIN} ... ${GENERATED_END} markers`);
  return text.slice(0, a + GENERATED_BEGIN.length) + '\n' + markdown + text.slice(b);
}
