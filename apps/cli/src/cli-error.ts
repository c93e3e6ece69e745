// A user-facing CLI failure: printed as one line (no stack) with exit code 2 for
// usage errors and 1 for everything else.
export class CliError extends Error {
  override name = 'CliError';
  constructor(message: string, readonly exitCode: 1 | 2 = 1) {
    super(message);
  }
}

export function usageError(message: string): CliError {
  return new CliError(`${message}\nRun \`wakeplan help\` for usage.`, 2);
}
