// The wake plan shared by the worker, the API and the CLI: what is due now,
// and the earliest instant strictly after `now` when anything becomes due.
//
// A pending group is due at the first instant ≥ max(now, earliestDueAt) at
// which its campaign window is open and, when the campaign sets recipient
// hours, the group's contacts are inside them. Groups that share a window,
// hours and contact zone share one CallableTimeline, kept between plans, so a
// rule is worked out once, not once per campaign. Ties go to result
// deadlines, then direct calls, then campaigns in input order. A campaign
// whose window, hours or contact zone is invalid is skipped and reported, so
// one bad row cannot stop the plan.
import { nextCallableAt } from './callable-search.ts';
import { CallableTimeline, canServe, keptTimelines, type KeptTimelines } from './callable-timeline.ts';
import type { CompiledWindow } from './compiled-window.ts';
import { toMs } from './instant.ts';
import { compileCallableRule, restrictsHours } from './recipient-hours.ts';
import type { CallingWindow, RecipientHours } from './types.ts';
import { compileWindow } from './window-cache.ts';

/** One group of queued work; timezone = the contacts' zone when recipient hours apply, else null. */
export interface PendingGroup {
  earliestDueAt: Date;
  timezone?: string | null;
}
export interface PlanCampaign {
  id: string;
  window: CallingWindow;
  recipientHours?: RecipientHours | null;
  pending: PendingGroup[];
}
export interface PlanInput {
  campaigns: PlanCampaign[];
  /** Direct calls ignore windows: each is due at its not_before (or creation). */
  directCallsDueAt: Date[];
  /** Calls in flight: when an unconfirmed result must be looked at. */
  resultDeadlines: Date[];
  /** Unconfirmed dial requests: when one may be sent again (the worker's re-sends). */
  resendsDueAt?: Date[];
}
export type WakeReason = 'campaign_window' | 'retry_due' | 'direct_call' | 'result_deadline' | 'resend_due' | 'claim_refused';
export interface WakeDecision {
  at: Date;
  reason: WakeReason;
  campaignId?: string;
}
export interface SkippedCampaign {
  campaignId: string;
  error: string;
}
export interface WakePlan {
  dueNowCampaignIds: string[];
  directCallsDueNow: boolean;
  deadlinePassed: boolean;
  /** Some unconfirmed dial request is due to be sent again. */
  resendDue: boolean;
  /** Earliest instant strictly after now when something becomes due; null = nothing ever. */
  nextWake: WakeDecision | null;
  /** Campaigns left out of the plan because their window, hours or a contact zone is invalid. */
  skippedCampaigns: SkippedCampaign[];
}

/** The earliest instant ≥ from at which any pending group of the campaign is due and callable, or null. */
export function nextCampaignDue(c: PlanCampaign, from: Date): Date | null {
  const fromMs = toMs(from, 'from');
  let best = Infinity;
  for (const group of c.pending) {
    const rule = compileCallableRule(c.window, c.recipientHours, group.timezone);
    const at = nextCallableAt(rule, Math.max(fromMs, toMs(group.earliestDueAt, 'earliestDueAt')));
    if (at !== null && at < best) best = at;
  }
  return best === Infinity ? null : new Date(best);
}

/** The earliest candidate strictly after now; the first offered wins ties. */
class EarliestWake {
  at = Infinity;
  reason: WakeReason = 'campaign_window';
  campaignId: string | undefined = undefined;

  offer(at: number, reason: WakeReason, campaignId?: string): void {
    if (at >= this.at) return;
    this.at = at;
    this.reason = reason;
    this.campaignId = campaignId;
  }

  decision(): WakeDecision | null {
    if (this.at === Infinity) return null;
    const decision: WakeDecision = { at: new Date(this.at), reason: this.reason };
    if (this.campaignId !== undefined) decision.campaignId = this.campaignId;
    return decision;
  }
}

export function computeWakePlan(input: PlanInput, now: Date): WakePlan {
  const nowMs = toMs(now, 'now');
  const next = new EarliestWake();
  let deadlinePassed = false;
  for (const deadline of input.resultDeadlines) {
    const at = toMs(deadline, 'resultDeadlines[]');
    if (at <= nowMs) deadlinePassed = true;
    else next.offer(at, 'result_deadline');
  }
  let directCallsDueNow = false;
  for (const due of input.directCallsDueAt) {
    const at = toMs(due, 'directCallsDueAt[]');
    if (at <= nowMs) directCallsDueNow = true;
    else next.offer(at, 'direct_call');
  }
  let resendDue = false;
  for (const due of input.resendsDueAt ?? []) {
    const at = toMs(due, 'resendsDueAt[]');
    if (at <= nowMs) resendDue = true;
    else next.offer(at, 'resend_due');
  }
  const campaigns = planCampaigns(input.campaigns, nowMs, next);
  return { ...campaigns, directCallsDueNow, deadlinePassed, resendDue, nextWake: next.decision() };
}

function planCampaigns(campaigns: PlanCampaign[], nowMs: number, next: EarliestWake) {
  const dueNowCampaignIds: string[] = [];
  const skippedCampaigns: SkippedCampaign[] = [];
  for (const c of campaigns) {
    try {
      let dueNow = false;
      const window = compileWindow(c.window);
      const timelines = keptTimelines(window);
      for (const group of c.pending) {
        const timeline = timelineFor(timelines, window, c, group.timezone, nowMs);
        const due = toMs(group.earliestDueAt, 'earliestDueAt');
        const at = timeline.firstCallableAtOrAfter(due > nowMs ? due : nowMs);
        if (at === null) continue;
        if (at === nowMs) dueNow = true;
        else next.offer(at, at === due ? 'retry_due' : 'campaign_window', c.id);
      }
      if (dueNow) dueNowCampaignIds.push(c.id);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      skippedCampaigns.push({ campaignId: c.id, error: error.message });
    }
  }
  return { dueNowCampaignIds, skippedCampaigns };
}

/** The kept timeline of a group's rule, made anew when it cannot serve `now`. */
function timelineFor(
  timelines: KeptTimelines,
  window: CompiledWindow,
  c: PlanCampaign,
  contactZone: string | null | undefined,
  nowMs: number,
): CallableTimeline {
  if (!canServe(timelines.windowOnly, nowMs)) timelines.windowOnly = new CallableTimeline({ window, hours: null }, nowMs);
  const hours = c.recipientHours;
  if (!restrictsHours(hours)) return timelines.windowOnly;
  const key = `${hours.start}-${hours.end}@${contactZone || ''}`;
  let timeline = timelines.withHours.get(key);
  if (!canServe(timeline, nowMs)) {
    const rule = compileCallableRule(c.window, hours, contactZone, window);
    timeline = new CallableTimeline(rule, nowMs, timelines.windowOnly);
    timelines.withHours.set(key, timeline);
  }
  return timeline;
}
