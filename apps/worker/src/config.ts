// The worker's configuration, read once from the environment by main.ts, validated
// with every problem reported at once, and frozen. Nothing else reads process.env.
import { DEV_SECRETS, EnvReader, LOG_LEVELS, type LogLevel } from '@wakeplan/runtime';

export interface WorkerConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  wakeToken: string | undefined;
  /** LISTEN needs a direct (non-pooled) connection; defaults to DATABASE_URL (resolved in main.ts). */
  databaseListenUrl: string | undefined;
  inMemoryScheduler: boolean;
  pollIntervalMs: number;
  maxConcurrentCalls: number;
  callResultTimeoutMinutes: number;
  shutdownGraceS: number;
  dbIdleTimeoutS: number;
  dialer: 'simulated' | 'webhook';
  dialerWebhookUrl: string | undefined;
  dialerWebhookSecret: string | undefined;
  providerEventsUrl: string;
  providerEventsSecret: string | undefined;
  logLevel: LogLevel;
}

export function loadWorkerConfig(env: Record<string, string | undefined>): Readonly<WorkerConfig> {
  const r = new EnvReader(env);
  const nodeEnv = r.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const dialer = r.oneOf('DIALER', ['simulated', 'webhook'] as const, 'simulated');
  const dialerWebhookUrl = r.url('DIALER_WEBHOOK_URL');
  const dialerWebhookSecret = r.string('DIALER_WEBHOOK_SECRET');
  if (dialer === 'webhook' && !dialerWebhookUrl) r.problem('DIALER_WEBHOOK_URL is required when DIALER=webhook');
  if (dialer === 'webhook' && !dialerWebhookSecret) r.problem('DIALER_WEBHOOK_SECRET is required when DIALER=webhook');
  const wakeToken = r.string('WAKE_TOKEN') ?? (nodeEnv === 'production' ? undefined : DEV_SECRETS.wakeToken);
  if (nodeEnv === 'production' && !wakeToken) r.problem('WAKE_TOKEN is required when NODE_ENV=production (it guards POST /wake)');
  const databaseListenUrl = r.url('DATABASE_LISTEN_URL');
  const portFallback = r.int('PORT', 3001, { min: 0, max: 65535 });
  return r.finish({
    nodeEnv,
    port: r.int('WORKER_PORT', portFallback, { min: 0, max: 65535 }),
    wakeToken,
    databaseListenUrl,
    inMemoryScheduler: r.bool('ENABLE_IN_MEMORY_SCHEDULER', true),
    pollIntervalMs: r.int('POLL_INTERVAL_MS', 10_000, { min: 100, max: 3_600_000 }),
    maxConcurrentCalls: r.int('MAX_CONCURRENT_CALLS', 10, { min: 1, max: 10_000 }),
    callResultTimeoutMinutes: r.int('CALL_RESULT_TIMEOUT_MINUTES', 30, { min: 1, max: 1440 }),
    shutdownGraceS: r.int('SHUTDOWN_GRACE_S', 10, { min: 0, max: 3600 }),
    dbIdleTimeoutS: r.int('DB_IDLE_TIMEOUT_S', 30, { min: 1, max: 3600 }),
    dialer,
    dialerWebhookUrl,
    dialerWebhookSecret,
    providerEventsUrl: r.url('PROVIDER_EVENTS_URL', 'http://127.0.0.1:3000/api/provider/events') ?? '',
    providerEventsSecret: r.string('PROVIDER_EVENTS_SECRET') ?? (nodeEnv === 'production' ? undefined : DEV_SECRETS.providerEventsSecret),
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  });
}
