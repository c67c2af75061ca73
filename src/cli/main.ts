import { reportError } from './errors.js';
import { fastBind } from './parse-fast.js';
import { installProcessHandlers } from './process-handlers.js';
import type { Bound } from './spec.js';
import { cliWords } from './stdio.js';

async function execute(b: Bound): Promise<number> {
  try {
    return await b.run();
  } catch (e) {
    return reportError(e);
  }
}

/** Runs the CLI on argv (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  installProcessHandlers();
  // yargs drops a lone '-' (stdin / stdout); carry it through as a word it keeps.
  const words = cliWords(argv);
  const bound = fastBind(words);
  if (bound !== null) return execute(bound);
  // Loaded only now: yargs takes longer to load than a normal run needs to start (see fast-path.ts).
  const { runYargs } = await import('./yargs-cli.js');
  return runYargs(words, execute);
}
