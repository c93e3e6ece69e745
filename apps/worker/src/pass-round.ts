// One round of a dispatching pass (DESIGN.md §3): fold in the hints taken, read
// the plan again when it may be stale (expiring what it says is over), then
// claim and dial what is due or what a hint named. The Worker runs rounds until
// one makes no progress and no hint has arrived since its last plan read began.
//
// Invariants: a plan read records the hint seq it reflects (`readSeq`), which is
// what lets the Worker refuse to rest on a stale plan (no lost wake-ups); a
// webhook deliveries due are sent after the dials (webhook-wake.ts); a
// campaign whose claim came back empty for a reason the plan cannot show is
// skipped for the rest of the pass (no spinning) until a hint names it again.
import type { Sql, WebhookSender } from '@wakeplan/db';
import type { Clock, Logger } from '@wakeplan/runtime';
import type { WorkerCounters } from './counters.ts';
import type { Dialer } from './dialers/dialer.ts';
import type { Dispatcher } from './dispatch.ts';
import type { TakenHints } from './hints.ts';
import { isOpenInPlan, type PlanEvaluation } from './plan-evaluation.ts';
import { readPlanAndExpire } from './plan-reader.ts';
import { listUnconfirmedClaims } from './sql/dial-results.ts';
import { deliverWhileAwake } from './webhook-wake.ts';

/** What the worker knows of the plan between passes. */
export interface KnownPlan {
  evaluation: PlanEvaluation | null;
  /** The hint seq the last plan read reflects. */
  readSeq: number;
}

/** What one pass carries from round to round. */
export interface PassProgress {
  progress: boolean;
  needRead: boolean;
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
  return { progress: false, needRead: false, dialed: 0, skip: new Set(), skipDirect: false };
}

export async function runRound(sql: Sql, work: TakenHints, plan: KnownPlan, p: PassProgress, d: RoundDeps): Promise<void> {
  if (work.fullResync) {
    d.counters.resyncs++;
    plan.evaluation = null;
    p.skip.clear();
  }
  for (const id of work.campaigns) p.skip.delete(id);
  if (work.direct) p.skipDirect = false;
  if (work.resendUnconfirmed && d.dialer.resend === 'deduplicates') {
    await d.dispatcher.resend(sql, await listUnconfirmedClaims(sql, d.callbackUrl));
  }
  const read = p.progress || p.needRead || work.readPlan || work.fullResync || plan.evaluation === null;
  p.progress = false;
  p.needRead = false;
  let campaigns = openTargets(plan.evaluation, work.campaigns, d.clock.now());
  let direct = work.direct;
  if (read) {
    plan.readSeq = work.seq;
    const { evaluation, changed } = await readPlanAndExpire(sql, d.clock, d.accountCap, d.counters, d.logger);
    plan.evaluation = evaluation;
    p.progress = changed > 0;
    campaigns = [...new Set([...evaluation.dueCampaignIds.filter((id) => !p.skip.has(id)), ...campaigns])];
    direct ||= evaluation.directDue && !p.skipDirect;
  }
  if (campaigns.length > 0 || direct) {
    const result = await d.dispatcher.dispatch(sql, campaigns, direct, d.stopping);
    p.dialed += result.claimed;
    p.progress ||= result.claimed > 0 || result.rejected > 0;
    for (const id of result.emptyCampaignIds) p.skip.add(id);
    if (direct && result.directEmpty) p.skipDirect = true;
  }
  // Webhooks go out while the worker is awake anyway, after the dials; sending changes the
  // earliest pending delivery, so a pass that sent reads the plan again before resting.
  if (read && plan.evaluation?.webhookDeliveryDue && !d.stopping()) {
    const sent = await deliverWhileAwake(sql, () => d.clock.now(), d.webhookSender, d.counters, d.logger);
    p.progress ||= sent > 0;
  }
}

/** Campaigns named by hints, minus those the last plan knows to be outside their window. */
function openTargets(ev: PlanEvaluation | null, ids: Set<string>, now: Date): string[] {
  if (!ev) return [...ids];
  return [...ids].filter((id) => !ev.windows.has(id) || ev.dueCampaignIds.includes(id) || isOpenInPlan(ev, id, now));
}
