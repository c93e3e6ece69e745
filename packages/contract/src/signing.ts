// HMAC signatures of the webhook contract (DESIGN.md §6), shared by the webhook
// dialer (signs its POST), the simulated dialer (signs the events it posts) and
// the provider-events route (verifies them).
//
// Invariants: the signed text is exactly "<unix seconds>.<raw body>", so a body
// re-serialised by a parser never verifies; comparison is constant-time; a
// timestamp outside ±toleranceS of the verifier's clock is rejected, so a
// captured request cannot be replayed later.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-wakeplan-signature';
export const TIMESTAMP_HEADER = 'x-wakeplan-timestamp';
const SIGNATURE_TOLERANCE_S = 300;

export function signBody(secret: string, timestampS: number, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestampS}.`);
  mac.update(rawBody);
  return `sha256=${mac.digest('hex')}`;
}

/** The two headers a signed request carries, for a body sent at `at`. */
export function signedHeaders(secret: string, rawBody: string, at: Date): Record<string, string> {
  const timestampS = Math.floor(at.getTime() / 1000);
  return { [TIMESTAMP_HEADER]: String(timestampS), [SIGNATURE_HEADER]: signBody(secret, timestampS, rawBody) };
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface VerifyInput {
  secret: string;
  timestampHeader: string | undefined;
  signatureHeader: string | undefined;
  rawBody: string | Buffer;
  at: Date;
  toleranceS?: number;
}

export function verifySignedBody(input: VerifyInput): SignatureCheck {
  const { timestampHeader, signatureHeader } = input;
  if (!timestampHeader || !/^\d{1,12}$/.test(timestampHeader)) return { ok: false, reason: 'missing or malformed X-Wakeplan-Timestamp' };
  if (!signatureHeader || !/^sha256=[0-9a-f]{64}$/i.test(signatureHeader)) return { ok: false, reason: 'missing or malformed X-Wakeplan-Signature' };
  const timestampS = Number(timestampHeader);
  const skewS = Math.abs(input.at.getTime() / 1000 - timestampS);
  if (skewS > (input.toleranceS ?? SIGNATURE_TOLERANCE_S)) return { ok: false, reason: 'timestamp outside the accepted window' };
  const expected = Buffer.from(signBody(input.secret, timestampS, input.rawBody).slice(7), 'hex');
  const given = Buffer.from(signatureHeader.slice(7).toLowerCase(), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}
