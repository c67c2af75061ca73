/** The import rule of ARCHITECTURE.md: data flows one way, and its layer list is the one source of the rule. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/fixtures.js';

const SRC = join(ROOT, 'src');
const doc = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');

function layers(): string[][] {
  const m = /```layers\n([\s\S]*?)```/.exec(doc);
  if (!m) throw new Error('ARCHITECTURE.md has no ```layers block');
  return m[1]
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The folder of a file under src/ as the layer list names it: the top folder, or `index.ts`. */
const topOf = (file: string): string => relative(SRC, file).split('/')[0];
/** For decode/ and its peers: the second level (`decode/text`), or '' for a file at decode/'s root. */
const subOf = (file: string): string => {
  const parts = relative(SRC, file).split('/');
  return parts.length > 2 ? parts[1] : '';
};

interface Source {
  file: string;
  text: string;
}

function imports({ file, text }: Source): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*'(\.[^']+)'/g))
    out.push(resolve(dirname(file), m[1]));
  for (const m of text.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g)) out.push(resolve(dirname(file), m[1]));
  return out;
}

/** Every import that runs against the layers, as 'from -> to'. */
function violations(sources: Source[], order: string[][]): string[] {
  const rank = new Map<string, number>();
  order.forEach((line, i) => line.forEach((f) => rank.set(f, i)));
  const bad: string[] = [];
  for (const s of sources) {
    const f = s.file;
    const from = topOf(f);
    for (const target of imports(s)) {
      const to = topOf(target);
      const rf = rank.get(from);
      const rt = rank.get(to);
      const what = `${relative(ROOT, f)} -> ${relative(ROOT, target)}`;
      if (rf === undefined || rt === undefined) {
        bad.push(`${what} (a folder ARCHITECTURE.md does not place)`);
      } else if (from === to) {
        if (from === 'decode' && subOf(f) !== '' && subOf(target) !== '' && subOf(f) !== subOf(target))
          bad.push(`${what} (peer decoders)`);
      } else if (rt >= rf) {
        bad.push(`${what} (${rt === rf ? 'peers' : 'against the flow'})`);
      }
    }
  }
  return bad;
}

describe('ARCHITECTURE.md', () => {
  const sources = sourceFiles(SRC).map((file) => ({ file, text: readFileSync(file, 'utf8') }));

  it('places every folder of src/', () => {
    const placed = new Set(layers().flat());
    for (const top of new Set(sources.map((s) => topOf(s.file)))) expect(placed.has(top), top).toBe(true);
  });

  it('holds: no import runs against the flow, between peers or between peer decoders', () => {
    expect(violations(sources, layers())).toEqual([]);
  });

  it('the check finds an import against the flow, between peers and between decoders, and passes one with it', () => {
    const made = (from: string, spec: string): Source => ({
      file: join(SRC, from),
      text: `import { x } from '${spec}';\n`,
    });
    const check = (from: string, spec: string): string[] => violations([made(from, spec)], layers());
    expect(check('decode/text/decoder.ts', '../../pipeline/convert.js')).toEqual([
      'src/decode/text/decoder.ts -> src/pipeline/convert.js (against the flow)',
    ]);
    expect(check('report/x.ts', '../summary/y.js')).toEqual(['src/report/x.ts -> src/summary/y.js (peers)']);
    expect(check('decode/text/x.ts', '../perf-data/y.js')).toEqual([
      'src/decode/text/x.ts -> src/decode/perf-data/y.js (peer decoders)',
    ]);
    expect(check('decode/text/x.ts', '../raw-batch.js')).toEqual([]);
    expect(check('pipeline/x.ts', '../decode/text/decoder.js')).toEqual([]);
    expect(check('nowhere/x.ts', '../core/errors.js')).toHaveLength(1);
  });
});
