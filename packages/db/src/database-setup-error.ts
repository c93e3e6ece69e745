// A database Wakeplan cannot set up for a reason the person running it can fix:
// no `postgres` system user, an unusable temp directory, a busy port. Its message
// is one sentence saying what failed and how to fix it, and its stack is that
// sentence alone (a StartupError): every entry point and the test setup show the
// message, and a stack trace into our own code would only bury it. A bad
// variable (EMBEDDED_PG_PORT, DATABASE_URL missing in production) is not one of
// these but a configuration problem (database-env.ts), reported with the rest.
import { StartupError } from '@wakeplan/runtime';

export class DatabaseSetupError extends StartupError {
  override name = 'DatabaseSetupError';
}

/** The errno code of a failed system call (`EACCES`, `ENOSPC`, …), for the sentence. */
export function errnoCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String(error);
}
