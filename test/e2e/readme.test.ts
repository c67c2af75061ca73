/**
 * The user documentation: README.md within 250 lines, its quick start true, its generated table overview and
 * docs/tables.md as schemas/*.json say (`npm run docs`), its links and the paths the docs name existing, and
 * every command and exit code documented.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/errors.js';
import { COMMANDS } from '../../src/cli/spec.js';
import { generatedDocs, headingAnchor, withGeneratedBlock } from '../../src/tables/schema-doc.js';
import { tableNames } from '../../src/tables/schema.js';
import { ROOT } from '../helpers/fixtures.js';

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const readme = read('README.md');
const docs = readdirSync(join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `docs/${f}`);

/** The text of a `## heading` section, up to the next `## `. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section '## ${heading}'`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

describe('README', () => {
  it('is at most 250 lines', () => {
    expect(readme.split('\n').length - (readme.endsWith('\n') ? 1 : 0)).toBeLessThanOrEqual(250);
  });

  it.each(generatedDocs())('$path holds the table block generated from schemas/*.json (npm run docs)', (g) => {
    const text = read(g.path);
    expect(withGeneratedBlock(text, g.markdown, g.path), `${g.path} is stale: run npm run docs`).toBe(text);
  });

  it('lists every table in its overview, and docs/tables.md every column', () => {
    const overview = generatedDocs()[0].markdown;
    for (const t of tableNames()) expect(overview).toContain(`[\`${t}\`](docs/tables.md#`);
    const anchors = new Set([...read('docs/tables.md').matchAll(/^#+ (.*)$/gm)].map((m) => headingAnchor(m[1])));
    for (const m of overview.matchAll(/\(docs\/tables\.md#([^)]+)\)/g)) expect(anchors).toContain(m[1]);
  });

  it('has a quick start of two commands whose fixture exists', () => {
    const cmds = section(readme, 'Quick start')
      .split('\n')
      .filter((l) => l.startsWith('npm ci &&'));
    expect(cmds).toEqual([
      'npm ci && npx netdev-times convert test/fixtures/traces/eth-npm.txt -o out',
      'npm ci && npm test',
    ]);
    expect(existsSync(join(ROOT, 'test/fixtures/traces/eth-npm.txt'))).toBe(true);
    const pkg = JSON.parse(read('package.json')) as { name: string; bin: unknown; scripts: Record<string, string> };
    expect(pkg.name).toBe('netdev-times');
    expect(pkg.bin).toEqual({ 'netdev-times': 'bin/netdev-times.js' });
    expect(pkg.scripts.test).toMatch(/vitest run/);
  });

  it('documents every command with an example', () => {
    const commands = section(readme, 'Commands');
    for (const c of COMMANDS) {
      expect(commands).toContain(`### \`${c.name}\``);
      expect(commands).toMatch(new RegExp(`netdev-times ${c.name} `));
    }
  });

  it('lists every exit code', () => {
    const rows = section(readme, 'Exit codes')
      .split('\n')
      .filter((l) => /^\| [\d, ]+ \|/.test(l))
      .flatMap((l) =>
        l
          .split('|')[1]
          .split(',')
          .map((n) => Number(n.trim())),
      );
    expect(rows).toEqual(expect.arrayContaining([...Object.values(EXIT), 70, 143]));
    for (const code of rows) expect([...Object.values(EXIT), 70, 143]).toContain(code);
  });

  it('shows pandas reading with dtype_backend="pyarrow"', () => {
    expect(section(readme, 'Reading the tables')).toContain(
      'pd.read_parquet("out/events.parquet", dtype_backend="pyarrow")',
    );
  });

  it('keeps the marked perf.data line for the native reader', () => {
    expect(readme).toMatch(/^<!-- perf-data -->$/m);
  });
});

describe.each(['README.md', ...docs])('%s', (path) => {
  const text = read(path);

  it('links only to files and headings that exist', () => {
    for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#([^)]*))?\)/g)) {
      const target = m[1];
      const anchor = m.at(2);
      if (/^[a-z]+:/.test(target)) continue;
      const file = join(ROOT, dirname(path), target);
      expect(existsSync(file), `${path} links to ${target}`).toBe(true);
      if (anchor === undefined || !target.endsWith('.md')) continue;
      const headings = [...readFileSync(file, 'utf8').matchAll(/^#+ (.*)$/gm)].map((h) => headingAnchor(h[1]));
      expect(headings, `${path} links to ${target}#${anchor}`).toContain(anchor);
    }
  });

  it('names only source paths that exist', () => {
    const named = [...text.matchAll(/`((?:src|bench|test|scripts|schemas|notebooks|bin|docs)\/[^`\s]*)`/g)]
      .map((m) => m[1])
      .filter((p) => !/[*{}<>]|\.\.\./.test(p));
    for (const p of named) expect(existsSync(join(ROOT, p)), `${path} names ${p}`).toBe(true);
  });
});
