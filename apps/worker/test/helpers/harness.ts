// An in-process worker on a fake clock against this file's real database, with
// a counting connector, a recording dialer and a log captured line by line.
// `settle()` lets every piece of async work finish: due timers, the worker's
// passes and the outcomes the dialer reports.
import type { TestDatabase } from '@wakeplan/db/testing';
import { createLogger, FakeClock, type Clock } from '@wakeplan/runtime';
import { PostgresConnector, type ConnectionRole } from '../../src/database-connector.ts';
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

function newStats(): ConnectorStats {
  return { statements: 0, opened: { pool: 0, listener: 0 }, closed: { pool: 0, listener: 0 }, queries: [] };
}

export function startHarness<D extends Dialer = RecordingDialer>(db: TestDatabase, o: HarnessOptions<D>): Harness<D> {
  const clock = o.clock ?? new FakeClock(o.start);
  const dialer = (o.dialer ? o.dialer(clock) : new RecordingDialer(clock)) as D;
  const stats = newStats();
  const logs: { level: number; msg: string }[] = [];
  const logger = createLogger('wakeplan-worker', 'debug', { write: (line: string) => void logs.push(JSON.parse(line) as { level: number; msg: string }) });
  const connector = new PostgresConnector({
    url: db.url,
    applicationName: o.applicationName ?? 'wakeplan-test-worker',
    idleTimeoutS: 30,
    observer: {
      statement: (_role, query) => {
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
  const settle = async () => {
    for (let i = 0; i < 1000; i++) {
      const fired = clock.advanceBy(0);
      await worker.idle();
      const outcomes = dialer instanceof RecordingDialer ? dialer.pendingOutcomes : 0;
      if (dialer instanceof RecordingDialer) await dialer.outcomesApplied();
      await worker.idle();
      if (fired === 0 && outcomes === 0) return;
    }
    throw new Error('the worker never settled');
  };
  return {
    worker, clock, dialer, stats, logs, settle,
    stepTo: (at) => clock.stepTo(at, settle),
    stop: () => worker.stop(),
  };
}
