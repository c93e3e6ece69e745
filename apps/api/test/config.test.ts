// loadApiConfig: defaults, production's refusals, every problem reported at once,
// the result frozen.
import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_SECRETS } from '@wakeplan/runtime';
import { DEV_TOKEN, loadApiConfig } from '../src/config.ts';

describe('loadApiConfig', () => {
  it('has working development defaults, with a development token', () => {
    const c = loadApiConfig({});
    expect(c).toMatchObject({
      nodeEnv: 'development', host: '127.0.0.1', port: 3000, apiTokens: [DEV_TOKEN], devToken: true,
      wakeToken: DEV_SECRETS.wakeToken, workerWakeUrl: 'http://127.0.0.1:3001/wake', workerBaseUrl: 'http://127.0.0.1:3001',
      defaultTimezone: undefined, dbIdleTimeoutS: 30, csvMaxRows: 100_000, csvMaxBytes: 20 * 1024 * 1024,
      shutdownGraceS: 10, rateLimitPerMinute: 600, bodyLimitBytes: 1024 * 1024, trustProxy: false, logLevel: 'info',
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads every variable', () => {
    const c = loadApiConfig({
      NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db.internal:5432/w', EMBEDDED_PG_PORT: '5433', API_TOKENS: ' a , b ,', PORT: '8080', WAKE_TOKEN: 'w', PROVIDER_EVENTS_SECRET: 's',
      WORKER_WAKE_URL: 'http://worker.railway.internal:3001/wake', DEFAULT_TIMEZONE: 'Europe/Paris', DB_IDLE_TIMEOUT_S: '5',
      CSV_MAX_ROWS: '10', CSV_MAX_BYTES: '2048', RATE_LIMIT_PER_MINUTE: '60', BODY_LIMIT_BYTES: '4096', TRUST_PROXY: 'true', LOG_LEVEL: 'warn',
    });
    expect(c).toMatchObject({
      nodeEnv: 'production', database: { url: 'postgres://u:p@db.internal:5432/w', embeddedPort: 5433 }, host: '::', port: 8080, apiTokens: ['a', 'b'], devToken: false, wakeToken: 'w',
      workerBaseUrl: 'http://worker.railway.internal:3001', defaultTimezone: 'Europe/Paris', dbIdleTimeoutS: 5,
      csvMaxRows: 10, csvMaxBytes: 2048, rateLimitPerMinute: 60, bodyLimitBytes: 4096, trustProxy: true, logLevel: 'warn',
    });
  });

  it('refuses production without API_TOKENS or DATABASE_URL, and has no doorbell or dev secrets there by default', () => {
    expect(() => loadApiConfig({ NODE_ENV: 'production' })).toThrow(/API_TOKENS is required when NODE_ENV=production/);
    expect(() => loadApiConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL is required when NODE_ENV=production/);
    expect(() => loadApiConfig({ NODE_ENV: 'production', API_TOKENS: 't', DATABASE_URL: 'mysql://x/y' })).toThrow(/DATABASE_URL must be a postgres:\/\//);
    const c = loadApiConfig({ NODE_ENV: 'production', API_TOKENS: 't', DATABASE_URL: 'postgres://db/w' });
    expect(c).toMatchObject({ workerWakeUrl: undefined, workerBaseUrl: undefined, wakeToken: undefined, providerEventsSecret: undefined });
  });

  it('reports every problem at once', () => {
    try {
      loadApiConfig({ PORT: 'eighty', DEFAULT_TIMEZONE: 'Mars/Base', DB_IDLE_TIMEOUT_S: '0', WORKER_WAKE_URL: 'not a url', RATE_LIMIT_PER_MINUTE: '-1', TRUST_PROXY: 'maybe' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'DEFAULT_TIMEZONE', 'DB_IDLE_TIMEOUT_S', 'WORKER_WAKE_URL', 'RATE_LIMIT_PER_MINUTE', 'TRUST_PROXY']) {
        expect(problems).toContain(name);
      }
    }
  });
});

describe('the providers\' callback secrets', () => {
  it('are optional, read when set, and a short Bolna token is refused by name', () => {
    expect(loadApiConfig({}).providerSecrets).toEqual({ twilioAuthToken: undefined, vapiWebhookSecret: undefined, retellApiKey: undefined, bolnaWebhookToken: undefined });
    expect(loadApiConfig({ TWILIO_AUTH_TOKEN: 't', VAPI_WEBHOOK_SECRET: 'v', RETELL_API_KEY: 'r', BOLNA_WEBHOOK_TOKEN: 'b'.repeat(16) }).providerSecrets)
      .toEqual({ twilioAuthToken: 't', vapiWebhookSecret: 'v', retellApiKey: 'r', bolnaWebhookToken: 'b'.repeat(16) });
    expect(() => loadApiConfig({ BOLNA_WEBHOOK_TOKEN: 'short' })).toThrow(/BOLNA_WEBHOOK_TOKEN must be at least 16/);
  });
});
