// The API's composition root: the only place that reads process.env, resolves
// the database (shared rule: DATABASE_URL or embedded in development), creates
// the pool and the logger, and listens. Shutdown (SIGTERM/SIGINT) goes through
// closeGracefully: in-flight requests finish, the pool and an embedded database
// this process started end, all within SHUTDOWN_GRACE_S, else exit 1.
// A process that cannot start says why in one line per problem (configuration:
// exit 2) or one sentence (exit 1), never with a stack trace.
//
// The pool closes idle connections after DB_IDLE_TIMEOUT_S and nothing here
// queries on a timer, so an idle API holds no connection and the database sleeps.
import { createSql, resolveDatabase } from '@wakeplan/db';
import { closeGracefully, createProcessLogger, exitOnStartupFailure, redactUrl, wantsPrettyLogs } from '@wakeplan/runtime';
import { RequestLedger } from './activity/request-ledger.ts';
import { buildApp } from './app.ts';
import { loadApiConfig, type ApiConfig } from './config.ts';

async function main(): Promise<void> {
  const config = loadApiConfig(process.env);
  const logger = await createProcessLogger('wakeplan-api', config.logLevel, wantsPrettyLogs(config.nodeEnv, Boolean(process.stdout.isTTY)));
  const db = await resolveDatabase(process.env, (line) => logger.info(line));
  const ledger = new RequestLedger(() => new Date());
  const sql = createSql({ url: db.url, idleTimeoutS: config.dbIdleTimeoutS, applicationName: 'wakeplan-api', debug: () => ledger.statement() });
  const app = await buildApp({ sql, config, logger, ledger });
  closeGracefully({ delayMs: config.shutdownGraceS * 1000, logger }, async () => {
    await app.close();
    await sql.end({ timeout: config.shutdownGraceS });
    await db.release();
  });
  await app.listen({ host: config.host, port: config.port });
  logger.info({ database: redactUrl(db.url), doorbell: config.workerWakeUrl ?? 'off' }, 'wakeplan-api ready');
  if (config.devToken) printDevelopmentToken(config);
}

function printDevelopmentToken(config: Readonly<ApiConfig>): void {
  const token = config.apiTokens[0];
  const line = '─'.repeat(68);
  console.log([
    line,
    '  Development API token (no API_TOKENS set; NODE_ENV is not production):',
    `    Authorization: Bearer ${token}`,
    `  e.g. curl -H 'Authorization: Bearer ${token}' http://127.0.0.1:${config.port}/api/scheduler/status`,
    '  Set API_TOKENS to use your own tokens. Production refuses to start without them.',
    line,
  ].join('\n'));
}

await main().catch((error: unknown) => exitOnStartupFailure('wakeplan-api', error));
