// One round of a dispatching pass (DESIGN.md §3): fold in the hints taken,
// record what the dialer answered, bring the in-memory plan up to date — the
// whole plan when it cannot be trusted (start-up, resync, a lost LISTEN), a
// catch-up on the campaigns marked changed since its watermark when LISTEN was
// not open throughout (after sleeping) or overdue calls were just expired, else
// only the campaigns hints, answers or the last round's claims named — expire what it says is over,
// re-send unconfirmed claims that are due (all of them at start-up), then claim
// and dial what is due. The Worker runs rounds until one makes no progress and
// no hint has arrived since its last round began.
//
// Invariants: a round records the hint seq its plan reflects (`readSeq`) before
// it reads, which is what lets the Worker refuse to rest on a stale plan (no
// lost wake-ups: a hint arriving during a refresh is taken by the next round,
// which refreshes that campaign again); every campaign a round tried to claim
// for is refreshed by the next round (its calls in flight, pacing and earliest
// due changed); a campaign whose claim came back empty for a reason the plan
// cannot show is skipped for the rest of the pass (no spinning) until a hint
// names it again; a claim refused for pacing or a closed window — "campaign X
// not before T" — defers X in the plan until T (CampaignPlan.deferCampaign); a
// round woken only by dial answers that changed nothing reads nothing (the
// answers cannot have made anything due) unless they freed dialing room; a
// re-send handled changes the earliest re-send (a plan total), so the next round
// reads the totals again; webhook deliveries due are sent after the dials, by a
// round that read the earliest pending one (webhook-wake.ts), and the round
// after reads it again.
import type { Sql, WebhookSender } from '@wakeplan/db';
import type { Clock, Logger } from '@wakeplan/runtime';
import { CampaignPlan } from './campaign-plan.ts';
import type { WorkerCounters } from './counters.ts';
import type { Dispatcher } from './dispatch.ts';
import type { TakenHints } from './hints.ts';
import type { PlanEvaluation } from './plan-evaluation.ts';
import { readPlanAndExpire, type KnownDeliveries } from './plan-reader.ts';
import { deliverWhileAwake } from './webhook-wake.ts';

/** What the worker knows of the plan between passes. */
export interface KnownPlan {
  campaigns: CampaignPlan;
  evaluation: PlanEvaluation | null;
  /** The hint seq the plan reflects. */
  readSeq: number;
  /** Campaigns whose entry is out of date (claimed for, answered, expired): read again by the next round, even of a later pass. */
  stale: Set<string>;
  /** The earliest pending webhook delivery as last read: a wake reason beside the campaigns. */
  deliveries: KnownDeliveries;
}

export function newKnownPlan(): KnownPlan {
  return { campaigns: new CampaignPlan(), evaluation: null, readSeq: -1, stale: new Set(), deliveries: { earliestAt: null } };
}

/** What one pass carries from round to round. */
export interface PassProgress {
  progress: boolean;
  /** Catch up on every campaign marked changed next round (overdue calls were settled: their campaigns are marked). */
  catchUp: boolean;
  /** Read the account-wide totals next round (direct calls were claimed, re-sends handled). */
  refreshTotals: boolean;
  /** The last round evaluated only what it refreshed: evaluate the whole plan before resting. */
  evaluateAll: boolean;
  /** Deliveries were sent: read the earliest pending one again next round. */
  readDeliveries: boolean;
  dialed: number;
  skip: Set<string>;
  skipDirect: boolean;
}

export interface RoundDeps {
  clock: Clock;
  dispatcher: Dispatcher;
  counters: WorkerCounters;
  logger: Logger;
  accountCap: number;
  stopping: () => boolean;
  webhookSender: WebhookSender;
  /** Catch up on change marks after a stretch without LISTEN (the wake plan); false: read the whole plan (the polling baselines). */
  catchUp: boolean;
}

export function newPassProgress(): PassProgress {
  return { progress: false, catchUp: false, refreshTotals: false, evaluateAll: false, readDeliveries: false, dialed: 0, skip: new Set(), skipDirect: false };
}

/** `trusted`: LISTEN was open throughout since the plan was read, so every change reached it as a hint. */
export async function runRound(sql: Sql, work: TakenHints, plan: KnownPlan, p: PassProgress, d: RoundDeps, trusted: boolean): Promise<void> {
  if (work.fullResync) {
    d.counters.resyncs++;
    plan.campaigns.clearDeferrals();
    p.skip.clear();
  }
  for (const id of work.campaigns) p.skip.delete(id);
  for (const id of work.changedCampaigns) plan.campaigns.clearDeferral(id);
  if (work.direct) p.skipDirect = false;
  const answers = await d.dispatcher.recordAnswers(sql);
  const roomFreed = d.dispatcher.roomFreed;
  if (work.answersOnly && answers.changed === 0 && !roomFreed && !p.progress && plan.evaluation !== null && plan.stale.size === 0) {
    plan.readSeq = Math.max(plan.readSeq, work.seq); // confirmations change no plan: nothing new to read
    return;
  }
  for (const id of answers.campaignIds) plan.stale.add(id);
  p.refreshTotals ||= answers.changed > 0; // next send times (the earliest re-send), direct calls
  p.evaluateAll ||= roomFreed; // campaigns left due for want of room: claim them now
  // Not listening throughout (asleep, or a mode that does not listen), or overdue
  // calls just settled: changes may have come without a hint, but every one left
  // a mark (packages/db plan-changes.ts) — caught up on, or (polling baselines) read whole.
  const unheard = p.catchUp || (work.readPlan && !trusted);
  const ids = new Set([...work.campaigns, ...plan.stale]);
  const refresh = work.fullResync || !plan.campaigns.loaded || (unheard && !d.catchUp) ? 'all'
    : unheard ? 'catch-up'
    : ids.size > 0 || work.direct || p.refreshTotals ? ids : null;
  // A round that only refreshes campaigns evaluates only them (due now or not);
  // the whole plan is evaluated by a timer's round, a catch-up, and before the pass rests.
  const partial = refresh instanceof Set && !work.readPlan && !p.evaluateAll;
  p.progress = false;
  p.catchUp = false;
  p.refreshTotals = false;
  // A timer or doorbell reads the earliest delivery even when no campaign needs a read (a webhook retry's wake).
  const readDeliveries = p.readDeliveries || work.readPlan;
  p.readDeliveries = false;
  plan.stale = new Set();
  plan.readSeq = work.seq;
  const { evaluation, overdueExpired, expiredCampaignIds } = await readPlanAndExpire(
    sql, plan.campaigns, plan.deliveries, refresh, d, { evaluateOnly: partial ? ids : undefined, readDeliveries, hinted: ids });
  plan.evaluation = evaluation;
  p.evaluateAll = false;
  p.catchUp = overdueExpired;
  for (const id of expiredCampaignIds) plan.stale.add(id);
  p.progress = overdueExpired || expiredCampaignIds.length > 0;
  // The earliest re-send is a plan total: due now by the last totals read (a timer may be what says so).
  if (work.resendUnconfirmed || evaluation.resendDue) {
    const resends = await d.dispatcher.resendDue(sql, work.resendUnconfirmed);
    for (const id of resends.campaignIds) plan.stale.add(id);
    if (resends.handled > 0) {
      p.progress = true;
      p.refreshTotals = true;
    }
  }
  // Hinted campaigns were just read again: the plan says whether they are due.
  const campaigns = evaluation.dueCampaignIds.filter((id) => !p.skip.has(id));
  const direct = work.direct || (evaluation.directDue && !p.skipDirect);
  if (campaigns.length > 0 || direct) {
    const result = await d.dispatcher.dispatch(sql, campaigns, direct, d.stopping);
    p.dialed += result.claimed;
    p.progress ||= result.claimed > 0;
    for (const id of result.triedCampaignIds) plan.stale.add(id);
    p.refreshTotals ||= direct;
    for (const id of result.emptyCampaignIds) p.skip.add(id);
    for (const id of result.claimedCampaignIds) plan.campaigns.clearDeferral(id);
    for (const r of result.notBefore) plan.campaigns.deferCampaign(r.campaignId, r.at);
    if (direct && result.directEmpty) p.skipDirect = true;
  }
  // Webhooks go out while the worker is awake anyway, after the dials, by a round
  // that has just read the earliest pending delivery; sending changes it, so the
  // next round reads it again before the pass may rest.
  if ((refresh !== null || readDeliveries) && evaluation.webhookDeliveryDue && !d.stopping()) {
    const sent = await deliverWhileAwake(sql, () => d.clock.now(), d.webhookSender, d.counters, d.logger);
    if (sent > 0) p.readDeliveries = true;
    p.progress ||= sent > 0;
  }
}
