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
      writers?.abortAllFileSinks();
      void (writers?.stopAllBatches() ?? Promise.resolve()).finally(() => {
        process.stderr.write(`netdev-times: interrupted (${sig}); no partial output was left\n`);
        process.exit(sig === 'SIGINT' ? EXIT.interrupted : 143);
      });
    });
  }
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') {
      writers?.abortAllFileSinks();
      writers?.abortAllBatches();
      process.exit(0);
    }
    throw e;
  });
}
