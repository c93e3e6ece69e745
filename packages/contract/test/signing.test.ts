// HMAC signatures of "<timestamp>.<raw body>": verified within ±5 minutes, over
// the exact bytes, in constant time.
import { describe, expect, it } from 'vitest';
import { signBody, signedHeaders, verifySignedBody } from '../src/signing.ts';

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
