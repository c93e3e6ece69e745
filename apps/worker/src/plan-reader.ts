// One plan read and what it obliges the worker to do at once: the single plan
// query (packages/db plan-snapshot.ts), its evaluation at the clock's now, and
// the two kinds of giving up on time the plan can reveal — calls past their
// result deadline (→ unknown → retry policy) and campaigns whose window has
// ended for good (→ queued contacts expired) — plus the earliest pending
// webhook delivery, one separate input folded into the next wake. Reports how many rows changed, so
// the caller reads again before resting when something did.
import { readEarliestPendingDelivery, readPlanSnapshot, type Sql } from '@wakeplan/db';
import type { Clock, Logger } from '@wakeplan/runtime';
import type { WorkerCounters } from './counters.ts';
import { evaluatePlan, type PlanEvaluation } from './plan-evaluation.ts';
import { expireEndedCampaign, expireOverdueCalls } from './sql/expiry.ts';
import { withEarliestDelivery } from './webhook-wake.ts';

export interface PlanRead {
  evaluation: PlanEvaluation;
  changed: number;
}

export async function readPlanAndExpire(sql: Sql, clock: Clock, accountCap: number, counters: WorkerCounters, logger: Logger): Promise<PlanRead> {
  const snapshot = await readPlanSnapshot(sql);
  counters.planReads++;
  const now = clock.now();
  // A separate input, read beside the plan: the earliest pending webhook delivery (webhook-wake.ts).
  const evaluation = withEarliestDelivery(evaluatePlan(snapshot, now, accountCap), await readEarliestPendingDelivery(sql));
  for (const s of evaluation.skipped) logger.warn({ campaignId: s.campaignId, error: s.error }, 'campaign left out of the plan');
  let changed = 0;
  if (evaluation.deadlinePassed) {
    const n = await expireOverdueCalls(sql, now);
    counters.deadlinesExpired += n;
    if (n > 0) logger.info({ calls: n }, 'calls past their result deadline: unknown, retry policy applied');
    changed += n;
  }
  for (const id of evaluation.endedCampaignIds) {
    const n = await expireEndedCampaign(sql, id, now);
    counters.contactsExpired += n;
    if (n > 0) logger.info({ campaignId: id, contacts: n }, 'campaign ended for good: queued contacts expired');
    changed += n;
  }
  return { evaluation, changed };
}
