// The two ways Wakeplan opens connections.
//
// createSql — a pool. Every pool has an idle timeout, so a pool nobody uses
// closes its connections and lets a serverless database suspend.
//
// createListener — the dedicated LISTEN connection (the worker's, `wakeplan
// record`'s): one connection with no idle timeout and no max lifetime (a pool's
// idle timeout would drop it) that runs LISTEN itself and reports notifications
// and its close through callbacks. Unlike postgres.js's sql.listen(), it never
// re-connects by itself: once closed it stays closed until queried again, so it
// cannot wake a suspended database (DESIGN.md §2). Its owner ends it deliberately.
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

export interface CreateListenerOptions {
  url: string;
  applicationName: string;
  onnotify: (channel: string, payload: string) => void;
  onclose?: (connectionId: number) => void;
  debug?: (connectionId: number, query: string, parameters: unknown[]) => void;
}

export function createListener(options: CreateListenerOptions): Sql {
  // onnotify/onclose are postgres() options in 3.4 (its own listen() is built on
  // them) but missing from its type declarations, hence the cast.
  const settings = {
    max: 1,
    idle_timeout: null,
    max_lifetime: null,
    connect_timeout: 10,
    connection: { application_name: options.applicationName },
    onnotice: () => {},
    onnotify: options.onnotify,
    ...(options.onclose ? { onclose: options.onclose } : {}),
    ...(options.debug ? { debug: options.debug } : {}),
  };
  return postgres(options.url, settings as unknown as postgres.Options<Record<string, never>>) as unknown as Sql;
}
