/** The error type of this project: every failure a user can cause is one of these, never a stack trace. */
export class NetdevTimesError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(oneLine(message));
    this.name = 'NetdevTimesError';
  }
}

/**
 * The message with its control characters written as \xHH: it is printed as one line, and names taken from
 * the input (a tracepoint system, a file name) may hold a newline (the tracing-data fuzzer found one).
 */
function oneLine(message: string): string {
  let out = '';
  for (let i = 0; i < message.length; i++) {
    const c = message.charCodeAt(i);
    out += c < 0x20 || c === 0x7f ? `\\x${c.toString(16).padStart(2, '0')}` : message[i];
  }
  return out;
}
