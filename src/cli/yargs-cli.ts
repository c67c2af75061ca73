/**
 * The yargs program, built from spec.ts: loaded only when yargs must answer (help, --version, no or an unknown
 * command, a usage error) or when the fast path declined a command line, so that its help texts and messages
 * stay yargs' own.
 */
import yargs, { type Argv, type Options } from 'yargs';
import { toolVersion } from '../core/version.js';
import { recordReader } from './arg-reader.js';
import { EXIT, reportError, usageError } from './errors.js';
import { COMMANDS, NO_COMMAND, USAGE, type Bound, type CommandData, type OptionSpec } from './spec.js';

/** `convert <inputs..>`, `schema [table]`: yargs' command string of a command. */
export function commandString(c: CommandData): string {
  const word = (name: string, required: boolean, variadic: boolean): string => {
    const inner = variadic ? `${name}..` : name;
    return required ? `<${inner}>` : `[${inner}]`;
  };
  return [c.name, ...c.positionals.map((p) => word(p.name, p.required, p.variadic))].join(' ');
}

function yargsOption(o: OptionSpec): Options {
  return {
    ...(o.alias !== undefined && { alias: o.alias }),
    type: o.type,
    ...(o.array === true && { array: true }),
    ...(o.default !== undefined && { default: typeof o.default === 'object' ? [...o.default] : o.default }),
    ...(o.demandOption === true && { demandOption: true }),
    ...(o.describe !== undefined && { describe: o.describe }),
    ...(o.choices !== undefined && { choices: o.choices }),
    ...(o.hidden === true && { hidden: true }),
  };
}

function builder(c: CommandData): (y: Argv) => Argv {
  return (y) => {
    if (c.usage !== undefined) y = y.usage(c.usage);
    for (const p of c.positionals) {
      const describe = typeof p.describe === 'function' ? p.describe() : p.describe;
      y = y.positional(p.name, {
        type: 'string',
        describe,
        ...(p.default !== undefined && { default: [...p.default] }),
      });
    }
    for (const o of c.options) y = y.option(o.name, yargsOption(o));
    if (c.epilogue !== undefined) y = y.epilogue(c.epilogue);
    if (c.dashDash === true) y = y.parserConfiguration({ 'populate--': true });
    return y;
  };
}

/**
 * Parses `words` (argv with '-' already replaced) with yargs and passes the command it names to `exec`;
 * returns exec's exit code, 0 after help or --version, or the usage error's.
 */
export async function runYargs(words: readonly string[], exec: (b: Bound) => Promise<number>): Promise<number> {
  let code: number = EXIT.ok;
  const run = async (start: () => Promise<number>): Promise<void> => {
    try {
      code = await start();
    } catch (e) {
      code = reportError(e);
    }
  };
  let parser = yargs([...words])
    .scriptName('netdev-times')
    .usage(USAGE);
  for (const c of COMMANDS) {
    parser = parser.command(commandString(c), c.describe, builder(c), (a) => run(() => exec(c.bind(recordReader(a)))));
  }
  parser = parser
    .demandCommand(1, NO_COMMAND)
    .strict()
    .version(toolVersion())
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 100))
    // err is undefined for a usage mistake, whatever yargs' types say.
    .fail((msg, err: Error | undefined) => {
      throw err ?? usageError(msg);
    });
  try {
    await parser.parseAsync();
  } catch (e) {
    return reportError(e);
  }
  return code;
}
