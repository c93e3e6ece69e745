// Campaign lifecycle: which transitions pause, resume and cancel allow.
//
//   pause:  active → paused            (paused: no change)
//   resume: paused → active            (active: no change)
//   cancel: active | paused → cancelled, queued contacts cancelled (cancelled: no change)
// Anything else is a 409 that says why. Pure, so the rules are testable alone.
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
