/**
 * The fast path (yargs-parser with the commands' data, no yargs) and the yargs program built from the same data
 * agree: every command line the fast path accepts gives the same command and the same typed arguments under
 * yargs; what it declines (help, --version, usage errors, lines yargs reads its own way) still gets yargs'
 * own text and exit code.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { fastBind } from '../../src/cli/parse-fast.js';
import { COMMANDS, NO_COMMAND, type Bound } from '../../src/cli/spec.js';
import { cliWords, STDIO_ARG } from '../../src/cli/stdio.js';
import { runYargs } from '../../src/cli/yargs-cli.js';
import { BIN, ROOT } from '../helpers/fixtures.js';
import { readPackageJson } from '../helpers/json.js';

interface YargsRun {
  code: number;
  bound: Bound | null;
  stderr: string;
}

/** The yargs program on `words`, the command it would run captured instead of run. */
async function underYargs(words: string[]): Promise<YargsRun> {
  let bound: Bound | null = null;
  const err: string[] = [];
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array): boolean => {
    err.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  });
  try {
    const code = await runYargs(words, (b) => {
      bound = b;
      return Promise.resolve(0);
    });
    return { code, bound, stderr: err.join('') };
  } finally {
    e.mockRestore();
  }
}

/** Command lines of normal runs: the fast path takes them. */
const ACCEPTED: string[][] = [
  ['convert', 'a.txt', '-o', 'out'],
  [
    'convert',
    'a',
    'b',
    'c',
    '--output=out',
    '-f',
    'parquet,arrow',
    '-t',
    'tx_packets',
    '--payload',
    '--json',
    '-q',
    '--perf',
    '/usr/bin/perf',
    '--strict',
    '--force',
    '-j',
    '3',
  ],
  ['convert', STDIO_ARG, '-o', STDIO_ARG, '--table', 'events', '-q'],
  ['convert', '-o', 'out', 'a'],
  ['convert', 'a', '-qo', 'out'],
  ['convert', 'a', '-o', 'out', '--no-quiet', '--payload=false', '--json', 'true'],
  ['convert', '123', '-o', '456', '-f', '7'],
  ['convert', 'a', '-o', 'out', '--jobs=2', '--format', 'arrow'],
  ['report', 't.txt'],
  ['report', 't.txt', 'tx', 'dev=eth0', '--rx', '--dev', 'lo', '--debug', '--source', 's1'],
  ['report', STDIO_ARG, 'debug'],
  ['report', '--tx', 'dataset/'],
  ['summary', 'd'],
  ['summary', 'd', '--unit', 'us', '--json', '--source', 'x', '--perf', 'p'],
  ['summary', 'd', '--unit=ms'],
  ['schema'],
  ['schema', 'events'],
  ['schema', '--markdown'],
  ['schema', 'rx_irqs', '--markdown'],
  ['schema', 'nope'],
  ['record'],
  ['record', '--', 'sleep', '1'],
  ['record', '-o', 'x.data', '-g', '--perf', 'p', '--', 'ls', '-l', '--help', 'help', '-'],
  ['record', '--command', 'x', '--', 'y'],
  ['record', '--no-callgraph', '-o=y.data', '--', 'true'],
];

/** Command lines yargs answers or reads in its own way: the fast path declines them. */
const DECLINED: string[][] = [
  [],
  ['--help'],
  ['-h'],
  ['--version'],
  ['help'],
  ['-q', 'convert', 'a', '-o', 'o'],
  ['convrt', 'a', '-o', 'o'],
  ['convert'],
  ['convert', 'a'],
  ['convert', '-o', 'o'],
  ['convert', 'a', '-o', 'o', '--bogus'],
  ['convert', 'a', '-o', 'o', '-Z'],
  ['convert', 'a', '-o', 'o', '-h'],
  ['convert', 'a', '-o', 'o', '-qh'],
  ['convert', 'a', '-o', 'o', '--help'],
  ['convert', 'a', '-o', 'o', '--version'],
  ['convert', 'a', '-o', 'o', '--no-help'],
  ['convert', 'a', '-o', 'o', 'help'],
  ['convert', 'a', '-q', 'help', '-o', 'o'],
  ['convert', 'a', '-o', 'help'],
  ['convert', 'a', '-o', 'o', '-o', 'p'],
  ['convert', 'a', '-o', 'out', '-j', 'x'],
  ['convert', 'a', '-o', 'out', '-j'],
  ['convert', 'a', '-o', 'out', '-j', '0'],
  ['convert', 'a', '-o', 'o', '-f', 'parquet', '-f', 'arrow'],
  ['convert', 'a', '-o', 'o', '--output.x', '1'],
  ['convert', '--inputs', 'a', '-o', 'o'],
  ['convert', '-5', '-o', 'o'],
  ['report'],
  ['report', 'a', '--input', 'b'],
  ['summary'],
  ['summary', 'a', 'b'],
  ['summary', 'd', '--unit', 's'],
  ['summary', 'd', '--unit', 'ms', '--unit', 'us'],
  ['schema', 'a', 'b'],
  ['schema', 'help'],
  ['schema', '--bogus'],
  ['record', 'x'],
  ['record', 'help', '--', 'true'],
];

describe('the fast path and yargs agree', () => {
  it.each(ACCEPTED.map((w) => [w.join(' '), w]))('%s: same command, same arguments', async (_, words) => {
    const fast = fastBind(words);
    expect(fast).not.toBeNull();
    const slow = await underYargs(words);
    expect(slow.stderr).toBe('');
    expect(slow.code).toBe(0);
    expect(slow.bound).not.toBeNull();
    expect(fast?.command).toBe(slow.bound?.command);
    expect(fast?.args).toEqual(slow.bound?.args);
  });

  it('`--` ends the options: the words after it are positional words (yargs would drop them)', () => {
    expect(fastBind(['convert', 'a', '-o', 'o', '--', 'b'])?.args).toMatchObject({ inputs: ['a', 'b'], output: 'o' });
    expect(fastBind(['convert', '-o', 'o', '--', '--weird', '-x'])?.args).toMatchObject({ inputs: ['--weird', '-x'] });
    expect(fastBind(['report', '--', '-r'])?.args).toMatchObject({ input: '-r', words: [] });
    expect(fastBind(['record', '--', '-r'])?.args).toMatchObject({ command: ['-r'] });
  });

  it.each(DECLINED.map((w) => [w.join(' '), w]))('%s: left to yargs', (_, words) => {
    expect(fastBind(words)).toBeNull();
  });

  it('declined lines yargs takes still run their command', async () => {
    for (const words of [
      ['convert', 'a', '-o', 'help'],
      ['convert', 'a', '-q', '-o', 'o', '--', 'b'],
      ['report', 'a', '--input', 'b'],
    ]) {
      const r = await underYargs(words);
      expect(r.code, words.join(' ')).toBe(0);
      expect(r.bound?.command).toBe(words[0]);
    }
  });
});

describe('usage errors are yargs’ own (exit 2)', () => {
  const cases: [string[], string][] = [
    [[], NO_COMMAND],
    [['convert', 'a'], 'Missing required argument: output'],
    [['convert'], 'Not enough non-option arguments: got 0, need at least 1'],
    [['convert', 'a', '-o', 'o', '--bogus'], 'Unknown argument: bogus'],
    [['summary', 'd', '--unit', 's'], 'Invalid values: Argument: unit, Given: "s", Choices: "ms", "us"'],
    [['schema', 'a', 'b'], 'Unknown argument: b'],
    [['record', 'x'], 'Unknown argument: x'],
  ];
  it.each(cases.map(([w, m]) => [w.join(' '), w, m]))('%s', async (_, words, message) => {
    const r = await underYargs(words);
    expect(r.code).toBe(2);
    expect(r.bound).toBeNull();
    expect(r.stderr).toBe(`netdev-times: ${message} (see netdev-times --help)\n`);
  });

  it('a number option that is not one is a usage error after yargs too, one line', async () => {
    for (const [words, message] of [
      [['convert', 'a', '-o', 'o', '-j', 'x'], '--jobs must be a number'],
      [['convert', 'a', '-o', 'o', '-j'], '--jobs must be given a value'],
      [['convert', 'a', '-o', 'o', '-j', '0'], "--jobs must be a whole number of at least 1, not '0'"],
    ] as const) {
      const r = await underYargs([...words]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`netdev-times: ${message} (see netdev-times --help)\n`);
    }
  });

  it('an option given twice, which the commands cannot take, is a usage error after yargs too', async () => {
    const r = await underYargs(['convert', 'a', '-o', 'o', '-o', 'p']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('netdev-times: --output was given 2 times (see netdev-times --help)\n');
  });
});

describe('help and --version come from yargs (through bin)', () => {
  const cli = (args: string[]) => spawnSync('node', [BIN, ...args], { encoding: 'utf8' });
  const { version } = readPackageJson(`${ROOT}package.json`);

  it('--version and a command line with --version print the package version', () => {
    for (const args of [['--version'], ['convert', 'a', '-o', 'o', '--version']]) {
      const r = cli(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  });

  it('--help lists every command; `help` and -h too', () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = cli(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^netdev-times <command> \[options\]\n/);
      for (const c of COMMANDS) expect(r.stdout).toContain(`netdev-times ${c.name}`);
    }
  });

  it("each command's help shows its positionals, options, usage and epilogue", () => {
    for (const c of COMMANDS) {
      const r = cli([c.name, '--help']);
      expect(r.status).toBe(0);
      for (const p of c.positionals) expect(r.stdout).toMatch(new RegExp(`^  ${p.name}  `, 'm'));
      for (const o of c.options) {
        if (o.hidden === true) expect(r.stdout).not.toContain(`--${o.name}`);
        else expect(r.stdout).toContain(`--${o.name}`);
      }
      if (c.usage !== undefined) expect(r.stdout).toContain(c.usage.replace('$0', 'netdev-times'));
      // Its first words: yargs wraps the rest to the terminal's width.
      if (c.epilogue !== undefined) expect(r.stdout).toContain(c.epilogue.split(' ').slice(0, 3).join(' '));
    }
    expect(cli(['schema', '--help']).stdout).toContain('one table (events, ');
  });
});

describe('the command data', () => {
  it('no positional shares a name with an option of its command (the fast path tells them apart by name)', () => {
    for (const c of COMMANDS) {
      const names = c.options.flatMap((o) => [o.name, ...(o.alias === undefined ? [] : [o.alias])]);
      for (const p of c.positionals) expect(names, c.name).not.toContain(p.name);
    }
  });
});

describe('a lone -', () => {
  it('is stdin/stdout before --, and stays as typed in the command after it', () => {
    const bound = fastBind(cliWords(['record', '-o', 'x.data', '--', 'cat', '-']));
    expect(bound?.args).toMatchObject({ output: 'x.data', command: ['cat', '-'] });
    expect(fastBind(cliWords(['report', '-', 'tx']))?.args).toMatchObject({ input: STDIO_ARG });
    expect(cliWords(['convert', '-', '-o', '-'])).toEqual(['convert', STDIO_ARG, '-o', STDIO_ARG]);
  });
});
