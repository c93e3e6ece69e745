// The worker's LISTEN on `scheduler_changed`, on a dedicated postgres() instance
// that runs LISTEN itself (DESIGN.md §2, §3).
//
// Invariants: nothing re-connects by itself. postgres.js's sql.listen() would
// re-LISTEN a few milliseconds after its connection dies, waking a suspended
// database; this instance, once its connection closes, stays closed until
// start() is called again, and start() is only called when the worker has work.
// A close the worker did not ask for is reported once through `lost`; a
// deliberate end() (before sleeping) is not. A fresh instance is made on every
// start(), so a late close of an old one is ignored.
import type { Sql } from '@wakeplan/db';
import { SCHEDULER_CHANNEL } from '@wakeplan/contract';
import type { DatabaseConnector } from './database-connector.ts';

export interface ListenerHandlers {
  notification(payload: string): void;
  /** The connection closed without end() being called. */
  lost(): void;
}

export class SchedulerListener {
  private sql: Sql | null = null;
  private alive = false;

  constructor(private readonly connector: DatabaseConnector, private readonly handlers: ListenerHandlers) {}

  get isListening(): boolean {
    return this.alive;
  }

  /** Opens a connection and runs LISTEN, unless already listening. */
  async start(): Promise<void> {
    if (this.alive) return;
    await this.end();
    const instance: Sql = this.connector.openListener({
      onnotify: (channel, payload) => {
        if (channel === SCHEDULER_CHANNEL) this.handlers.notification(payload);
      },
      onclose: () => this.closed(instance),
    });
    this.sql = instance;
    try {
      await instance`listen ${instance(SCHEDULER_CHANNEL)}`;
    } catch (error) {
      if (this.sql === instance) this.sql = null;
      await instance.end({ timeout: 0 }).catch(() => {});
      throw error;
    }
    if (this.sql === instance) this.alive = true;
  }

  /** Ends the connection deliberately (before sleeping, on shutdown). */
  async end(): Promise<void> {
    const instance = this.sql;
    this.sql = null;
    this.alive = false;
    if (instance) await instance.end({ timeout: 2 }).catch(() => {});
  }

  private closed(instance: Sql): void {
    if (instance !== this.sql) return;
    const wasAlive = this.alive;
    this.alive = false;
    this.sql = null;
    void instance.end({ timeout: 0 }).catch(() => {});
    if (wasAlive) this.handlers.lost();
  }
}
