/** A mistake in how the command was called: printed with a hint, exit code 2. */
export class UsageError extends Error {
  constructor(message: string, readonly hint = 'Run `crossdock --help` for usage.') {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure while running a valid command: printed, exit code 1. */
export class CommandError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CommandError';
  }
}
