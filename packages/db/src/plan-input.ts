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
import { pacingReadyAt, type PlanCampaign, type PlanInput } from '@wakeplan/schedule-core';
import type { CampaignPlanRow, PlanSnapshot } from './plan-snapshot.ts';

/** The campaign as the worker would plan it now: caps and pacing applied. */
export function dispatchablePlanCampaign(row: CampaignPlanRow): PlanCampaign {
  const base = rawPlanCampaign(row);
  if (row.inFlight >= row.maxConcurrentCalls) return { ...base, pending: [] };
  const pacedFrom = pacingReadyAt(row.callsPerMinute, row.lastDialAt);
  if (pacedFrom === null) return base;
  return {
    ...base,
    pending: base.pending.map((p) => ({
      ...p,
      earliestDueAt: p.earliestDueAt < pacedFrom ? pacedFrom : p.earliestDueAt,
    })),
  };
}

/** The campaign's pending work with no caps or pacing: what is due once the current calls are done. */
export function rawPlanCampaign(row: CampaignPlanRow): PlanCampaign {
  const campaign: PlanCampaign = {
    id: row.id,
    window: row.window,
    pending: row.pending.map((p) => ({ earliestDueAt: p.earliestDueAt, timezone: p.timezone })),
  };
  if (row.recipientHours) campaign.recipientHours = row.recipientHours;
  return campaign;
}

export function planInputFromSnapshot(snapshot: PlanSnapshot): PlanInput {
  return {
    campaigns: snapshot.campaigns.map(dispatchablePlanCampaign),
    directCallsDueAt: snapshot.directEarliestDueAt ? [snapshot.directEarliestDueAt] : [],
    resultDeadlines: snapshot.earliestResultDeadline ? [snapshot.earliestResultDeadline] : [],
    resendsDueAt: snapshot.earliestResendAt ? [snapshot.earliestResendAt] : [],
  };
}
