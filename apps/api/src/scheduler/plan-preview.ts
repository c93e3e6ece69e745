// `GET /api/scheduler/plan?days=N` and `wakeplan plan`: each active campaign's
// open windows over the horizon and the wakes they lead to, as JSON (snake_case,
// like the rest of the API's resources).
//
// Invariants: `next_wake` and `due_now` are computeWakePlan over the same
// rows and mapping the worker uses, from the API's own copy of the plan caught
// up on change marks (plan-follower.ts; the CLI, which keeps no copy, reads the
// plan whole): they cost O(changed), not O(campaigns); `due_now.campaign_ids`
// lists the campaigns by id. Later wakes assume the queued work is not
// finished in one window: the worker would wake again when each following
// window opens (one wake per window run and contact zone group). With recipient
// hours, a group's second opening inside the same campaign window is not shown.
// Nothing reads the clock: `at` is the caller's.
//
// Bounded (issue 11): `days` ≤ MAX_PREVIEW_DAYS, and the campaigns listed (with
// their windows, wakes and queued counts) are one page of the active campaigns
// (`limit`, `offset`, oldest first; `campaigns_total` counts them all);
// `next_wake` and `due_now` still cover every campaign.
import { nextCampaignDue, openIntervals, windowCloseAfter, windowLabel, type PlanCampaign } from '@wakeplan/schedule-core';
import {
  CAMPAIGN_COLUMNS, campaignWindow, dispatchablePlanCampaign, rawPlanCampaign, type CampaignPlanRow, type CampaignRow, type Queryable,
} from '@wakeplan/db';
import { PlanFollower } from './plan-follower.ts';
import { directQueuedCount, queuedCounts } from './queued-counts.ts';

interface PreviewWake { at: string; reason: string; campaign_id: string | null }

interface PreviewCampaign {
  id: string;
  name: string;
  window: string;
  timezone: string;
  queued_count: number;
  in_flight: number;
  open_windows: { start: string; end: string }[];
  wakes: string[];
}

export interface PlanPreview {
  from: string;
  to: string;
  days: number;
  limit: number;
  offset: number;
  campaigns_total: number;
  next_wake: PreviewWake | null;
  due_now: { campaign_ids: string[]; direct_calls: boolean; deadline_passed: boolean };
  campaigns: PreviewCampaign[];
  direct_calls: { queued: number; earliest_due_at: string | null };
  wakes: PreviewWake[];
  wakes_truncated: boolean;
}

export const MAX_PREVIEW_DAYS = 31;
export const PREVIEW_PAGE_DEFAULT = 50;
export const PREVIEW_PAGE_MAX = 500;
const MAX_WAKES_PER_CAMPAIGN = 200;
const MAX_WAKES = 1000;
const DAY_MS = 86_400_000;

/** `plan`: the API's kept copy of the plan; without one (the CLI), the plan is read whole for this answer. */
export async function previewPlan(
  sql: Queryable, requested: Date, days: number, page = { limit: PREVIEW_PAGE_DEFAULT, offset: 0 }, plan = new PlanFollower(sql),
): Promise<PlanPreview> {
  if (!Number.isInteger(days) || days < 1 || days > MAX_PREVIEW_DAYS) {
    throw new RangeError(`days must be an integer from 1 to ${MAX_PREVIEW_DAYS}, got ${days}`);
  }
  const [view, active, directQueued] = await Promise.all([
    plan.view(requested, { limit: 0, offset: 0, nextWakes: 0 }),
    sql.unsafe<CampaignRow[]>(`select ${CAMPAIGN_COLUMNS} from campaigns where status = 'active' order by created_at, id limit $1 offset $2`,
      [page.limit, page.offset]),
    directQueuedCount(sql),
  ]);
  const at = view.at;
  const to = new Date(at.getTime() + days * DAY_MS);
  const { nextWake, dueNowCampaignIds, directCallsDueNow, deadlinePassed } = view.wake;
  const { directEarliestDueAt, earliestResultDeadline } = view.totals;
  const rows = new Map(active.map((c) => [c.id, view.row(c.id)]));
  const counts = await queuedCounts(sql, active.map((c) => c.id));
  const campaigns = active.map((c) => previewCampaign(c, rows.get(c.id), counts.get(c.id) ?? 0, at, to));
  const wakes = mergeWakes(campaigns, directEarliestDueAt, earliestResultDeadline, at, to);
  return {
    from: at.toISOString(),
    to: to.toISOString(),
    days,
    limit: page.limit,
    offset: page.offset,
    campaigns_total: view.activeCount,
    next_wake: nextWake ? { at: nextWake.at.toISOString(), reason: nextWake.reason, campaign_id: nextWake.campaignId ?? null } : null,
    due_now: { campaign_ids: dueNowCampaignIds, direct_calls: directCallsDueNow, deadline_passed: deadlinePassed },
    campaigns,
    // Queued with no not_before means "due at once" (the snapshot says epoch): shown as `at`.
    direct_calls: { queued: directQueued, earliest_due_at: directEarliestDueAt ? maxDate(directEarliestDueAt, at).toISOString() : null },
    wakes: wakes.slice(0, MAX_WAKES),
    wakes_truncated: wakes.length > MAX_WAKES,
  };
}

function previewCampaign(c: CampaignRow, row: CampaignPlanRow | undefined, queued: number, at: Date, to: Date): PreviewCampaign {
  const window = campaignWindow(c);
  return {
    id: c.id,
    name: c.name,
    window: windowLabel(window),
    timezone: c.timezone,
    queued_count: queued,
    in_flight: row?.inFlight ?? 0,
    open_windows: orEmpty(() => openIntervals(window, at, to)).map((i) => ({ start: i.start.toISOString(), end: i.end.toISOString() })),
    wakes: row ? orEmpty(() => campaignWakes(row, at, to)).map((d) => d.toISOString()) : [],
  };
}

/** The instants the worker would wake for this campaign: caps and pacing on the first, then each window run. */
function campaignWakes(row: CampaignPlanRow, at: Date, to: Date): Date[] {
  const later = iterateDue(rawPlanCampaign(row), at, to);
  const now = dispatchablePlanCampaign(row);
  if (now.pending.length === 0) {
    // At its cap: nothing more in the current run until an outcome frees a slot.
    const close = windowCloseAfter(row.window, at);
    return close ? later.filter((d) => d >= close) : later;
  }
  const first = nextCampaignDue(now, at);
  if (!first || first >= to) return [];
  return [first, ...later.filter((d) => d > first)];
}

function iterateDue(campaign: PlanCampaign, at: Date, to: Date): Date[] {
  const wakes: Date[] = [];
  let from = at;
  while (wakes.length < MAX_WAKES_PER_CAMPAIGN) {
    const due = nextCampaignDue(campaign, from);
    if (!due || due >= to) break;
    wakes.push(due);
    const close = windowCloseAfter(campaign.window, due);
    from = close && close > due ? close : new Date(due.getTime() + 60_000);
  }
  return wakes;
}

function mergeWakes(campaigns: PreviewCampaign[], direct: Date | null, deadline: Date | null, at: Date, to: Date): PreviewWake[] {
  const wakes: PreviewWake[] = campaigns.flatMap((c) => c.wakes.map((w) => ({ at: w, reason: 'campaign_due', campaign_id: c.id })));
  if (direct && direct < to) wakes.push({ at: maxDate(direct, at).toISOString(), reason: 'direct_call', campaign_id: null });
  if (deadline && deadline < to) wakes.push({ at: maxDate(deadline, at).toISOString(), reason: 'result_deadline', campaign_id: null });
  return wakes.sort((a, b) => a.at.localeCompare(b.at));
}

/** One campaign schedule-core cannot plan (a bad stored zone) shows nothing rather than failing the preview. */
function orEmpty<T>(compute: () => T[]): T[] {
  try {
    return compute();
  } catch {
    return [];
  }
}

function maxDate(a: Date, b: Date): Date {
  return a > b ? a : b;
}
