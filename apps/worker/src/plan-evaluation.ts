// From the plan snapshot (the worker's in-memory plan, campaign-plan.ts, or one
// read) to decisions, as a pure function of the snapshot, `now` and the account cap (so it is table-testable and `simulate`
// computes exactly what the worker computes).
//
// The snapshot is shaped before schedule-core sees it by planInputFromSnapshot
// (db plan-input.ts, shared with the API and CLI): a campaign at its own cap has
// nothing dispatchable until a call ends, which arrives as a hint or shows as a
// result deadline; a paced campaign's work is not due before its next pacing
// slot. On top of that, the account-wide cap (a worker setting): when it is
// reached, nothing is. Campaigns whose window has ended for good while work is
// queued are reported for expiry.
import { planInputFromSnapshot, type PlanSnapshot } from '@wakeplan/db';
import type { WebhookWake } from './webhook-wake.ts';
import { computeWakePlan, isWindowOpen, windowHasEnded, type CallingWindow, type PlanInput, type WakeDecision } from '@wakeplan/schedule-core';

export interface PlanEvaluation {
  at: Date;
  /**
   * False when only some campaigns were evaluated (those a refresh just read):
   * what it says of them holds, but nextWake, due and ended campaigns cover only
   * them — the worker evaluates the whole plan before it rests.
   */
  complete: boolean;
  dueCampaignIds: string[];
  directDue: boolean;
  deadlinePassed: boolean;
  /** An unconfirmed dial request is due to be sent again. */
  resendDue: boolean;
  /** Strictly after `at`, or null when nothing is ever due again. */
  nextWake: WakeDecision | WebhookWake | null;
  /** A webhook delivery is due now (webhook-wake.ts: a separate input, folded in after the plan). */
  webhookDeliveryDue: boolean;
  /** Campaigns with queued work whose window never opens again: expire it. */
  endedCampaignIds: string[];
  /** Calls in flight account-wide (any worker). */
  inFlight: number;
  accountFull: boolean;
  /** True when some campaign with queued work has its window open now (window_polling). */
  openWindowWithWork: boolean;
  skipped: { campaignId: string; error: string }[];
}

export function evaluatePlan(snapshot: PlanSnapshot, at: Date, accountCap: number, complete = true): PlanEvaluation {
  const accountFull = snapshot.inFlightTotal >= accountCap;
  const input = planInputFromSnapshot(snapshot);
  const plan = computeWakePlan(accountFull ? withNothingDispatchable(input) : input, at);
  const withWork = snapshot.campaigns.filter((c) => c.pending.length > 0);
  return {
    at,
    complete,
    dueCampaignIds: plan.dueNowCampaignIds,
    directDue: plan.directCallsDueNow,
    deadlinePassed: plan.deadlinePassed,
    resendDue: plan.resendDue,
    nextWake: plan.nextWake,
    webhookDeliveryDue: false,
    endedCampaignIds: withWork.filter((c) => windowHasEnded(c.window, at)).map((c) => c.id),
    inFlight: snapshot.inFlightTotal,
    accountFull,
    openWindowWithWork: withWork.some((c) => safeIsOpen(c.window, at)),
    skipped: plan.skippedCampaigns,
  };
}

/** At the account cap no campaign or direct call is dispatchable until a call ends; result deadlines still count. */
function withNothingDispatchable(input: PlanInput): PlanInput {
  return { ...input, campaigns: input.campaigns.map((c) => ({ ...c, pending: [] })), directCallsDueAt: [] };
}

function safeIsOpen(w: CallingWindow, at: Date): boolean {
  try {
    return isWindowOpen(w, at);
  } catch {
    return false;
  }
}
