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

/** Prints an error as one line on stderr and returns its exit code; a stack trace only for real bugs. */
export function reportError(e: unknown): number {
  if (e instanceof NetdevTimesError) {
    process.stderr.write(`netdev-times: ${e.message}\n`);
    return e.exitCode;
  }
  const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stderr.write(`netdev-times: internal error (please report): ${msg}\n`);
  return 70;
}
