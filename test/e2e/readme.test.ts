import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemasMarkdown } from '../../src/tables/schema-doc.js';
import { ROOT } from '../helpers/fixtures.js';

const readme = readFileSync(`${ROOT}README.md`, 'utf8');

describe('README', () => {
  it('documents every table exactly as schemas/*.json says (npm run docs)', () => {
    const begin = readme.indexOf('<!-- schemas:begin');
    const end = readme.indexOf('<!-- schemas:end -->');
    const block = readme.slice(readme.indexOf('\n', begin) + 1, end);
    expect(block).toBe(schemasMarkdown());
  });

  it('has a quick start of two commands whose fixture exists', () => {
    const quick = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Use'));
    const cmds = quick.split('\n').filter((l) => l.startsWith('npm ci &&'));
    expect(cmds).toEqual([
      'npm ci && npx netdev-times convert test/fixtures/traces/eth-npm.txt -o out',
      'npm ci && npm test',
    ]);
    expect(existsSync(`${ROOT}test/fixtures/traces/eth-npm.txt`)).toBe(true);
    expect(JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).scripts.test).toMatch(/vitest run/);
  });
});
