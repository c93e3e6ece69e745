// One round of a dispatching pass (DESIGN.md §3): fold in the hints taken,
// bring the in-memory plan up to date — the whole plan when it cannot be
// trusted (start-up, resync, a LISTEN that was not open throughout, overdue
// calls just expired), else only the campaigns hints or the last round's claims
// named — expire what it says is over, then claim and dial what is due or what
// a hint named. The Worker runs rounds until one makes no progress and no hint
// has arrived since its last round began.
//
// Invariants: a round records the hint seq its plan reflects (`readSeq`) before
// it reads, which is what lets the Worker refuse to rest on a stale plan (no
// lost wake-ups: a hint arriving during a refresh is taken by the next round,
// which refreshes that campaign again); every campaign a round claimed for is
// refreshed by the next round (its calls in flight, pacing and earliest due
// changed); a campaign whose claim came back empty for a reason the plan cannot
// show is skipped for the rest of the pass (no spinning) until a hint names it
// again; webhook deliveries due are sent after the dials, by a round that read
// the earliest pending one (webhook-wake.ts), and the round after reads it again.
import type { Sql, WebhookSender } from '@wakeplan/db';
import type { Clock, Logger } from '@wakeplan/runtime';
import type { CampaignPlan } from './campaign-plan.ts';
import type { WorkerCounters } from './counters.ts';
import type { Dialer } from './dialers/dialer.ts';
import type { Dispatcher } from './dispatch.ts';
import type { TakenHints } from './hints.ts';
import type { PlanEvaluation } from './plan-evaluation.ts';
import { readPlanAndExpire, type KnownDeliveries } from './plan-reader.ts';
import { listUnconfirmedClaims } from './sql/dial-results.ts';
import { deliverWhileAwake } from './webhook-wake.ts';

/** What the worker knows of the plan between passes. */
export interface KnownPlan {
  campaigns: CampaignPlan;
  evaluation: PlanEvaluation | null;
  /** The hint seq the plan reflects. */
  readSeq: number;
  /** Campaigns whose entry is out of date (claimed for, expired): read again by the next round, even of a later pass. */
  stale: Set<string>;
  /** The earliest pending webhook delivery as last read: a wake reason beside the campaigns. */
  deliveries: KnownDeliveries;
}

/** What one pass carries from round to round. */
export interface PassProgress {
  progress: boolean;
  /** Read the whole plan next round. */
  readAll: boolean;
  /** Read the account-wide totals next round (direct calls were claimed). */
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
  dialer: Dialer;
  dispatcher: Dispatcher;
  counters: WorkerCounters;
  logger: Logger;
  accountCap: number;
  callbackUrl: string;
  stopping: () => boolean;
  webhookSender: WebhookSender;
}

export function newPassProgress(): PassProgress {
  return { progress: false, readAll: false, refreshTotals: false, evaluateAll: false, readDeliveries: false, dialed: 0, skip: new Set(), skipDirect: false };
}

/** `trusted`: LISTEN was open throughout since the plan was read, so every change reached it as a hint. */
export async function runRound(sql: Sql, work: TakenHints, plan: KnownPlan, p: PassProgress, d: RoundDeps, trusted: boolean): Promise<void> {
  if (work.fullResync) {
    d.counters.resyncs++;
    p.skip.clear();
  }
  for (const id of work.campaigns) p.skip.delete(id);
  for (const id of work.changedCampaigns) plan.campaigns.clearDeferral(id);
  if (work.direct) p.skipDirect = false;
  if (work.resendUnconfirmed && d.dialer.resend === 'deduplicates') {
    await d.dispatcher.resend(sql, await listUnconfirmedClaims(sql, d.callbackUrl));
  }
  const readAll = work.fullResync || p.readAll || !plan.campaigns.loaded || (work.readPlan && !trusted);
  const ids = new Set([...work.campaigns, ...plan.stale]);
  const refresh = readAll ? 'all' : ids.size > 0 || work.direct || p.refreshTotals ? ids : null;
  // A round that only refreshes campaigns evaluates only them (due now or not);
  // the whole plan is evaluated by a timer's round, and before the pass rests.
  const partial = refresh !== 'all' && refresh !== null && !work.readPlan && !p.evaluateAll;
  p.progress = false;
  p.readAll = false;
  p.refreshTotals = false;
  // A timer or doorbell reads the earliest delivery even when no campaign needs a read (a webhook retry's wake).
  const readDeliveries = p.readDeliveries || work.readPlan;
  p.readDeliveries = false;
  plan.stale = new Set();
  plan.readSeq = work.seq;
  const { evaluation, overdueExpired, expiredCampaignIds } = await readPlanAndExpire(
    sql, plan.campaigns, plan.deliveries, refresh, d, { evaluateOnly: partial ? ids : undefined, readDeliveries });
  plan.evaluation = evaluation;
  p.evaluateAll = false;
  p.readAll = overdueExpired;
  for (const id of expiredCampaignIds) plan.stale.add(id);
  p.progress = overdueExpired || expiredCampaignIds.length > 0;
  // Hinted campaigns were just read again: the plan says whether they are due.
  const campaigns = evaluation.dueCampaignIds.filter((id) => !p.skip.has(id));
  const direct = work.direct || (evaluation.directDue && !p.skipDirect);
  if (campaigns.length > 0 || direct) {
    const result = await d.dispatcher.dispatch(sql, campaigns, direct, d.stopping);
    p.dialed += result.claimed;
    p.progress ||= result.claimed > 0 || result.rejected > 0;
    for (const id of campaigns) plan.stale.add(id);
    p.refreshTotals ||= direct;
    for (const id of result.emptyCampaignIds) p.skip.add(id);
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
