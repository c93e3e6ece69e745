// The worker's composition root: the only place that reads process.env, makes
// the real clock, the database connector, the dialer and the logger, and wires
// signals. The doorbell server listens before anything else, so a ring during
// start-up is not lost. SIGHUP is a full resync; SIGTERM/SIGINT shut down
// through closeGracefully within SHUTDOWN_GRACE_S: no new claims, dial requests
// in flight get the grace less a second, then connections end (exit 0); a
// failure or an overrun exits 1. A process that cannot start says why in one
// line per problem (configuration: exit 2) or one sentence (exit 1).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { resolveDatabase } from '@wakeplan/db';
import {
  SystemClock, closeGracefully, createProcessLogger, exitOnStartupFailure, redactUrl, wantsPrettyLogs, type Clock, type Logger,
} from '@wakeplan/runtime';
import { loadWorkerConfig, type WorkerConfig } from './config.ts';
import { PostgresConnector } from './database-connector.ts';
import type { Dialer } from './dialers/dialer.ts';
import { createHttpOutcomeSink } from './dialers/http-outcome-sink.ts';
import { SimulatedDialer, type SimulatedOutcome } from './dialers/simulated.ts';
import { WebhookDialer } from './dialers/webhook.ts';
import { DoorbellServer } from './doorbell-server.ts';
import type { SchedulingMode } from './scheduling-mode.ts';
import { WakeLedger } from './wake-ledger.ts';
import { WorkerMetrics } from './worker-metrics.ts';
import { Worker } from './worker.ts';

/** Room left after the dial requests' wait for ending connections, within SHUTDOWN_GRACE_S. */
const CLOSE_RESERVE_S = 1;

async function main(): Promise<void> {
  const config = loadWorkerConfig(process.env);
  const logger = await createProcessLogger('wakeplan-worker', config.logLevel, wantsPrettyLogs(config.nodeEnv, Boolean(process.stdout.isTTY)));
  const metrics = new WorkerMetrics();
  const server = new DoorbellServer({ host: config.host, port: config.port, wakeToken: config.wakeToken, logger, metrics: metrics.registry });
  const port = await server.listen();
  logger.info({ port }, 'doorbell listening');

  const db = await resolveDatabase(process.env, (line) => logger.info(line));
  const clock = new SystemClock();
  const dialer = await buildDialer(config, clock, logger);
  const worker = buildWorker(config, db.url, { clock, dialer, logger, metrics });
  server.attach(worker);
  metrics.attach(() => worker.health());

  closeGracefully({ delayMs: config.shutdownGraceS * 1000, logger, keepSignals: ['SIGHUP'] }, async () => {
    await worker.stop();
    await dialer.close();
    await server.close();
    await db.release();
  });
  process.on('SIGHUP', () => worker.resync('SIGHUP'));
  worker.start();
}

function buildWorker(config: Readonly<WorkerConfig>, databaseUrl: string, parts: { clock: Clock; dialer: Dialer; logger: Logger; metrics: WorkerMetrics }): Worker {
  const { logger, dialer } = parts;
  const listenUrl = config.databaseListenUrl ?? databaseUrl;
  if (/-pooler\./.test(safeHost(listenUrl))) {
    logger.warn({ listenUrl: redactUrl(listenUrl) }, 'the listening URL points at a -pooler host, which cannot LISTEN: set DATABASE_LISTEN_URL to the direct endpoint');
  }
  const workerId = config.workerId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const mode: SchedulingMode = config.inMemoryScheduler ? { kind: 'wakeplan' } : { kind: 'polling', intervalMs: config.pollIntervalMs };
  logger.info({ workerId, mode: mode.kind, dialer: dialer.name, database: redactUrl(databaseUrl) }, 'worker starting');
  const ledger = new WakeLedger();
  return new Worker({
    ...parts,
    connector: new PostgresConnector({
      url: databaseUrl, listenUrl, applicationName: 'wakeplan-worker', idleTimeoutS: config.dbIdleTimeoutS,
      observer: {
        statement: () => ledger.statement(),
        connectionOpened: (role) => parts.metrics.connectionOpened(role),
        connectionClosed: (role) => parts.metrics.connectionClosed(role),
      },
    }),
    mode,
    ledger,
    settings: {
      workerId,
      accountCap: config.maxConcurrentCalls,
      dialConcurrency: config.dialConcurrency,
      resultTimeoutMinutes: config.callResultTimeoutMinutes,
      callbackUrl: config.providerEventsUrl,
      shutdownGraceS: Math.max(0, config.shutdownGraceS - CLOSE_RESERVE_S),
    },
  });
}

async function buildDialer(c: Readonly<WorkerConfig>, clock: Clock, log: Logger): Promise<Dialer> {
  if (c.provider) {
    // Loaded only when a provider is chosen.
    const { createProviderDialer } = await import('@wakeplan/providers');
    return createProviderDialer(c.provider, { clock, timeoutMs: c.dialerTimeoutMs });
  }
  if (c.dialer === 'webhook') {
    return new WebhookDialer({ url: c.dialerWebhookUrl!, secret: c.dialerWebhookSecret!, clock, timeoutMs: c.dialerTimeoutMs });
  }
  return new SimulatedDialer({
    clock,
    sink: createHttpOutcomeSink({ url: c.providerEventsUrl, secret: c.providerEventsSecret!, clock }),
    seed: c.simulated.seed,
    callSeconds: c.simulated.callSeconds,
    outcomes: c.simulated.outcomes as Partial<Record<SimulatedOutcome, number>>,
    progressAfterSeconds: 60,
    logger: log,
  });
}

await main().catch((error: unknown) => exitOnStartupFailure('wakeplan-worker', error));

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
