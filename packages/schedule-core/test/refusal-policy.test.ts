// The decision after a provider refused an attempt (pure): back off 30 s doubling
// to at most 10 minutes whatever retry_on says, fail at the 10th refusal in a
// row, expire when the campaign window never opens again; direct calls too.
import { describe, expect, it } from 'vitest';
import { decideAfterRefusal, MAX_CONSECUTIVE_REFUSALS, refusalBackoffMs } from '../src/refusal-policy.ts';
import type { RetryPolicy } from '../src/retry-policy.ts';

const AT = new Date('2026-03-02T15:00:00Z'); // 10:00 New York
const policy: RetryPolicy = { maxAttempts: 1, retryDelayMinutes: 60, retryOn: [],
  window: { timezone: 'America/New_York', firstCallTime: '09:00', lastCallTime: '17:00' } };

describe('refusalBackoffMs', () => {
  it.each([[1, 30], [2, 60], [3, 120], [4, 240], [5, 480], [6, 600], [9, 600], [50, 600], [0, 30]])('refusal %i in a row → %i s', (n, s) => {
    expect(refusalBackoffMs(n)).toBe(s * 1000);
  });
});

describe('decideAfterRefusal', () => {
  it('queues again after the backoff, even with an empty retry_on and max_attempts 1, and for a direct call', () => {
    expect(decideAfterRefusal(policy, 1, AT)).toEqual({ status: 'queued', nextAttemptAt: new Date(AT.getTime() + 30_000) });
    expect(decideAfterRefusal(null, 3, AT)).toEqual({ status: 'queued', nextAttemptAt: new Date(AT.getTime() + 120_000) });
  });
  it('fails at the bound', () => {
    expect(MAX_CONSECUTIVE_REFUSALS).toBe(10);
    expect(decideAfterRefusal(policy, 9, AT).status).toBe('queued');
    expect(decideAfterRefusal(policy, 10, AT)).toEqual({ status: 'failed', nextAttemptAt: null });
  });
  it('expires when the window never opens again after the backoff', () => {
    const ending = { ...policy, window: { ...policy.window, endDate: '2026-03-02' } };
    expect(decideAfterRefusal(ending, 1, AT).status).toBe('queued');
    expect(decideAfterRefusal(ending, 1, new Date('2026-03-02T21:59:45Z'))).toEqual({ status: 'expired', nextAttemptAt: null });
  });
});
