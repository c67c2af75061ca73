// Rewrites the README's generated schema block from schemas/*.json (run after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { schemasMarkdown } from '../src/tables/schema-doc.js';

const BEGIN = '<!-- schemas:begin (generated from schemas/*.json by `npm run docs`) -->';
const END = '<!-- schemas:end -->';
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const a = readme.indexOf(BEGIN);
const b = readme.indexOf(END);
if (a < 0 || b < a) throw new Error('README has no schema markers');
writeFileSync(new URL('../README.md', import.meta.url), readme.slice(0, a + BEGIN.length) + '\n' + schemasMarkdown() + readme.slice(b));
