// What happens to a call after an attempt ends (DESIGN.md §6), as a pure
// decision: completed → completed; an outcome in `retry_on` with attempts left →
// queued again at `outcome time + retry_delay_minutes` (the calling window is
// applied when planning, not here), unless the campaign's window never opens
// again (its end_date has passed) → expired; anything else → failed.
//
// `unknown` (no confirmation and no outcome by the result deadline) is retried
// only when the campaign lists it in `retry_on`: the call may have happened, so
// by default it is not dialed again (never a blind second dial). Direct calls
// carry no retry policy: they get one attempt.
//
// Pure: the outcome is a plain string (a provider outcome such as `busy`, or
// `unknown`); nothing here reads the clock or the database.
import type { CallingWindow } from './types.ts';
import { isWindowOpen, nextWindowOpen } from './window.ts';

export interface RetryPolicy {
  maxAttempts: number;
  retryDelayMinutes: number;
  retryOn: readonly string[];
  window: CallingWindow;
}

export type NextCallState =
  | { status: 'completed' | 'failed' | 'expired'; nextAttemptAt: null }
  | { status: 'queued'; nextAttemptAt: Date };

export function decideAfterAttempt(policy: RetryPolicy | null, attempt: number, outcome: string, outcomeAt: Date): NextCallState {
  if (outcome === 'completed') return { status: 'completed', nextAttemptAt: null };
  if (policy === null || !policy.retryOn.includes(outcome) || attempt >= policy.maxAttempts) {
    return { status: 'failed', nextAttemptAt: null };
  }
  const nextAttemptAt = new Date(outcomeAt.getTime() + policy.retryDelayMinutes * 60_000);
  if (windowHasEnded(policy.window, nextAttemptAt)) return { status: 'expired', nextAttemptAt: null };
  return { status: 'queued', nextAttemptAt };
}

/** True when the campaign has an end_date and its window never opens at or after `at`. */
export function windowHasEnded(window: CallingWindow, at: Date): boolean {
  if (!window.endDate) return false;
  try {
    return !isWindowOpen(window, at) && nextWindowOpen(window, at) === null;
  } catch {
    return false; // an invalid window is the planner's to report, not a reason to expire contacts
  }
}
