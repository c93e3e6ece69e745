// From the plan snapshot to schedule-core's PlanInput: the one mapping the API's
// status, the plan preview and the CLI share, so they all show the wake the
// worker itself would pick.
//
// Invariants: a campaign with as many calls in flight as its cap is not
// dispatchable until an outcome arrives (its pending list is emptied; the
// outcome's doorbell or the result deadline wakes the worker); with pacing, no
// group is due before its next pacing slot (schedule-core pacing.ts). This is the worker's own
// shaping (apps/worker plan-evaluation.ts) minus the account-wide cap, which is
// a worker setting the API and CLI do not know.
import { pacingReadyAt, type PendingGroup, type PlanCampaign, type PlanInput } from '@wakeplan/schedule-core';
import type { CampaignPlanRow, PlanSnapshot } from './plan-snapshot.ts';

/** The campaign as the worker would plan it now: caps and pacing applied. */
export function dispatchablePlanCampaign(row: CampaignPlanRow): PlanCampaign {
  if (row.inFlight >= row.maxConcurrentCalls) return withPending(row, []);
  const pacedFrom = pacingReadyAt(row.callsPerMinute, row.lastDialAt);
  if (pacedFrom === null) return rawPlanCampaign(row);
  return withPending(row, row.pending.map((p) => ({
    timezone: p.timezone,
    earliestDueAt: p.earliestDueAt < pacedFrom ? pacedFrom : p.earliestDueAt,
  })));
}

/**
 * The campaign's pending work with no caps or pacing: what is due once the
 * current calls are done. The row itself — a CampaignPlanRow is a PlanCampaign
 * (schedule-core reads its id, window, recipientHours and pending, and changes
 * nothing): no copy per campaign, 100,000 of them in the worker's every whole evaluation.
 */
export function rawPlanCampaign(row: CampaignPlanRow): PlanCampaign {
  return row;
}

function withPending(row: CampaignPlanRow, pending: PendingGroup[]): PlanCampaign {
  return { id: row.id, window: row.window, recipientHours: row.recipientHours, pending };
}

export function planInputFromSnapshot(snapshot: PlanSnapshot): PlanInput {
  return {
    campaigns: snapshot.campaigns.map(dispatchablePlanCampaign),
    directCallsDueAt: snapshot.directEarliestDueAt ? [snapshot.directEarliestDueAt] : [],
    resultDeadlines: snapshot.earliestResultDeadline ? [snapshot.earliestResultDeadline] : [],
    resendsDueAt: snapshot.earliestResendAt ? [snapshot.earliestResendAt] : [],
  };
}
