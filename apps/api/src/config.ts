// The API's configuration, read once from the environment by main.ts, validated
// with every problem reported at once, and frozen. Nothing else reads process.env.
import { readDatabaseEnv, type DatabaseEnv } from '@wakeplan/db';
import { readCallbackSecrets, type CallbackSecrets } from '@wakeplan/providers/env';
import { DEV_SECRETS, EnvReader, LOG_LEVELS, type LogLevel } from '@wakeplan/runtime';
import { isValidTimeZone } from '@wakeplan/schedule-core';
import { workerBaseUrl } from './worker-link/worker-health.ts';

export interface ApiConfig {
  nodeEnv: 'development' | 'production' | 'test';
  /** Checked here with everything else; main.ts resolves it (DATABASE_URL, else embedded in development). */
  database: DatabaseEnv;
  host: string;
  port: number;
  apiTokens: string[];
  /** True when no API_TOKENS were given outside production: a development token was generated. */
  devToken: boolean;
  wakeToken: string | undefined;
  workerWakeUrl: string | undefined;
  /** Base URL of the worker's tiny server (derived from WORKER_WAKE_URL), for its /health. */
  workerBaseUrl: string | undefined;
  providerEventsSecret: string | undefined;
  /** What authenticates each provider's callbacks (TWILIO_AUTH_TOKEN, VAPI_WEBHOOK_SECRET, RETELL_API_KEY, BOLNA_WEBHOOK_TOKEN); unset → that route answers 401. */
  providerSecrets: CallbackSecrets;
  defaultTimezone: string | undefined;
  dbIdleTimeoutS: number;
  csvMaxRows: number;
  csvMaxBytes: number;
  shutdownGraceS: number;
  callResultTimeoutMinutes: number;
  /** Requests per minute per bearer token (or per client IP without one). */
  rateLimitPerMinute: number;
  /** Signed provider events per minute: their own bucket, which no other traffic fills (plugins/rate-limit.ts). */
  providerEventsPerMinute: number;
  /** Body limit of ordinary JSON routes; the contact routes take csvMaxBytes. */
  bodyLimitBytes: number;
  /** Behind a proxy (Railway): take the client IP from X-Forwarded-For. */
  trustProxy: boolean;
  /** Browser origins allowed to call the API (CORS); empty = the API's own origin only; ['*'] = any (not in production). */
  corsOrigins: string[];
  /** PUBLIC_URL: the API's public base URL, named in the API description's `servers`; the URL Twilio signs. */
  publicUrl: string | undefined;
  logLevel: LogLevel;
  /** The activity report's compute model: Neon suspends after this many idle minutes. */
  neonSuspendMinutes: number;
  /** USD per CU-hour (Neon's Launch plan by default) and the compute size in CU, for `saved_cost`. */
  neonCuHourPrice: number;
  neonComputeUnits: number;
  /** Bearer token for GET /metrics; unset = open (keep the port private). */
  metricsToken: string | undefined;
}

export const DEV_TOKEN = 'dev-token-change-me';
/** Neon's Launch plan, USD per CU-hour (neon.com/docs/introduction/plans, 2025-08): the same figure `simulate` uses. */
const NEON_LAUNCH_CU_HOUR_PRICE = 0.14;

export function loadApiConfig(env: Record<string, string | undefined>): Readonly<ApiConfig> {
  const r = new EnvReader(env);
  const nodeEnv = r.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const database = readDatabaseEnv(r);
  const tokens = r.list('API_TOKENS');
  if (nodeEnv === 'production' && tokens.length === 0) {
    r.problem('API_TOKENS is required when NODE_ENV=production (comma-separated bearer tokens)');
  }
  const workerWakeUrl = r.url('WORKER_WAKE_URL', nodeEnv === 'production' ? undefined : 'http://127.0.0.1:3001/wake');
  const defaultTimezone = r.string('DEFAULT_TIMEZONE');
  if (defaultTimezone !== undefined && !isValidTimeZone(defaultTimezone)) {
    r.problem(`DEFAULT_TIMEZONE must be an IANA time zone such as America/New_York, got "${defaultTimezone}"`);
  }
  const corsOrigins = readCorsOrigins(r, nodeEnv);
  return r.finish({
    nodeEnv,
    database,
    corsOrigins,
    publicUrl: r.url('PUBLIC_URL')?.replace(/\/+$/, ''),
    // Production binds every interface, IPv6 included (Railway's private network);
    // development stays on loopback.
    host: r.string('HOST', nodeEnv === 'production' ? '::' : '127.0.0.1'),
    port: r.int('PORT', 3000, { min: 0, max: 65535 }),
    apiTokens: tokens.length > 0 ? tokens : nodeEnv === 'production' ? [] : [DEV_TOKEN],
    devToken: tokens.length === 0 && nodeEnv !== 'production',
    wakeToken: r.string('WAKE_TOKEN') ?? (nodeEnv === 'production' ? undefined : DEV_SECRETS.wakeToken),
    workerWakeUrl,
    workerBaseUrl: workerBaseUrl(workerWakeUrl),
    providerEventsSecret: r.string('PROVIDER_EVENTS_SECRET') ?? (nodeEnv === 'production' ? undefined : DEV_SECRETS.providerEventsSecret),
    providerSecrets: readCallbackSecrets(r),
    defaultTimezone,
    dbIdleTimeoutS: r.int('DB_IDLE_TIMEOUT_S', 30, { min: 1, max: 3600 }),
    csvMaxRows: r.int('CSV_MAX_ROWS', 100_000, { min: 1, max: 10_000_000 }),
    csvMaxBytes: r.int('CSV_MAX_BYTES', 20 * 1024 * 1024, { min: 1024, max: 1024 * 1024 * 1024 }),
    shutdownGraceS: r.int('SHUTDOWN_GRACE_S', 10, { min: 0, max: 3600 }),
    callResultTimeoutMinutes: r.int('CALL_RESULT_TIMEOUT_MINUTES', 30, { min: 1, max: 1440 }),
    rateLimitPerMinute: r.int('RATE_LIMIT_PER_MINUTE', 600, { min: 1, max: 10_000_000 }),
    providerEventsPerMinute: r.int('PROVIDER_EVENTS_PER_MINUTE', 6000, { min: 1, max: 10_000_000 }),
    bodyLimitBytes: r.int('BODY_LIMIT_BYTES', 1024 * 1024, { min: 1024, max: 1024 * 1024 * 1024 }),
    trustProxy: r.bool('TRUST_PROXY', false),
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    neonSuspendMinutes: r.number('NEON_SUSPEND_MINUTES', 5, { min: 1, max: 7 * 24 * 60 }),
    neonCuHourPrice: r.number('NEON_CU_HOUR_PRICE', NEON_LAUNCH_CU_HOUR_PRICE, { min: 0, max: 1000 }),
    neonComputeUnits: r.number('NEON_COMPUTE_UNITS', 0.25, { min: 0.25, max: 64 }),
    metricsToken: r.string('METRICS_TOKEN'),
  });
}

/**
 * CORS_ORIGINS: comma-separated origins (`https://app.example.com`, scheme, host
 * and port only) or `*`. Every route but the public ones takes a bearer token —
 * the browser sends it, so it is a credentialed API: production names its
 * frontends and refuses `*`.
 */
function readCorsOrigins(r: EnvReader, nodeEnv: string): string[] {
  const origins = r.list('CORS_ORIGINS');
  for (const origin of origins) {
    if (origin === '*') {
      if (nodeEnv === 'production') r.problem('CORS_ORIGINS must name the allowed origins in production, not "*": every API route takes a bearer token');
    } else if (!isOrigin(origin)) {
      r.problem(`CORS_ORIGINS must be origins such as https://app.example.com (scheme, host and port only), got "${origin}"`);
    }
  }
  return origins;
}

function isOrigin(value: string): boolean {
  try {
    const u = new URL(value);
    return ['http:', 'https:'].includes(u.protocol) && u.origin === value;
  } catch {
    return false;
  }
}
