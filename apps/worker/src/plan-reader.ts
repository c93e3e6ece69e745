// Reading the plan into the worker's memory (campaign-plan.ts, on the plan copy
// shared with the API: packages/db plan-copy.ts) and what a plan
// obliges the worker to do at once: the whole plan (start-up, resync, a
// reconnect), a catch-up after a stretch without LISTEN (the campaigns marked
// changed since the plan's watermark, plus any hinted: packages/db
// plan-changes.ts), or only the campaigns hints named (one statement, cost
// independent of how many contacts are queued: packages/db plan-snapshot.ts); its
// evaluation at the clock's now; and the two kinds of giving up on time the
// plan can reveal — calls past their result deadline (→ unknown → retry
// policy) and campaigns whose window has ended for good (→ queued contacts
// expired). Every read, whole or partial, also reads the earliest pending
// webhook delivery, one separate input folded into the next wake
// (webhook-wake.ts). Says what changed, so the caller reads again before resting.
import { catchUpPlan, readCampaignPlans, readEarliestPendingDelivery, readWholePlan, type Sql } from '@wakeplan/db';
import type { Clock, Logger } from '@wakeplan/runtime';
import type { CampaignPlan } from './campaign-plan.ts';
import type { WorkerCounters } from './counters.ts';
import { evaluatePlan, type PlanEvaluation } from './plan-evaluation.ts';
import { expireEndedCampaign, expireOverdueCalls } from './sql/expiry.ts';
import { withEarliestDelivery } from './webhook-wake.ts';

export interface PlanRead {
  evaluation: PlanEvaluation;
  /** Overdue calls changed state: campaigns unknown to this read changed (and were marked), catch up. */
  overdueExpired: boolean;
  /** Campaigns whose queued contacts were just expired: refresh them. */
  expiredCampaignIds: string[];
}

export interface ReadDeps {
  clock: Clock;
  accountCap: number;
  counters: WorkerCounters;
  logger: Logger;
}

/** The earliest pending webhook delivery as last read (outbox.ts), kept beside the campaign plan. */
export interface KnownDeliveries {
  earliestAt: Date | null;
}

export interface ReadOptions {
  /** Evaluate just these campaigns (the CPU of a whole evaluation grows with the campaigns in memory; a refresh round needs only to know whether what it read is due). */
  evaluateOnly?: Set<string>;
  /** Read the earliest pending delivery even when `refresh` is null (deliveries were just sent). */
  readDeliveries?: boolean;
  /** With 'catch-up': campaigns hints named, read again whether marked or not. */
  hinted?: Iterable<string>;
}

/**
 * `refresh`: 'all' for a full read; 'catch-up' for the campaigns marked changed
 * since the plan's watermark (a whole read when it has none, or its last whole
 * read is too old: campaign-plan.ts) plus `hinted`;
 * else the campaigns to read again (empty: the totals only); null reads nothing. Whenever it reads (or `readDeliveries`),
 * the earliest pending webhook delivery is read too and kept in `deliveries`;
 * every evaluation folds in what `deliveries` holds.
 */
export async function readPlanAndExpire(
  sql: Sql, plan: CampaignPlan, deliveries: KnownDeliveries, refresh: 'all' | 'catch-up' | Set<string> | null, d: ReadDeps, o: ReadOptions = {},
): Promise<PlanRead> {
  const since = refresh === 'catch-up' ? plan.watermarkAt(d.clock.now()) : null;
  if (refresh === 'all' || (refresh === 'catch-up' && since === null)) {
    await readWholePlan(sql, plan, d.clock.now());
    d.counters.planReads++;
  } else if (refresh === 'catch-up') {
    await catchUpPlan(sql, plan, since!, o.hinted);
    d.counters.catchUps++;
  } else if (refresh !== null) {
    plan.refresh(refresh, await readCampaignPlans(sql, [...refresh], { known: plan.held }));
    d.counters.campaignRefreshes++;
  }
  if (refresh !== null || o.readDeliveries) deliveries.earliestAt = await readEarliestPendingDelivery(sql);
  const now = d.clock.now();
  const evaluated = o.evaluateOnly
    ? evaluatePlan(plan.snapshot(now, o.evaluateOnly), now, d.accountCap, false)
    : evaluatePlan(plan.snapshot(now), now, d.accountCap);
  const evaluation = withEarliestDelivery(evaluated, deliveries.earliestAt);
  for (const s of evaluation.skipped) d.logger.warn({ campaignId: s.campaignId, error: s.error }, 'campaign left out of the plan');
  let overdueExpired = false;
  if (evaluation.deadlinePassed) {
    const n = await expireOverdueCalls(sql, now);
    d.counters.deadlinesExpired += n;
    if (n > 0) d.logger.info({ calls: n }, 'calls past their result deadline: unknown, retry policy applied');
    overdueExpired = n > 0;
  }
  const expiredCampaignIds: string[] = [];
  for (const id of evaluation.endedCampaignIds) {
    const n = await expireEndedCampaign(sql, id, now);
    d.counters.contactsExpired += n;
    if (n > 0) d.logger.info({ campaignId: id, contacts: n }, 'campaign ended for good: queued contacts expired');
    if (n > 0) expiredCampaignIds.push(id);
  }
  return { evaluation, overdueExpired, expiredCampaignIds };
}
