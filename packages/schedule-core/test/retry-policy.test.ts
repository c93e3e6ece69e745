// The decision after an attempt ends (pure): retry inside retry_on with attempts
// left, give up, complete, or expire when the retry would fall after end_date.
import { describe, expect, it } from 'vitest';
import { decideAfterAttempt, type RetryPolicy } from '../src/retry-policy.ts';

const t = (s: number) => new Date(Date.UTC(2026, 2, 2, 15, 0, s));

describe('decideAfterAttempt', () => {
  const policy: RetryPolicy = { maxAttempts: 3, retryDelayMinutes: 60, retryOn: ['no_answer', 'busy', 'failed'],
    window: { timezone: 'America/New_York', firstCallTime: '09:00', lastCallTime: '17:00', endDate: '2026-03-02' } };
  it('retries, gives up, completes, expires', () => {
    expect(decideAfterAttempt(policy, 1, 'completed', t(0))).toEqual({ status: 'completed', nextAttemptAt: null });
    expect(decideAfterAttempt({ ...policy, window: { ...policy.window, endDate: null } }, 1, 'busy', t(0)))
      .toEqual({ status: 'queued', nextAttemptAt: new Date(t(0).getTime() + 3_600_000) });
    expect(decideAfterAttempt(policy, 1, 'voicemail', t(0)).status).toBe('failed');
    expect(decideAfterAttempt(policy, 3, 'busy', t(0)).status).toBe('failed');
    expect(decideAfterAttempt(policy, 1, 'unknown', t(0)).status).toBe('failed');
    expect(decideAfterAttempt({ ...policy, retryDelayMinutes: 180 }, 1, 'busy', new Date('2026-03-02T20:30:00Z')).status).toBe('expired');
    expect(decideAfterAttempt(null, 1, 'busy', t(0)).status).toBe('failed');
  });
});
