import { EXIT } from './errors.js';

/** The clean-up of the writers (emit/byte-sink.ts, emit/convert-many.ts). */
export interface Writers {
  abortAllFileSinks(): void;
  abortAllBatches(): void;
  stopAllBatches(): Promise<void>;
}

/**
 * Set by the command that writes files (convert) before it writes any: the writers are loaded with it, and a
 * run that never loaded them has nothing to remove (loading them on a signal would only delay the exit).
 */
let writers: Writers | null = null;

export function writersLoaded(w: Writers): void {
  writers = w;
}

let handlersInstalled = false;

/** What a command does instead of exiting on SIGINT/SIGTERM (record: stop perf, let it finish the file). */
let signalHook: ((sig: 'SIGINT' | 'SIGTERM') => void) | null = null;

/** Makes SIGINT and SIGTERM call `hook` instead of ending the run; null restores the default. */
export function interceptSignals(hook: ((sig: 'SIGINT' | 'SIGTERM') => void) | null): void {
  signalHook = hook;
}

/**
 * Signals and closed pipes: an interrupted conversion removes its temporary files (the previous output, if
 * any, stays as it was); a reader that goes away (`| head`) ends the run quietly.
 */
export function installProcessHandlers(): void {
  // main() may run more than once in a process (the library, tests): one set of handlers serves them all.
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      if (signalHook !== null) {
        signalHook(sig);
        return;
      }
      writers?.abortAllFileSinks();
      void (writers?.stopAllBatches() ?? Promise.resolve()).finally(() => {
        // A progress line may be on the terminal: the message replaces it rather than trailing it.
        const erase = process.stderr.isTTY ? '\r\x1b[K' : '';
        process.stderr.write(`${erase}netdev-times: interrupted (${sig}); no partial output was left\n`);
        process.exit(sig === 'SIGINT' ? EXIT.interrupted : 143);
      });
    });
  }
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    writers?.abortAllFileSinks();
    writers?.abortAllBatches();
    if (e.code === 'EPIPE') process.exit(0);
    // Any other failure of stdout (a full disk, an I/O error): one line and exit 3, as for an output file.
    process.stderr.write(`netdev-times: standard output: write failed (${stdoutFailure(e)})\n`);
    process.exit(EXIT.output);
  });
}

/** A stdout error as a few words (byte-sink.ts says the same of files). */
function stdoutFailure(e: NodeJS.ErrnoException): string {
  if (e.code === 'ENOSPC') return 'no space left on the device';
  if (e.code === 'EDQUOT') return 'disk quota exceeded';
  if (e.code === 'EIO') return 'input/output error';
  return e.code ?? e.message;
}
