// The API's composition root: the only place that reads process.env, resolves
// the database (shared rule: DATABASE_URL or embedded in development), creates
// the pool and the logger, listens, and closes gracefully on SIGTERM/SIGINT
// within SHUTDOWN_GRACE_S.
//
// The pool closes idle connections after DB_IDLE_TIMEOUT_S and nothing here
// queries on a timer, so an idle API holds no connection and the database sleeps.
import { createSql, resolveDatabase } from '@wakeplan/db';
import { ConfigError, createLogger, redactUrl } from '@wakeplan/runtime';
import { buildApp } from './app.ts';
import { loadApiConfig, type ApiConfig } from './config.ts';

async function main(): Promise<void> {
  let config: Readonly<ApiConfig>;
  try {
    config = loadApiConfig(process.env);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    process.exit(1);
  }
  const logger = createLogger('wakeplan-api', config.logLevel);
  const db = await resolveDatabase(process.env, (line) => logger.info(line));
  const sql = createSql({ url: db.url, idleTimeoutS: config.dbIdleTimeoutS, applicationName: 'wakeplan-api' });
  const app = await buildApp({ sql, config, logger });
  await app.listen({ host: config.host, port: config.port });
  logger.info({ database: redactUrl(db.url), doorbell: config.workerWakeUrl ?? 'off' }, 'wakeplan-api ready');
  if (config.devToken) printDevelopmentToken(config);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error({ shutdownGraceS: config.shutdownGraceS }, 'shutdown took longer than SHUTDOWN_GRACE_S; exiting');
      process.exit(1);
    }, config.shutdownGraceS * 1000 + 1000);
    force.unref();
    try {
      await app.close();
      await sql.end({ timeout: config.shutdownGraceS });
      await db.release();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
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

await main();
