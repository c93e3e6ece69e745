// The worker's configuration, read once from the environment by main.ts, validated
// with every problem reported at once, and frozen. Nothing else reads process.env.
import { readDatabaseEnv, type DatabaseEnv } from '@wakeplan/db';
import { PROVIDER_NAMES, readProviderDialerEnv, type ProviderDialerConfig } from '@wakeplan/providers/env';
import { DEV_SECRETS, EnvReader, LOG_LEVELS, type LogLevel } from '@wakeplan/runtime';
import { DEFAULT_SIMULATED_OUTCOMES } from './dialers/simulated.ts';

export interface WorkerConfig {
  nodeEnv: 'development' | 'production' | 'test';
  /** Checked here with everything else; main.ts resolves it (DATABASE_URL, else embedded in development). */
  database: DatabaseEnv;
  /** `::` in production (Railway's private network is IPv6); loopback in development. */
  host: string;
  port: number;
  wakeToken: string | undefined;
  /** LISTEN needs a direct (non-pooled) connection; defaults to DATABASE_URL (resolved in main.ts). */
  databaseListenUrl: string | undefined;
  inMemoryScheduler: boolean;
  pollIntervalMs: number;
  maxConcurrentCalls: number;
  callResultTimeoutMinutes: number;
  shutdownGraceS: number;
  /** DIAL_CONCURRENCY: dial requests in flight at once; claims take no more than the free room. */
  dialConcurrency: number;
  dbIdleTimeoutS: number;
  dialer: 'simulated' | 'webhook' | ProviderDialerConfig['provider'];
  /** DIALER=twilio|vapi|retell|bolna: that provider's variables (packages/providers provider-env.ts). */
  provider: ProviderDialerConfig | undefined;
  dialerWebhookUrl: string | undefined;
  dialerWebhookSecret: string | undefined;
  providerEventsUrl: string;
  providerEventsSecret: string | undefined;
  logLevel: LogLevel;
  /** WORKER_ID: how this worker names itself in worker_state and call_attempts; main.ts makes one up when unset. */
  workerId: string | undefined;
  /** DIALER_TIMEOUT_MS: per webhook or provider request. */
  dialerTimeoutMs: number;
  /** The simulated dialer: SIM_DIALER_SEED, SIM_CALL_SECONDS ("min-max"), SIM_OUTCOMES ("completed=70,no_answer=15,…"). */
  simulated: { seed: number; callSeconds: { min: number; max: number }; outcomes: Record<string, number> };
}

const SIMULATED_OUTCOME_NAMES = Object.keys(DEFAULT_SIMULATED_OUTCOMES);

export function loadWorkerConfig(env: Record<string, string | undefined>): Readonly<WorkerConfig> {
  const r = new EnvReader(env);
  const nodeEnv = r.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const database = readDatabaseEnv(r);
  const dialer = r.oneOf('DIALER', ['simulated', 'webhook', ...PROVIDER_NAMES] as const, 'simulated');
  const provider = dialer === 'simulated' || dialer === 'webhook' ? undefined : readProviderDialerEnv(r, dialer);
  const dialerWebhookUrl = r.url('DIALER_WEBHOOK_URL');
  const dialerWebhookSecret = r.string('DIALER_WEBHOOK_SECRET');
  if (dialer === 'webhook' && !dialerWebhookUrl) r.problem('DIALER_WEBHOOK_URL is required when DIALER=webhook');
  if (dialer === 'webhook' && !dialerWebhookSecret) r.problem('DIALER_WEBHOOK_SECRET is required when DIALER=webhook');
  const wakeToken = r.string('WAKE_TOKEN') ?? (nodeEnv === 'production' ? undefined : DEV_SECRETS.wakeToken);
  if (nodeEnv === 'production' && !wakeToken) r.problem('WAKE_TOKEN is required when NODE_ENV=production (it guards POST /wake)');
  const databaseListenUrl = r.url('DATABASE_LISTEN_URL');
  const portFallback = r.int('PORT', 3001, { min: 0, max: 65535 });
  const providerEventsSecret = r.string('PROVIDER_EVENTS_SECRET') ?? (nodeEnv === 'production' ? undefined : DEV_SECRETS.providerEventsSecret);
  if (dialer === 'simulated' && !providerEventsSecret) r.problem('PROVIDER_EVENTS_SECRET is required for DIALER=simulated (it signs the outcomes it posts)');
  return r.finish({
    nodeEnv,
    database,
    host: r.string('HOST', nodeEnv === 'production' ? '::' : '127.0.0.1'),
    port: r.int('WORKER_PORT', portFallback, { min: 0, max: 65535 }),
    wakeToken,
    databaseListenUrl,
    inMemoryScheduler: r.bool('ENABLE_IN_MEMORY_SCHEDULER', true),
    pollIntervalMs: r.int('POLL_INTERVAL_MS', 10_000, { min: 100, max: 3_600_000 }),
    maxConcurrentCalls: r.int('MAX_CONCURRENT_CALLS', 10, { min: 1, max: 10_000 }),
    callResultTimeoutMinutes: r.int('CALL_RESULT_TIMEOUT_MINUTES', 30, { min: 1, max: 1440 }),
    shutdownGraceS: r.int('SHUTDOWN_GRACE_S', 10, { min: 0, max: 3600 }),
    dialConcurrency: r.int('DIAL_CONCURRENCY', 50, { min: 1, max: 10_000 }),
    dbIdleTimeoutS: r.int('DB_IDLE_TIMEOUT_S', 30, { min: 1, max: 3600 }),
    dialer,
    provider,
    dialerWebhookUrl,
    dialerWebhookSecret,
    providerEventsUrl: r.url('PROVIDER_EVENTS_URL', 'http://127.0.0.1:3000/api/provider/events') ?? '',
    providerEventsSecret,
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    workerId: r.string('WORKER_ID'),
    dialerTimeoutMs: r.int('DIALER_TIMEOUT_MS', 10_000, { min: 100, max: 120_000 }),
    simulated: {
      seed: r.int('SIM_DIALER_SEED', 1, { min: 0, max: 2 ** 32 - 1 }),
      callSeconds: readRange(r, 'SIM_CALL_SECONDS', { min: 5, max: 60 }),
      outcomes: readOutcomeMix(r, 'SIM_OUTCOMES'),
    },
  });
}

function readRange(r: EnvReader, name: string, fallback: { min: number; max: number }): { min: number; max: number } {
  const raw = r.string(name);
  if (raw === undefined) return fallback;
  const match = /^(\d+)(?:-(\d+))?$/.exec(raw);
  const min = Number(match?.[1]);
  const max = Number(match?.[2] ?? match?.[1]);
  if (!match || min > max || max > 86_400) {
    r.problem(`${name} must be seconds "min-max" (e.g. 5-60, at most 86400), got "${raw}"`);
    return fallback;
  }
  return { min, max };
}

function readOutcomeMix(r: EnvReader, name: string): Record<string, number> {
  const raw = r.string(name);
  if (raw === undefined) return { ...DEFAULT_SIMULATED_OUTCOMES };
  const mix: Record<string, number> = {};
  for (const part of raw.split(',')) {
    const [key, weight] = part.split('=').map((x) => x.trim());
    if (!key || !SIMULATED_OUTCOME_NAMES.includes(key) || !/^\d+(\.\d+)?$/.test(weight ?? '')) {
      r.problem(`${name} must look like "completed=70,no_answer=30" with outcomes from ${SIMULATED_OUTCOME_NAMES.join(', ')}, got "${raw}"`);
      return { ...DEFAULT_SIMULATED_OUTCOMES };
    }
    mix[key] = Number(weight);
  }
  if (Object.values(mix).every((w) => w === 0)) r.problem(`${name} needs at least one outcome with a weight above 0`);
  return mix;
}
