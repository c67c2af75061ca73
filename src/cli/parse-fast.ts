/**
 * The command line of a normal run, parsed without yargs: yargs (with cliui, string-width, y18n...) takes
 * longer to load than Node itself to start. yargs-parser is the parser yargs runs underneath, given the same
 * options here, so what is accepted parses exactly as under yargs. Anything yargs would answer itself or might
 * read differently (help, --version, an unknown command or option, a missing or surplus word, a bad choice,
 * an option given twice) is not accepted: main() then hands the words to yargs, which prints its own
 * help or message.
 * Kept because measured: importing yargs takes 0.22-0.29 s against 0.13-0.15 s for yargs-parser (node -e import).
 */
import yargsParser from 'yargs-parser';
import { ArgTypeError, recordReader } from './arg-reader.js';
import { COMMANDS, type Bound, type CommandSpec, type OptionType } from './spec.js';

/** yargs' own options, on every command. */
const GLOBAL_FLAGS = ['help', 'h', 'version'];

/** Words yargs acts on before any command: `--help`, `-h`, `--version` and `--no-` forms, `-xh` groups. */
const YARGS_WORD = /^(--(no-)?(help|version)(=.*)?|-[^-]*h.*)$/;

function parserOptions(c: CommandSpec): yargsParser.Options {
  const pick = (type: OptionType): string[] => c.options.filter((o) => o.type === type).map((o) => o.name);
  const alias: Record<string, string[]> = { help: ['h'] };
  const defaults: Record<string, unknown> = {};
  for (const o of c.options) {
    if (o.alias !== undefined) alias[o.name] = [o.alias];
    if (o.default !== undefined) defaults[o.name] = typeof o.default === 'object' ? [...o.default] : o.default;
  }
  return {
    alias,
    boolean: [...pick('boolean'), 'help', 'version'],
    string: pick('string'),
    number: pick('number'),
    array: c.options.filter((o) => o.array === true).map((o) => o.name),
    default: defaults,
    // As yargs calls it: `--` words kept apart, positional words left as strings.
    configuration: { 'parse-positional-numbers': false, 'populate--': true },
  };
}

function knownKeys(c: CommandSpec): Set<string> {
  const keys = new Set<string>(['_', '--']);
  for (const o of c.options) {
    keys.add(o.name).add(yargsParser.camelCase(o.name));
    if (o.alias !== undefined) keys.add(o.alias);
  }
  return keys;
}

/**
 * The command to run when `words` (argv with '-' already replaced, see stdio.ts) is a valid command line that
 * needs nothing of yargs; null when yargs must see it.
 */
export function fastBind(words: readonly string[]): Bound | null {
  const c = COMMANDS.find((cmd) => cmd.name === words[0]);
  if (c === undefined) return null;
  const rest = words.slice(1);
  const dashDash = rest.indexOf('--');
  const own = dashDash < 0 ? rest : rest.slice(0, dashDash);
  // yargs shows help when the last positional word is `help`; any `help` word is left to it.
  if (own.some((w) => w === 'help' || YARGS_WORD.test(w))) return null;

  const parsed = yargsParser.detailed([...rest], parserOptions(c));
  if (parsed.error !== null) return null;
  const argv: Record<string, unknown> = { ...parsed.argv };
  const known = knownKeys(c);
  if (Object.keys(argv).some((k) => !known.has(k) || GLOBAL_FLAGS.includes(k))) return null;

  const before = parsed.argv._.map(String);
  if (before.some((w) => w.startsWith('-'))) return null;
  // `--` ends the options: after it, a word is a positional word even if it starts with '-' (a file `--weird`),
  // except for `record`, whose words after `--` are the command it runs.
  let positional = before;
  if (c.dashDash !== true) {
    const after: unknown = argv['--'];
    if (Array.isArray(after)) positional = [...before, ...after.map(String)];
    delete argv['--'];
  }
  const required = c.positionals.filter((p) => p.required).length;
  const variadic = c.positionals.some((p) => p.variadic);
  if (positional.length < required || (!variadic && positional.length > c.positionals.length)) return null;
  for (const [i, p] of c.positionals.entries()) {
    if (p.variadic) argv[p.name] = positional.slice(i);
    else if (i < positional.length) argv[p.name] = positional[i];
    else if (p.default !== undefined) argv[p.name] = [...p.default];
  }

  for (const o of c.options) {
    const v = argv[o.name];
    if (o.demandOption === true && v === undefined) return null;
    if (o.choices !== undefined && !o.choices.some((choice) => choice === v)) return null;
  }
  try {
    return c.bind(recordReader(argv));
  } catch (e) {
    if (e instanceof ArgTypeError) return null;
    throw e;
  }
}
