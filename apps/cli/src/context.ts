// What every command gets from main.ts: configuration, output, and a way to use
// the database (resolved by the shared rule, released when the command ends).
import type { Sql } from '@wakeplan/db';
import type { CliConfig } from './config.ts';

interface DatabaseHandle {
  url: string;
  /** Direct URL for LISTEN (DATABASE_LISTEN_URL, else url). */
  listenUrl: string;
  sql: Sql;
}

export interface CliContext {
  config: Readonly<CliConfig>;
  out(line: string): void;
  err(line: string): void;
  /** Opens a pool for the duration of `fn`, then ends it (and any embedded server this run started). */
  withDatabase<T>(fn: (db: DatabaseHandle) => Promise<T>): Promise<T>;
  /** Resolves on Ctrl-C / SIGTERM (used by long-running commands such as `record`). */
  interrupted: Promise<void>;
  isTerminal: boolean;
}
