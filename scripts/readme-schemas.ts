// `npm run docs`: rewrites the generated blocks of README.md (one row per table) and docs/tables.md (every
// column) from schemas/*.json. Run from TypeScript by tsx; test/e2e/readme.test.ts fails when either is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { generatedDocs, withGeneratedBlock } from '../src/tables/schema-doc.js';

for (const { path, markdown } of generatedDocs()) {
  const url = new URL(`../${path}`, import.meta.url);
  const before = readFileSync(url, 'utf8');
  const after = withGeneratedBlock(before, markdown, path);
  if (after !== before) writeFileSync(url, after);
  process.stdout.write(`${path}: ${after === before ? 'up to date' : 'regenerated'}\n`);
}
