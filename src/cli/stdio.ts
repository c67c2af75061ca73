/** What main() turns a lone `-` into before parsing (yargs would drop it). */
export const STDIO_ARG = '\u0000-';

/** `-` again, for stdin and stdout. */
export const stdinAware = (path: string): string => (path === STDIO_ARG ? '-' : path);

/**
 * argv as the parsers get it: a lone `-` before `--` becomes STDIO_ARG; after `--` the words are a command's
 * (`record -- cat -`) and stay as typed.
 */
export function cliWords(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return argv.map((w, i) => (w === '-' && (end < 0 || i < end) ? STDIO_ARG : w));
}
