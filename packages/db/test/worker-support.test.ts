// Pure helpers of the wire contract: signatures and provider-event parsing.
import { describe, expect, it } from 'vitest';
import { signBody, signedHeaders, verifySignedBody } from '../src/signing.ts';
import { parseProviderEvent } from '../src/dialer-contract.ts';

const t = (s: number) => new Date(Date.UTC(2026, 2, 2, 15, 0, s));

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
