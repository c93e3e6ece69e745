// The one way Wakeplan opens a pool: every pool has an idle timeout, so a pool
// nobody uses closes its connections and lets a serverless database suspend.
// (The worker's listening connection is a separate instance with no idle timeout:
// see apps/worker; it is ended deliberately before the worker sleeps.)
import postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, never>>;
export type TransactionSql = postgres.TransactionSql<Record<string, never>>;
/** A client able to run a statement: a pool, a reserved connection or a transaction. */
export type Queryable = Sql | TransactionSql;

export interface CreateSqlOptions {
  url: string;
  applicationName: string;
  /** Seconds an idle connection lives. Required on purpose: no pool may stay warm forever. */
  idleTimeoutS: number;
  max?: number;
  onnotify?: (channel: string, payload: string) => void;
  onclose?: (connectionId: number) => void;
  /** Called as each statement is sent (postgres.js `debug`): lets a caller count statements. */
  debug?: (connectionId: number, query: string, parameters: unknown[]) => void;
}

export function createSql(options: CreateSqlOptions): Sql {
  return postgres(options.url, {
    max: options.max ?? 10,
    idle_timeout: options.idleTimeoutS,
    connect_timeout: 10,
    connection: { application_name: options.applicationName },
    onnotice: () => {},
    ...(options.onnotify ? { onnotify: options.onnotify } : {}),
    ...(options.onclose ? { onclose: options.onclose } : {}),
    ...(options.debug ? { debug: options.debug } : {}),
  }) as unknown as Sql;
}
