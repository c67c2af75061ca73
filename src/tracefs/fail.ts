import { NetdevTimesError } from '../core/errors.js';

/**
 * One-line error for unreadable tracing data or format text (exit code 1, no stack trace shown). Its messages
 * quote names read from the data (systems, events, fields), which may hold any byte: control characters are
 * written as \xHH (the fuzzer found a newline in a system name cutting the line in two).
 */
export function tracingError(message: string): NetdevTimesError {
  let text = '';
  for (let i = 0; i < message.length; i++) {
    const c = message.charCodeAt(i);
    text += c < 0x20 || c === 0x7f ? `\\x${c.toString(16).padStart(2, '0')}` : message[i];
  }
  return new NetdevTimesError(`tracing data: ${text}`);
}
