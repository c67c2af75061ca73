/** The error type of this project: every failure a user can cause is one of these, never a stack trace. */
export class NetdevTimesError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'NetdevTimesError';
  }
}
