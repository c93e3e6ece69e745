// Pure helpers of the claim and outcome logic: pacing slots, the retry decision,
// signatures, and provider-event parsing.
import { describe, expect, it } from 'vitest';
import { grantPacingSlots, pacingReadyAt } from '../src/pacing.ts';
import { decideAfterAttempt, type RetryPolicy } from '../src/retry-policy.ts';
import { signBody, signedHeaders, verifySignedBody } from '../src/signing.ts';
import { parseProviderEvent } from '../src/dialer-contract.ts';

const t = (s: number) => new Date(Date.UTC(2026, 2, 2, 15, 0, s));

describe('pacing', () => {
  it('grants slots spaced 60/cpm seconds apart, with at most one second of burst', () => {
    expect(grantPacingSlots(null, null, t(0), 7)).toMatchObject({ count: 7 });
    expect(grantPacingSlots(6, null, t(0), 5)).toMatchObject({ count: 1, lastSlotAt: t(0), readyAt: t(10) });
    expect(grantPacingSlots(6, t(0), t(5), 5)).toMatchObject({ count: 0, readyAt: t(10) });
    expect(grantPacingSlots(6, t(0), t(3600), 5)).toMatchObject({ count: 1 }); // an idle hour is not banked
    expect(grantPacingSlots(600, null, t(0), 50)).toMatchObject({ count: 10 });
    expect(grantPacingSlots(600, t(0), new Date(t(0).getTime() + 500), 50).count).toBe(5);
    expect(pacingReadyAt(6, t(0))).toEqual(t(10));
    expect(pacingReadyAt(null, t(0))).toBeNull();
  });

  it('never exceeds the rate over a long run', () => {
    let last: Date | null = null;
    let total = 0;
    for (let ms = 0; ms <= 60_000; ms += 137) {
      const g = grantPacingSlots(120, last, new Date(Date.UTC(2026, 0, 1) + ms), 100);
      total += g.count;
      last = g.lastSlotAt;
    }
    expect(total).toBeLessThanOrEqual(120 + 2);
    expect(total).toBeGreaterThanOrEqual(118);
  });
});

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

describe('signing', () => {
  it('verifies the signature of "<timestamp>.<raw body>" within ±5 minutes, in constant time', () => {
    const body = '{"a":1}';
    const headers = signedHeaders('k', body, t(0));
    const input = { secret: 'k', timestampHeader: headers['x-wakeplan-timestamp'], signatureHeader: headers['x-wakeplan-signature'], rawBody: body };
    expect(verifySignedBody({ ...input, at: t(299) })).toEqual({ ok: true });
    expect(verifySignedBody({ ...input, at: t(301) })).toMatchObject({ ok: false, reason: 'timestamp outside the accepted window' });
    expect(verifySignedBody({ ...input, rawBody: '{"a": 1}', at: t(0) })).toMatchObject({ ok: false, reason: 'signature does not match' });
    expect(verifySignedBody({ ...input, secret: 'other', at: t(0) })).toMatchObject({ ok: false });
    expect(verifySignedBody({ ...input, signatureHeader: 'sha256=abc', at: t(0) })).toMatchObject({ ok: false });
    expect(verifySignedBody({ ...input, timestampHeader: undefined, at: t(0) })).toMatchObject({ ok: false });
    expect(signBody('k', 1, 'x')).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});

describe('parseProviderEvent', () => {
  it('accepts the contract and reports every problem at once', () => {
    const ok = { call_id: '8f7a2c1e-1111-4a2b-9c3d-000000000001', attempt: 1, status: 'busy', occurred_at: '2026-03-02T15:00:00Z' };
    expect(parseProviderEvent(ok)).toEqual({ ok: true, value: ok });
    const bad = parseProviderEvent({ call_id: 'x', attempt: 0, status: 'hung_up', occurred_at: 'yesterday', duration_seconds: -1 });
    expect(bad.ok ? [] : bad.errors).toHaveLength(5);
    expect(parseProviderEvent([]).ok).toBe(false);
  });
});
