// The worker's composition root: the only place that reads process.env, makes
// the real clock, the database connector, the dialer and the logger, and wires
// signals. The doorbell server listens before anything else, so a ring during
// start-up is not lost.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { resolveDatabase } from '@wakeplan/db';
import { ConfigError, SystemClock, createLogger, redactUrl, type Clock, type Logger } from '@wakeplan/runtime';
import { loadWorkerConfig, type WorkerConfig } from './config.ts';
import { PostgresConnector } from './database-connector.ts';
import type { Dialer } from './dialers/dialer.ts';
import { createHttpOutcomeSink } from './dialers/http-outcome-sink.ts';
import { SimulatedDialer, type SimulatedOutcome } from './dialers/simulated.ts';
import { WebhookDialer } from './dialers/webhook.ts';
import { DoorbellServer } from './doorbell-server.ts';
import type { SchedulingMode } from './scheduling-mode.ts';
import { Worker } from './worker.ts';

let config: Readonly<WorkerConfig>;
try {
  config = loadWorkerConfig(process.env);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
const logger = createLogger('wakeplan-worker', config.logLevel);
const server = new DoorbellServer({ host: config.host, port: config.port, wakeToken: config.wakeToken });
const port = await server.listen();
logger.info({ port }, 'doorbell listening');

const db = await resolveDatabase(process.env, (line) => logger.info(line));
const listenUrl = config.databaseListenUrl ?? db.url;
if (/-pooler\./.test(safeHost(listenUrl))) {
  logger.warn({ listenUrl: redactUrl(listenUrl) }, 'the listening URL points at a -pooler host, which cannot LISTEN: set DATABASE_LISTEN_URL to the direct endpoint');
}
const clock = new SystemClock();
const workerId = config.workerId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
const dialer = buildDialer(config, clock, logger);
const mode: SchedulingMode = config.inMemoryScheduler ? { kind: 'wakeplan' } : { kind: 'polling', intervalMs: config.pollIntervalMs };
const worker = new Worker({
  clock,
  connector: new PostgresConnector({ url: db.url, listenUrl, applicationName: 'wakeplan-worker', idleTimeoutS: config.dbIdleTimeoutS }),
  dialer,
  logger,
  mode,
  settings: {
    workerId,
    accountCap: config.maxConcurrentCalls,
    resultTimeoutMinutes: config.callResultTimeoutMinutes,
    callbackUrl: config.providerEventsUrl,
    shutdownGraceS: config.shutdownGraceS,
  },
});
server.attach(worker);
logger.info({ workerId, mode: mode.kind, dialer: dialer.name, database: redactUrl(db.url) }, 'worker starting');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) {
    logger.warn({ signal }, 'second signal: exiting at once');
    process.exit(1);
  }
  stopping = true;
  logger.info({ signal }, 'shutting down');
  await worker.stop();
  await dialer.close();
  await server.close();
  await db.release();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGHUP', () => worker.resync('SIGHUP'));
process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

worker.start();

function buildDialer(c: Readonly<WorkerConfig>, clock: Clock, log: Logger): Dialer {
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

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
