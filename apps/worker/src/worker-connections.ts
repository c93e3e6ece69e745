// The worker's two connections (DESIGN.md §3): the pool, and in the wake-plan
// mode the LISTEN connection. Only a pass opens them; resting ends them.
//
// Invariants: opening is idempotent (what is open stays, what is missing is
// opened: LISTEN first, before the pass reads the plan); a listening connection
// that was lost and is opened again is reported as such, because notifications
// may have been missed meanwhile and the pass must resync; nothing here opens a
// connection by itself (the listener never re-connects on its own: listener.ts).
import type { Sql } from '@wakeplan/db';
import type { DatabaseConnector } from './database-connector.ts';
import { SchedulerListener, type ListenerHandlers } from './listener.ts';
import { modeListens, type SchedulingMode } from './scheduling-mode.ts';

export class WorkerConnections {
  private poolSql: Sql | null = null;
  private readonly listener: SchedulerListener;
  private lostSinceListening = false;

  constructor(private readonly connector: DatabaseConnector, private readonly mode: SchedulingMode, handlers: ListenerHandlers) {
    this.listener = new SchedulerListener(connector, {
      notification: (payload) => handlers.notification(payload),
      lost: () => {
        this.lostSinceListening = true;
        handlers.lost();
      },
    });
  }

  get isListening(): boolean {
    return this.listener.isListening;
  }

  /** The pool if a pass opened it and nothing has closed it since, else null. */
  get pool(): Sql | null {
    return this.poolSql;
  }

  /** Opens what is missing. `relistened`: LISTEN was re-opened after its connection was lost. */
  async open(): Promise<{ sql: Sql; relistened: boolean }> {
    this.poolSql ??= this.connector.openPool();
    const sql = this.poolSql;
    if (!modeListens(this.mode) || this.listener.isListening) return { sql, relistened: false };
    await this.listener.start();
    const relistened = this.lostSinceListening;
    this.lostSinceListening = false;
    return { sql, relistened };
  }

  /** Ends both (before sleeping, after an error, on shutdown). */
  async close(): Promise<void> {
    await this.listener.end();
    const pool = this.poolSql;
    this.poolSql = null;
    if (pool) await pool.end({ timeout: 5 }).catch(() => {});
  }
}
