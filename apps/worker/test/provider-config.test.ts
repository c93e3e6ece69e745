// DIALER=twilio|vapi|retell|bolna: each provider's variables (names fixed by
// issue 12) validated with everything else — every missing one named on its own
// line, all at once — and the process stops with exit code 2 before it starts.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@wakeplan/runtime';
import { loadWorkerConfig } from '../src/config.ts';

const REQUIRED: Record<string, string[]> = {
  twilio: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM_NUMBER', 'TWILIO_TWIML_URL', 'PUBLIC_URL'],
  vapi: ['VAPI_API_KEY', 'VAPI_PHONE_NUMBER_ID', 'VAPI_WEBHOOK_SECRET'],
  retell: ['RETELL_API_KEY', 'RETELL_FROM_NUMBER'],
  bolna: ['BOLNA_API_KEY', 'BOLNA_WEBHOOK_TOKEN'],
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadWorkerConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('provider dialer configuration', () => {
  it.each(Object.entries(REQUIRED))('DIALER=%s names every missing variable, one line each, with the others', (dialer, names) => {
    const problems = problemsOf({ DIALER: dialer, POLL_INTERVAL_MS: '5' });
    for (const name of names) expect(problems.filter((p) => p.startsWith(`${name} is required when DIALER=${dialer}`)), name).toHaveLength(1);
    expect(problems.some((p) => p.startsWith('POLL_INTERVAL_MS'))).toBe(true);
    expect(problems).toHaveLength(names.length + 1);
  });

  it('reads a complete provider configuration, defaults the API base URL and Twilio pacing', () => {
    const c = loadWorkerConfig({
      DIALER: 'twilio', TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`, TWILIO_AUTH_TOKEN: 't', TWILIO_FROM_NUMBER: '+15550000000',
      TWILIO_TWIML_URL: 'https://example.com/twiml', PUBLIC_URL: 'https://api.example.com/',
    });
    expect(c.provider).toMatchObject({ provider: 'twilio', apiBaseUrl: 'https://api.twilio.com', callsPerSecond: 1, publicUrl: 'https://api.example.com' });
    const b = loadWorkerConfig({ DIALER: 'bolna', BOLNA_API_KEY: 'k', BOLNA_WEBHOOK_TOKEN: 'x'.repeat(16), BOLNA_API_BASE_URL: 'http://127.0.0.1:43001/' });
    expect(b.provider).toEqual({ provider: 'bolna', apiKey: 'k', fromNumber: undefined, apiBaseUrl: 'http://127.0.0.1:43001' });
  });

  it('rejects malformed values by name', () => {
    const problems = problemsOf({
      DIALER: 'twilio', TWILIO_ACCOUNT_SID: 'nope', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM_NUMBER: '+1', TWILIO_TWIML_URL: 'not a url',
      PUBLIC_URL: 'https://x.example.com', TWILIO_CALLS_PER_SECOND: '0', TWILIO_API_BASE_URL: 'ftp://x',
    });
    for (const name of ['TWILIO_ACCOUNT_SID must', 'TWILIO_TWIML_URL must', 'TWILIO_CALLS_PER_SECOND must', 'TWILIO_API_BASE_URL must']) {
      expect(problems.some((p) => p.startsWith(name)), name).toBe(true);
    }
    expect(problemsOf({ DIALER: 'bolna', BOLNA_API_KEY: 'k', BOLNA_WEBHOOK_TOKEN: 'short' })).toEqual([expect.stringContaining('BOLNA_WEBHOOK_TOKEN must be at least 16')]);
    expect(problemsOf({ DIALER: 'plivo' })).toEqual([expect.stringContaining('DIALER must be one of simulated, webhook, twilio, vapi, retell, bolna')]);
  });

  it('stops the worker process with exit code 2 and one line per missing variable', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
      cwd: root, env: { PATH: process.env.PATH ?? '', DIALER: 'vapi', WORKER_PORT: '0' }, encoding: 'utf8', timeout: 30_000,
    });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual(REQUIRED.vapi!.map((name) => expect.stringMatching(new RegExp(`^wakeplan-worker: invalid configuration: ${name} is required when DIALER=vapi`))));
  }, 60_000);
});
