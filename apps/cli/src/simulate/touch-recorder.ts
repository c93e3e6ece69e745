// Records, on the virtual clock, every instant the simulated system touches the
// database: each statement, and each connection it opens. Connections are
// modelled from the code's own decisions, since the driver's timers run in real
// time: a client opened by the worker (pool or listener) opens its connection at
// its first statement, and a pool that stayed idle longer than DB_IDLE_TIMEOUT_S
// (virtual) is taken to have closed and opens a new connection at its next one.
import { PostgresConnector, type ConnectionRole, type DatabaseConnector, type ListenerCallbacks } from '@wakeplan/worker';
import type { Sql } from '@wakeplan/db';

export type TouchSource = 'worker' | 'api' | 'outcomes';

export class TouchRecorder {
  readonly touches: number[] = [];
  /** Virtual instants of the worker's own statements (what the modes differ in). */
  readonly workerStatementTimes: number[] = [];
  statements = { worker: 0, api: 0, outcomes: 0 };
  connectionsOpened = 0;
  private readonly lastUse = new Map<string, number>();

  constructor(private readonly now: () => number, private readonly idleTimeoutMs: number) {}

  /** A client was (re)created: its next statement opens a connection. */
  clientOpened(client: string): void {
    this.lastUse.delete(client);
  }

  statement(source: TouchSource, client: string, idleCloses: boolean): void {
    const t = this.now();
    const last = this.lastUse.get(client);
    if (last === undefined || (idleCloses && t - last > this.idleTimeoutMs)) this.connectionsOpened++;
    this.lastUse.set(client, t);
    this.statements[source]++;
    this.touches.push(t);
    if (source === 'worker') this.workerStatementTimes.push(t);
  }
}

/**
 * The worker's real connector, observed: every statement and client opening goes
 * to the recorder. Notifications are delivered by the simulation, not by the
 * socket: `deliver()` hands a committed notification to the worker's listener if
 * it is listening at that moment, as Postgres would — but at a deterministic point
 * of the virtual timeline instead of whenever the bytes happen to arrive.
 */
export class RecordingConnector implements DatabaseConnector {
  private pools = 0;
  private listeners = 0;
  private readonly inner: PostgresConnector;
  private current: { pool: string; listener: string } = { pool: 'pool-0', listener: 'listener-0' };
  private listening: ListenerCallbacks | null = null;
  private opened: ListenerCallbacks | null = null;

  constructor(url: string, private readonly recorder: TouchRecorder) {
    this.inner = new PostgresConnector({
      url, applicationName: 'wakeplan-simulate', idleTimeoutS: 3600,
      observer: {
        statement: (role: ConnectionRole, query: string) => {
          this.recorder.statement('worker', this.current[role], role === 'pool');
          if (role === 'listener' && /^\s*listen\b/i.test(query)) this.listening = this.opened;
        },
      },
    });
  }

  /** Delivers a committed notification; false when nobody was listening (it is lost, as in Postgres). */
  deliver(channel: string, payload: string): boolean {
    if (!this.listening) return false;
    this.listening.onnotify(channel, payload);
    return true;
  }

  openPool(): Sql {
    this.current.pool = `pool-${++this.pools}`;
    this.recorder.clientOpened(this.current.pool);
    return this.inner.openPool();
  }

  openListener(callbacks: ListenerCallbacks): Sql {
    this.current.listener = `listener-${++this.listeners}`;
    this.recorder.clientOpened(this.current.listener);
    this.listening = null;
    this.opened = callbacks;
    return this.inner.openListener({
      onnotify: () => {}, // delivered by deliver() instead
      onclose: () => {
        if (this.opened === callbacks) this.listening = this.opened = null;
        callbacks.onclose();
      },
    });
  }
}
