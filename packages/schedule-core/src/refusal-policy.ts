// What happens to a call after the provider REFUSED an attempt (it did not start
// the call — e.g. its own concurrency limit was reached — so nothing reached the
// recipient), as a pure decision. A refusal is transient and is not a call:
//   * the contact is queued again at `outcome time + backoff`, whatever the
//     campaign's retry_on says: 30 s, doubling per consecutive refusal, at most
//     10 minutes (the calling window is applied when planning, not here);
//   * refused attempts do not count toward max_attempts (the caller passes the
//     attempts that DID count to decideAfterAttempt);
//   * bounded: the MAX_CONSECUTIVE_REFUSALS-th refusal in a row ends the call
//     `failed` — a provider that refuses forever must not keep a contact pending;
//   * a campaign whose window never opens again (end_date passed) → expired.
//
// Pure: nothing here reads the clock or the database.
import type { NextCallState, RetryPolicy } from './retry-policy.ts';
import { windowHasEnded } from './retry-policy.ts';

const REFUSAL_BACKOFF_FIRST_MS = 30_000;
const REFUSAL_BACKOFF_MAX_MS = 10 * 60_000;
export const MAX_CONSECUTIVE_REFUSALS = 10;

/** The wait after the `consecutive`-th refusal in a row (1-based): 30 s, 60 s, 120 s, … capped at 10 min. */
export function refusalBackoffMs(consecutive: number): number {
  const doublings = Math.max(0, Math.min(consecutive - 1, 20));
  return Math.min(REFUSAL_BACKOFF_FIRST_MS * 2 ** doublings, REFUSAL_BACKOFF_MAX_MS);
}

/** `consecutive` counts this refusal too (1 = the first refusal since the last attempt that counted). */
export function decideAfterRefusal(policy: RetryPolicy | null, consecutive: number, outcomeAt: Date): NextCallState {
  if (consecutive >= MAX_CONSECUTIVE_REFUSALS) return { status: 'failed', nextAttemptAt: null };
  const nextAttemptAt = new Date(outcomeAt.getTime() + refusalBackoffMs(consecutive));
  if (policy && windowHasEnded(policy.window, nextAttemptAt)) return { status: 'expired', nextAttemptAt: null };
  return { status: 'queued', nextAttemptAt };
}
