// The worker's configuration: defaults, the PORT fallback, the simulated dialer's
// settings, and every problem reported at once.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@wakeplan/runtime';
import { loadWorkerConfig } from '../src/config.ts';

describe('loadWorkerConfig', () => {
  it('has working defaults for local runs', () => {
    const c = loadWorkerConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1', port: 3001, inMemoryScheduler: true, pollIntervalMs: 10_000, callResultTimeoutMinutes: 30, shutdownGraceS: 10,
      dbIdleTimeoutS: 30, dialer: 'simulated', providerEventsUrl: 'http://127.0.0.1:3000/api/provider/events',
      simulated: { seed: 1, callSeconds: { min: 5, max: 60 } },
    });
    expect(c.wakeToken).toBeTruthy();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('binds :: in production (Railway private networking is IPv6), loopback otherwise', () => {
    expect(loadWorkerConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/w', WAKE_TOKEN: 'w', PROVIDER_EVENTS_SECRET: 's' }).host).toBe('::');
    expect(loadWorkerConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('falls back from WORKER_PORT to PORT, and reads the simulated dialer', () => {
    expect(loadWorkerConfig({ PORT: '8080' }).port).toBe(8080);
    expect(loadWorkerConfig({ PORT: '8080', WORKER_PORT: '0' }).port).toBe(0);
    const c = loadWorkerConfig({ SIM_DIALER_SEED: '9', SIM_CALL_SECONDS: '0', SIM_OUTCOMES: 'completed=1,busy=3', ENABLE_IN_MEMORY_SCHEDULER: 'false' });
    expect(c.simulated).toEqual({ seed: 9, callSeconds: { min: 0, max: 0 }, outcomes: { completed: 1, busy: 3 } });
    expect(c.inMemoryScheduler).toBe(false);
  });

  it('reports every problem at once', () => {
    try {
      loadWorkerConfig({ NODE_ENV: 'production', DIALER: 'webhook', SIM_CALL_SECONDS: '9-3', SIM_OUTCOMES: 'hangup=1', POLL_INTERVAL_MS: '5' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['DIALER_WEBHOOK_URL', 'DIALER_WEBHOOK_SECRET', 'WAKE_TOKEN', 'SIM_CALL_SECONDS', 'SIM_OUTCOMES', 'POLL_INTERVAL_MS']) {
        expect(problems).toContain(name);
      }
    }
  });
});
