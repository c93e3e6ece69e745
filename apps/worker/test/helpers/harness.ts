// An in-process worker on a fake clock against this file's real database, with
// a counting connector, a recording dialer and a log captured line by line.
// `settle()` lets every piece of async work finish: due timers, the worker's
// passes, the outcomes the dialer reports, and the NOTIFYs on their way to the
// worker's listening connection.
//
// That last one: a NOTIFY reaches the listener in real time, a moment after its
// commit, while the fake clock moves on at once — on a busy machine it came
// after the harness had settled and stepped the clock past the moment it would
// have mattered (a retry never planned, a worker still 'waiting' on a finished
// call). So while the worker listens, settle() sends one statement on its
// listening connection: Postgres sends a listening session every notification
// committed before it goes idle again, ahead of that statement's answer (the
// notifier signals the listeners before its COMMIT answers). The observer does
// not count that statement: it is the harness's, not the worker's.
import { afterEach, expect } from 'vitest';
import type { TestDatabase } from '@wakeplan/db/testing';
import { createLogger, FakeClock, type Clock } from '@wakeplan/runtime';
import type { Sql } from '@wakeplan/db';
import { PostgresConnector, type ConnectionRole, type DatabaseConnector } from '../../src/database-connector.ts';
import type { Dialer } from '../../src/dialers/dialer.ts';
import type { SchedulingMode } from '../../src/scheduling-mode.ts';
import type { WakeLedger } from '../../src/wake-ledger.ts';
import type { WorkerMetrics } from '../../src/worker-metrics.ts';
import { Worker } from '../../src/worker.ts';
import { RecordingDialer } from './recording-dialer.ts';

interface ConnectorStats {
  statements: number;
  opened: Record<ConnectionRole, number>;
  closed: Record<ConnectionRole, number>;
  queries: string[];
}

export interface Harness<D extends Dialer = RecordingDialer> {
  worker: Worker;
  clock: FakeClock;
  dialer: D;
  stats: ConnectorStats;
  logs: { level: number; msg: string }[];
  settle(): Promise<void>;
  stepTo(at: Date): Promise<void>;
  stop(): Promise<void>;
}

export interface HarnessOptions<D extends Dialer> {
  start: Date;
  mode?: SchedulingMode;
  accountCap?: number;
  resultTimeoutMinutes?: number;
  applicationName?: string;
  dialer?: (clock: Clock) => D;
  clock?: FakeClock;
  dialConcurrency?: number;
  /** The activity ledger, told of every statement and handed to the worker. */
  ledger?: WakeLedger;
  /** Prometheus metrics, told of connections and handed to the worker. */
  metrics?: WorkerMetrics;
}

let harnesses = 0;

/** The harness's own statement on the worker's listening connection (see the opening comment). */
const NOTIFY_BARRIER = "select 'wakeplan test harness: notifications delivered'";

function newStats(): ConnectorStats {
  return { statements: 0, opened: { pool: 0, listener: 0 }, closed: { pool: 0, listener: 0 }, queries: [] };
}

export function startHarness<D extends Dialer = RecordingDialer>(db: TestDatabase, o: HarnessOptions<D>): Harness<D> {
  const clock = o.clock ?? new FakeClock(o.start);
  const dialer = (o.dialer ? o.dialer(clock) : new RecordingDialer(clock)) as D;
  const stats = newStats();
  const logs: { level: number; msg: string }[] = [];
  const logger = createLogger('wakeplan-worker', 'debug', { write: (line: string) => void logs.push(JSON.parse(line) as { level: number; msg: string }) });
  let listening: Sql | null = null; // the worker's latest listening connection
  const postgresConnector = new PostgresConnector({
    url: db.url,
    applicationName: o.applicationName ?? 'wakeplan-test-worker',
    idleTimeoutS: 30,
    observer: {
      statement: (_role, query) => {
        if (query === NOTIFY_BARRIER) return;
        stats.statements++;
        o.ledger?.statement();
        stats.queries.push(query.replace(/\s+/g, ' ').slice(0, 80));
      },
      connectionOpened: (role) => {
        stats.opened[role]++;
        o.metrics?.connectionOpened(role);
      },
      connectionClosed: (role) => {
        stats.closed[role]++;
        o.metrics?.connectionClosed(role);
      },
    },
  });
  const connector: DatabaseConnector = {
    openPool: () => postgresConnector.openPool(),
    openListener: (callbacks) => (listening = postgresConnector.openListener(callbacks)),
  };
  const worker = new Worker({
    clock, connector, dialer, logger,
    mode: o.mode ?? { kind: 'wakeplan' },
    ...(o.ledger ? { ledger: o.ledger } : {}),
    ...(o.metrics ? { metrics: o.metrics } : {}),
    settings: {
      workerId: `test-${++harnesses}`,
      accountCap: o.accountCap ?? 100,
      resultTimeoutMinutes: o.resultTimeoutMinutes ?? 30,
      callbackUrl: 'http://127.0.0.1:9/api/provider/events',
      shutdownGraceS: 5,
      ...(o.dialConcurrency ? { dialConcurrency: o.dialConcurrency } : {}),
    },
  });
  /** Every NOTIFY committed so far handed to the listening worker; true when any came. */
  const deliverNotifications = async (): Promise<boolean> => {
    if (!listening || !worker.health().listening) return false;
    const before = worker.counters.notifications;
    await listening.unsafe(NOTIFY_BARRIER).catch(() => {}); // closed under it: what it had not received is lost, as in life
    return worker.counters.notifications !== before;
  };
  const settle = async () => {
    for (let i = 0; i < 1000; i++) {
      const fired = clock.advanceBy(0);
      await worker.idle();
      const outcomes = dialer instanceof RecordingDialer ? dialer.pendingOutcomes : 0;
      if (dialer instanceof RecordingDialer) await dialer.outcomesApplied();
      await worker.idle();
      const notified = await deliverNotifications();
      await worker.idle();
      if (fired === 0 && outcomes === 0 && !notified) return;
    }
    throw new Error('the worker never settled');
  };
  return {
    worker, clock, dialer, stats, logs, settle,
    stepTo: (at) => clock.stepTo(at, settle),
    stop: () => worker.stop(),
  };
}

const WORKER_TABLES = 'campaigns, calls, call_attempts, provider_events, worker_state';

/**
 * One harness per test (call at the top of a test file): the returned function
 * starts it; after each test no error may have been logged, the harness is
 * stopped and `tables` are emptied for the next test.
 */
export function harnessPerTest(db: { readonly current: TestDatabase }, tables = WORKER_TABLES): (o: HarnessOptions<RecordingDialer>) => Harness {
  let current: Harness | null = null;
  afterEach(async () => {
    expect(current?.logs.filter((l) => l.level >= 50).map((l) => l.msg) ?? []).toEqual([]);
    await current?.stop();
    current = null;
    await db.current.sql.unsafe(`truncate ${tables}`);
  });
  return (o) => (current = startHarness(db.current, o));
}
