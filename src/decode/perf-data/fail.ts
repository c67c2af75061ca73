import { NetdevTimesError } from '../../core/errors.js';

/** The one error of an unreadable perf.data: one line, naming where in the input it went wrong. */
export function perfDataError(offset: number, what: string): NetdevTimesError {
  return new NetdevTimesError(`perf.data: ${what} (at byte offset ${offset})`, 1);
}
