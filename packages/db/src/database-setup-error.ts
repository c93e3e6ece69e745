// A database Wakeplan cannot set up for a reason the person running it can fix:
// no `postgres` system user, an unusable temp directory, a busy port, a bad
// EMBEDDED_PG_PORT. Its message is one sentence saying what failed and how to fix
// it, and its stack is that sentence alone: `npm start` and the test setup show
// the message, and a stack trace into our own code would only bury it.
export class DatabaseSetupError extends Error {
  override name = 'DatabaseSetupError';

  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

/** The errno code of a failed system call (`EACCES`, `ENOSPC`, …), for the sentence. */
export function errnoCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String(error);
}
