// Campaign lifecycle: which transitions pause, resume and cancel allow.
//
//   pause:  active → paused            (paused: no change)
//   resume: paused → active, or → completed when nothing is pending (active: no change)
//   cancel: active | paused → cancelled, queued contacts cancelled (cancelled: no change)
// Anything else is a 409 that says why. Pure, so the rules are testable alone.
//
// Lifecycle is total (the rest lives in packages/db outcomes.ts):
//   * paused: no claim; calls in flight finish, their outcomes are recorded and
//     retries queued as usual (due after resume). A paused campaign whose last
//     call ends stays PAUSED and completes on resume — not at that outcome:
//     pause is the operator's hold, and a completed campaign is re-activated
//     by appending contacts, so completing it behind the operator's back would
//     let an append start dialing a campaign they paused;
//   * cancelled: queued contacts cancelled at once; a call in flight ends with
//     its real outcome, and what would have been a retry cancels the contact
//     (also a deadline with `unknown` retried, also paused then cancelled).
import type { CampaignStatus } from '@wakeplan/db';
import { ApiError } from '../errors.ts';

export type LifecycleAction = 'pause' | 'resume' | 'cancel';

const TARGET: Record<LifecycleAction, CampaignStatus> = { pause: 'paused', resume: 'active', cancel: 'cancelled' };
const FROM: Record<LifecycleAction, CampaignStatus[]> = { pause: ['active'], resume: ['paused'], cancel: ['active', 'paused'] };

/** The status to move to, or null when the campaign is already there. Throws 409 for a transition that is not allowed. */
export function nextStatus(action: LifecycleAction, current: CampaignStatus): CampaignStatus | null {
  const target = TARGET[action];
  if (current === target) return null;
  if (FROM[action].includes(current)) return target;
  throw new ApiError(409, 'CAMPAIGN_STATE_CONFLICT', conflictMessage(action, current));
}

function conflictMessage(action: LifecycleAction, current: CampaignStatus): string {
  if (current === 'cancelled') return `the campaign is cancelled; it cannot ${action === 'pause' ? 'be paused' : 'be resumed'}`;
  if (current === 'completed') {
    return action === 'cancel'
      ? 'the campaign is completed; there is nothing left to cancel'
      : `the campaign is completed; add contacts to make it active again instead of trying to ${action} it`;
  }
  return `cannot ${action} a campaign that is ${current}`;
}
