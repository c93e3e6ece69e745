// One round of a dispatching pass (DESIGN.md §3): fold in the hints taken,
// record what the dialer answered, read the plan again when it may be stale
// (expiring what it says is over), re-send unconfirmed claims that are due (all
// of them at start-up), then claim and dial what is due or what a hint named.
// The Worker runs rounds until one makes no progress and no hint has arrived
// since its last plan read began.
//
// Invariants: a plan read records the hint seq it reflects (`readSeq`), which is
// what lets the Worker refuse to rest on a stale plan (no lost wake-ups); a
// webhook deliveries due are sent after the dials (webhook-wake.ts); a
// campaign whose claim came back empty for a reason the plan cannot show is
// skipped for the rest of the pass (no spinning) until a hint names it again;
// a claim refused for pacing or a closed window leaves "campaign X not before
// T" in plan.refusals (refusal-wakes.ts), which the worker's rest honours; a
// round woken only by dial answers that changed nothing reads no plan (the
// answers cannot have made anything due) unless they freed dialing room.
import type { Sql, WebhookSender } from '@wakeplan/db';
import type { Clock, Logger } from '@wakeplan/runtime';
import type { WorkerCounters } from './counters.ts';
import type { Dispatcher } from './dispatch.ts';
import type { TakenHints } from './hints.ts';
import { isOpenInPlan, type PlanEvaluation } from './plan-evaluation.ts';
import { readPlanAndExpire } from './plan-reader.ts';
import { RefusalWakes } from './refusal-wakes.ts';
import { deliverWhileAwake } from './webhook-wake.ts';

/** What the worker knows of the plan between passes. */
export interface KnownPlan {
  evaluation: PlanEvaluation | null;
  /** The hint seq the last plan read reflects. */
  readSeq: number;
  /** Claims refused for pacing or a closed window: campaign X not before T. */
  refusals: RefusalWakes;
}

export function newKnownPlan(): KnownPlan {
  return { evaluation: null, readSeq: -1, refusals: new RefusalWakes() };
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
  dispatcher: Dispatcher;
  counters: WorkerCounters;
  logger: Logger;
  accountCap: number;
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
    plan.refusals.clear();
    p.skip.clear();
  }
  for (const id of work.campaigns) p.skip.delete(id);
  if (work.direct) p.skipDirect = false;
  const answersChanged = await d.dispatcher.recordAnswers(sql);
  const roomFreed = d.dispatcher.roomFreed;
  if (work.answersOnly && answersChanged === 0 && !roomFreed && !p.progress && plan.evaluation !== null) {
    p.needRead = false; // stale only by answers, which it has just recorded
    plan.readSeq = Math.max(plan.readSeq, work.seq); // confirmations change no plan: nothing new to read
    return;
  }
  const read = answersChanged > 0 || roomFreed || p.progress || p.needRead || work.readPlan || work.fullResync || plan.evaluation === null;
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
  if (work.resendUnconfirmed || (read && plan.evaluation!.resendDue)) {
    p.progress ||= (await d.dispatcher.resendDue(sql, work.resendUnconfirmed)) > 0;
  }
  if (campaigns.length > 0 || direct) {
    const result = await d.dispatcher.dispatch(sql, campaigns, direct, d.stopping);
    p.dialed += result.claimed;
    p.progress ||= result.claimed > 0;
    for (const id of result.emptyCampaignIds) p.skip.add(id);
    for (const id of result.claimedCampaignIds) plan.refusals.forget(id);
    for (const r of result.notBefore) plan.refusals.note(r.campaignId, r.at);
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
