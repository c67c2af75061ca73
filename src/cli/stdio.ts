/** What main() turns a lone `-` into before parsing (yargs would drop it). */
export const STDIO_ARG = '\u0000-';

/** `-` again, for stdin and stdout. */
export const stdinAware = (path: string): string => (path === STDIO_ARG ? '-' : path);
