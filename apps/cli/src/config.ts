// The CLI's configuration from the environment, validated once (every problem at
// once) and frozen. Only main.ts calls this.
import { readDatabaseEnv } from '@wakeplan/db';
import { DEV_SECRETS, EnvReader } from '@wakeplan/runtime';

export interface CliConfig {
  nodeEnv: 'development' | 'production' | 'test';
  /** LISTEN needs a direct (non-pooled) URL; unset → the resolved DATABASE_URL. */
  databaseListenUrl: string | undefined;
  workerWakeUrl: string | undefined;
  wakeToken: string | undefined;
}

export function loadCliConfig(env: Record<string, string | undefined>): Readonly<CliConfig> {
  const r = new EnvReader(env);
  const nodeEnv = r.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const dev = nodeEnv !== 'production';
  // Checked with the rest (resolved later, by the commands that need a database), so `wakeplan
  // migrate` reports a bad EMBEDDED_PG_PORT or a missing DATABASE_URL together with any other problem.
  readDatabaseEnv(r);
  return r.finish({
    nodeEnv,
    databaseListenUrl: r.url('DATABASE_LISTEN_URL'),
    workerWakeUrl: r.url('WORKER_WAKE_URL', dev ? 'http://127.0.0.1:3001/wake' : undefined),
    wakeToken: r.string('WAKE_TOKEN') ?? (dev ? DEV_SECRETS.wakeToken : undefined),
  });
}
