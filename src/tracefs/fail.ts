import { NetdevTimesError } from '../core/errors.js';

/** One-line error for unreadable tracing data or format text (exit code 1, no stack trace shown). */
export function tracingError(message: string): NetdevTimesError {
  return new NetdevTimesError(`tracing data: ${message}`);
}
