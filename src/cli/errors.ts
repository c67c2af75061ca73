import { NetdevTimesError } from '../core/errors.js';

/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  badInput: 1,
  usage: 2,
  output: 3,
  someInputsFailed: 4,
  interrupted: 130,
} as const;

/** The environment variable that adds the stack trace to an internal error. */
export const DEBUG_ENV = 'NETDEV_TIMES_DEBUG';

/** A message as one line: the lines of a message of several (some of yargs') are joined with '; '. */
export const oneLine = (msg: string): string =>
  msg
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l, i, all) => (i === all.length - 1 ? l : l.endsWith(':') ? `${l} ` : `${l}; `))
    .join('');

/** A usage mistake: one line, exit 2, with where to read the usage. */
export const usageError = (msg: string): NetdevTimesError =>
  new NetdevTimesError(`${oneLine(msg)} (see netdev-times --help)`, EXIT.usage);

/**
 * Prints an error as one line on stderr and returns its exit code. Anything but a NetdevTimesError is a bug
 * (exit 70): one line saying so and how to report it; its stack trace only with NETDEV_TIMES_DEBUG=1.
 */
export function reportError(e: unknown): number {
  if (e instanceof NetdevTimesError) {
    process.stderr.write(`netdev-times: ${oneLine(e.message)}\n`);
    return e.exitCode;
  }
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const debug = process.env[DEBUG_ENV] !== undefined && process.env[DEBUG_ENV] !== '' && process.env[DEBUG_ENV] !== '0';
  process.stderr.write(
    `netdev-times: internal error (a bug in netdev-times): ${oneLine(what)}; please report it to the maintainers ` +
      `with the command line, the input and the output of the same run with ${DEBUG_ENV}=1 (the stack trace)\n`,
  );
  if (debug && e instanceof Error && e.stack !== undefined) process.stderr.write(`${e.stack}\n`);
  return 70;
}
