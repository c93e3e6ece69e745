// The worker's port to the database: it opens the pool and the listening
// connection, nothing else does. `wakeplan simulate` and the benchmark wrap or
// observe it to count every connection and statement the worker would cause.
//
// Invariants: both clients are lazy (postgres.js connects on the first
// statement), so opening one costs nothing until it is used; the pool closes
// idle connections after idleTimeoutS; the listener is packages/db's
// createListener, which re-connects only when it is queried again, never by itself.
import { createListener, createSql, type Sql } from '@wakeplan/db';

export type ConnectionRole = 'pool' | 'listener';

export interface ListenerCallbacks {
  onnotify(channel: string, payload: string): void;
  onclose(): void;
}

export interface DatabaseConnector {
  openPool(): Sql;
  openListener(callbacks: ListenerCallbacks): Sql;
}

/** Sees every statement sent and every connection opened or closed, per role. */
export interface ConnectorObserver {
  statement?(role: ConnectionRole, query: string): void;
  connectionOpened?(role: ConnectionRole): void;
  connectionClosed?(role: ConnectionRole): void;
}

export interface PostgresConnectorOptions {
  url: string;
  /** Direct (non-pooled) URL for LISTEN; defaults to url. */
  listenUrl?: string;
  applicationName: string;
  idleTimeoutS: number;
  poolMax?: number;
  observer?: ConnectorObserver;
}

export class PostgresConnector implements DatabaseConnector {
  constructor(private readonly options: PostgresConnectorOptions) {}

  openPool(): Sql {
    const tracker = new ConnectionTracker('pool', this.options.observer);
    return createSql({
      url: this.options.url,
      applicationName: this.options.applicationName,
      idleTimeoutS: this.options.idleTimeoutS,
      max: this.options.poolMax ?? 10,
      onclose: (id) => tracker.closed(id),
      debug: (id, query) => tracker.statement(id, query),
    });
  }

  openListener(callbacks: ListenerCallbacks): Sql {
    const tracker = new ConnectionTracker('listener', this.options.observer);
    return createListener({
      url: this.options.listenUrl ?? this.options.url,
      applicationName: `${this.options.applicationName}-listener`,
      onnotify: (channel, payload) => callbacks.onnotify(channel, payload),
      onclose: (id) => {
        tracker.closed(id);
        callbacks.onclose();
      },
      debug: (id, query) => tracker.statement(id, query),
    });
  }
}

/**
 * postgres.js reports statements with their connection's id and closes with
 * the same id: a statement on an id not currently open means that connection
 * was (re)opened for it, since postgres.js connects only to run a statement.
 */
class ConnectionTracker {
  private readonly open = new Set<number>();

  constructor(private readonly role: ConnectionRole, private readonly observer: ConnectorObserver | undefined) {}

  statement(id: number, query: string): void {
    if (!this.open.has(id)) {
      this.open.add(id);
      this.observer?.connectionOpened?.(this.role);
    }
    this.observer?.statement?.(this.role, query);
  }

  closed(id: number): void {
    if (this.open.delete(id)) this.observer?.connectionClosed?.(this.role);
  }
}
