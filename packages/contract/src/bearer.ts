// `Authorization: Bearer <token>`, as the API checks API_TOKENS and the worker's
// doorbell checks WAKE_TOKEN, and as the doorbell's callers send it.
//
// Invariants: tokens are compared in constant time — SHA-256 digests of equal
// length, every known token checked, no early exit — so neither a token's
// length nor its prefix leaks through timing; a match is named by a digest
// prefix (safe to log or to key a rate limit on), never by the token itself.
import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The token of a well-formed `Bearer <token>` header, else null. */
export function bearerToken(header: string | undefined): string | null {
  const match = header === undefined ? null : BEARER.exec(header);
  return match ? match[1]! : null;
}

export function bearerHeader(token: string): string {
  return `Bearer ${token}`;
}

/** Given an Authorization header: a stable, non-secret id of the token when it is one of `tokens`, else null. */
export type BearerMatcher = (authorization: string | undefined) => string | null;

export function createBearerMatcher(tokens: readonly string[]): BearerMatcher {
  const digests = tokens.map(sha256);
  return (authorization) => {
    const presented = bearerToken(authorization);
    if (presented === null) return null;
    const digest = sha256(presented);
    let match = false;
    for (const known of digests) match = timingSafeEqual(digest, known) || match;
    return match ? digest.subarray(0, 8).toString('hex') : null;
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
