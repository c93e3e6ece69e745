// The outcome logic (DESIGN.md §6), shared by `POST /api/provider/events`, the
// worker (dial rejections, result deadlines) and `wakeplan simulate`.
//
// Invariants:
//   * keyed by (call_id, attempt): every change is conditional on the call still
//     being on that attempt in the expected state, so duplicates and
//     out-of-order events change nothing and say so (`duplicate` / `stale`);
//   * lock order is campaign row → call row → attempt row, the same order as
//     the claim, so outcomes and claims never deadlock; holding the campaign
//     row is what lets ONE conditional update complete a campaign safely when
//     two last calls end at once;
//   * every event is recorded in provider_events, applied or not;
//   * lifecycle is total: in a cancelled campaign an ended attempt never
//     schedules a retry — what would have been one ends the contact as
//     `cancelled` (a completed call stays completed, a final failure failed);
//     in a paused campaign outcomes are recorded and retries queued as usual
//     (due after resume), and the campaign is not completed while paused:
//     resume completes it (apps/api campaigns/lifecycle.ts says why);
//   * a `refused` attempt (the provider did not start the call) is not a call:
//     the contact is queued again with a backoff whatever retry_on says, and
//     refused attempts do not count toward max_attempts; the attempt rows are
//     the record of it (no counter of its own), so the count is read under the
//     call row lock (schedule-core refusal-policy.ts has the numbers);
//   * NOTIFY call_finished is sent inside the transaction (delivered on commit),
//     and so are the webhook events (outbox.ts) the change produces.
import { buildNotification, isProgressStatus, type ProviderEvent, type WebhookEventType } from '@wakeplan/contract';
import { decideAfterAttempt, decideAfterRefusal, type NextCallState, type RetryPolicy } from '@wakeplan/schedule-core';
import type { Queryable, Sql, TransactionSql } from './client.ts';
import { notifySchedulerChanged } from './notify.ts';
import { enqueueCallEvents, enqueueCampaignEvent } from './outbox.ts';
import {
  CAMPAIGN_COLUMNS, campaignWindow, FINAL_OUTCOMES, type AttemptOutcome, type CampaignRow, type CampaignStatus,
} from './rows.ts';

export type ApplyEventResult =
  | { result: 'applied'; callStatus: string; campaignId: string | null }
  | { result: 'duplicate'; campaignId: string | null }
  | { result: 'stale'; reason: string; campaignId: string | null }
  | { result: 'unknown_call'; campaignId: null };

export interface OutcomeOptions {
  /** CALL_RESULT_TIMEOUT_MINUTES: how far every progress event pushes the result deadline. */
  resultTimeoutMinutes: number;
}

export interface LockedCall {
  id: string;
  campaign_id: string | null;
  status: string;
  attempt: number;
  last_outcome: string | null;
}

export interface LockedForOutcome {
  call: LockedCall;
  policy: RetryPolicy | null;
  /** The campaign's status under its row lock; null for a direct call. */
  campaignStatus: CampaignStatus | null;
}

/** Where a call goes after an attempt: the retry policy's decision, or `cancelled` instead of a retry in a cancelled campaign. */
export type SettledCallState = NextCallState | { status: 'cancelled'; nextAttemptAt: null };

/** Applies one provider event in its own transaction (what `simulate` calls). */
export async function applyProviderEvent(sql: Sql, event: ProviderEvent, at: Date, o: OutcomeOptions): Promise<ApplyEventResult> {
  return sql.begin((tx) => applyProviderEventInTransaction(tx, event, at, o));
}

/** The same, inside the caller's transaction (the API's plan writer, which rings the doorbell after commit). */
export async function applyProviderEventInTransaction(tx: TransactionSql, event: ProviderEvent, at: Date, o: OutcomeOptions): Promise<ApplyEventResult> {
  const locked = await lockCallForOutcome(tx, event.call_id);
  const result = locked ? await applyLocked(tx, locked, event, at, o) : { result: 'unknown_call' as const, campaignId: null };
  await tx`
    insert into provider_events (call_id, attempt, status, provider_call_id, duration_seconds, occurred_at, received_at, applied)
    values (${event.call_id}, ${event.attempt}, ${event.status}, ${event.provider_call_id ?? null},
            ${event.duration_seconds ?? null}, ${new Date(event.occurred_at)}, ${at}, ${result.result === 'applied'})`;
  return result;
}

async function applyLocked(tx: TransactionSql, locked: LockedForOutcome, event: ProviderEvent, at: Date, o: OutcomeOptions): Promise<ApplyEventResult> {
  const { call } = locked;
  const campaignId = call.campaign_id;
  const [attemptRow] = await tx<{ status: string }[]>`
    select status from call_attempts where call_id = ${call.id} and attempt = ${event.attempt} for update`;
  if (!attemptRow) return { result: 'stale', reason: `attempt ${event.attempt} was never claimed`, campaignId };
  if ((FINAL_OUTCOMES as readonly string[]).includes(attemptRow.status)) {
    return attemptRow.status === event.status
      ? { result: 'duplicate', campaignId }
      : { result: 'stale', reason: `attempt ${event.attempt} already ended as ${attemptRow.status}`, campaignId };
  }
  const onThisAttempt = call.attempt === event.attempt;
  if (isProgressStatus(event.status)) {
    if (!onThisAttempt || !['dialing', 'in_progress'].includes(call.status)) {
      return { result: 'stale', reason: `call is ${call.status} on attempt ${call.attempt}`, campaignId };
    }
    await recordProgress(tx, call.id, event, at, o);
    return { result: 'applied', callStatus: 'in_progress', campaignId };
  }
  const outcomeAt = new Date(Math.min(Date.parse(event.occurred_at), at.getTime()));
  await tx`
    update call_attempts set status = ${event.status}, ended_at = ${outcomeAt}, last_event_at = ${at},
           duration_seconds = ${event.duration_seconds ?? null},
           provider_call_id = coalesce(${event.provider_call_id ?? null}, provider_call_id)
    where call_id = ${call.id} and attempt = ${event.attempt}`;
  // A late outcome for an attempt already given up as `unknown` corrects it: the
  // call is settled again on the real outcome (completed stops a needless retry).
  const correctsUnknown = call.last_outcome === 'unknown' && ['queued', 'failed'].includes(call.status);
  if (!onThisAttempt || !(['dialing', 'in_progress'].includes(call.status) || correctsUnknown)) {
    return { result: 'stale', reason: `call is ${call.status} on attempt ${call.attempt}`, campaignId };
  }
  const next = await settleCall(tx, locked, event.status, outcomeAt, at, event.provider_call_id ?? null);
  return { result: 'applied', callStatus: next.status, campaignId };
}

async function recordProgress(tx: TransactionSql, callId: string, event: ProviderEvent, at: Date, o: OutcomeOptions) {
  const deadline = new Date(at.getTime() + o.resultTimeoutMinutes * 60_000);
  const providerCallId = event.provider_call_id ?? null;
  await tx`
    update calls set status = 'in_progress', result_deadline = greatest(result_deadline, ${deadline}),
           provider_call_id = coalesce(${providerCallId}, provider_call_id), updated_at = ${at}
    where id = ${callId} and attempt = ${event.attempt} and status in ('dialing', 'in_progress')`;
  await tx`
    update call_attempts set status = 'in_progress', last_event_at = ${at}, confirmed_at = coalesce(confirmed_at, ${at}),
           provider_call_id = coalesce(${providerCallId}, provider_call_id)
    where call_id = ${callId} and attempt = ${event.attempt}`;
}

/** Locks campaign row (if any), then the call row. Null when the call does not exist. */
export async function lockCallForOutcome(tx: TransactionSql, callId: string): Promise<LockedForOutcome | null> {
  const [ref] = await tx<{ campaign_id: string | null }[]>`select campaign_id from calls where id = ${callId}`;
  if (!ref) return null;
  const campaign = ref.campaign_id ? await lockCampaignPolicy(tx, ref.campaign_id) : null;
  const [call] = await tx<LockedCall[]>`
    select id, campaign_id, status, attempt, last_outcome from calls where id = ${callId} for update`;
  return call ? { call, policy: campaign?.policy ?? null, campaignStatus: campaign?.status ?? null } : null;
}

async function lockCampaignPolicy(tx: TransactionSql, campaignId: string): Promise<{ policy: RetryPolicy; status: CampaignStatus } | null> {
  const [row] = await tx<CampaignRow[]>`select ${tx.unsafe(CAMPAIGN_COLUMNS)} from campaigns where id = ${campaignId} for update`;
  if (!row) return null;
  const policy = { maxAttempts: row.max_attempts, retryDelayMinutes: row.retry_delay_minutes, retryOn: row.retry_on, window: campaignWindow(row) };
  return { policy, status: row.status };
}

/** Refused attempts of a call before its current one: in all, and in a row just before it. */
interface RefusalCounts {
  before: number;
  consecutiveBefore: number;
}

const NO_REFUSALS: RefusalCounts = Object.freeze({ before: 0, consecutiveBefore: 0 });

/** Counted from the attempt rows below `attempt` (the caller holds the call row lock). */
async function refusalCounts(tx: TransactionSql, callId: string, attempt: number): Promise<RefusalCounts> {
  const [row] = await tx<{ before: number; consecutive_before: number }[]>`
    select count(*) filter (where status = 'refused')::int as before,
           count(*) filter (where status = 'refused' and attempt > coalesce(
             (select max(attempt) from call_attempts where call_id = ${callId} and attempt < ${attempt} and status <> 'refused'), 0))::int
             as consecutive_before
    from call_attempts where call_id = ${callId} and attempt < ${attempt}`;
  return row ? { before: row.before, consecutiveBefore: row.consecutive_before } : NO_REFUSALS;
}

/**
 * The retry policy's decision (or the refusal policy's, for `refused`; refused
 * attempts do not count toward max_attempts), except that a cancelled campaign schedules no
 * retry: the contact is cancelled instead (pure).
 */
export function decideSettlement(
  policy: RetryPolicy | null, campaignStatus: CampaignStatus | null, attempt: number, outcome: AttemptOutcome, outcomeAt: Date,
  refusals: RefusalCounts = NO_REFUSALS,
): SettledCallState {
  const next = outcome === 'refused'
    ? decideAfterRefusal(policy, refusals.consecutiveBefore + 1, outcomeAt)
    : decideAfterAttempt(policy, attempt - refusals.before, outcome, outcomeAt);
  return campaignStatus === 'cancelled' && next.status === 'queued' ? { status: 'cancelled', nextAttemptAt: null } : next;
}

/**
 * Ends the call's current attempt with `outcome` and applies the retry policy;
 * the caller holds the locks (lockCallForOutcome) and has checked the attempt.
 * Sends call_finished and completes the campaign when nothing is left.
 */
export async function settleCall(
  tx: TransactionSql, locked: LockedForOutcome, outcome: AttemptOutcome, outcomeAt: Date, at: Date, providerCallId: string | null = null,
): Promise<SettledCallState> {
  const { call, policy, campaignStatus } = locked;
  const refusals = await refusalCounts(tx, call.id, call.attempt);
  const next = decideSettlement(policy, campaignStatus, call.attempt, outcome, outcomeAt, refusals);
  await tx`
    update calls set status = ${next.status}, next_attempt_at = ${next.nextAttemptAt}, result_deadline = null,
           last_outcome = ${outcome}, provider_call_id = coalesce(${providerCallId}, provider_call_id), updated_at = ${at}
    where id = ${call.id} and attempt = ${call.attempt}`;
  await notifySchedulerChanged(tx, buildNotification('call_finished', at, { campaignId: call.campaign_id, callId: call.id }));
  await enqueueCallEvents(tx, callEventTypes(next.status), call.id, call.attempt, at);
  if (call.campaign_id && next.status !== 'queued') await completeCampaignIfDone(tx, call.campaign_id, at);
  if (call.campaign_id && next.status === 'queued') await reactivateCampaign(tx, call.campaign_id, at);
  return next;
}

/**
 * A completed campaign that has pending work again — a corrected outcome queued a
 * contact, or contacts were appended — is active again. Conditional: only a
 * completed campaign changes.
 */
export async function reactivateCampaign(tx: Queryable, campaignId: string, at: Date): Promise<void> {
  await tx`update campaigns set status = 'active', completed_at = null, updated_at = ${at} where id = ${campaignId} and status = 'completed'`;
}

/**
 * One conditional update; the caller must hold the campaign row lock. True when
 * it completed now. Only an active campaign completes: a paused one waits for
 * resume, a cancelled one stays cancelled.
 */
export async function completeCampaignIfDone(tx: TransactionSql, campaignId: string, at: Date): Promise<boolean> {
  const rows = await tx`
    update campaigns set status = 'completed', completed_at = ${at}, updated_at = ${at}
    where id = ${campaignId} and status = 'active'
      and not exists (select 1 from calls where campaign_id = ${campaignId}
                      and status in ('queued', 'dialing', 'in_progress', 'unknown'))
    returning id`;
  if (rows.length > 0) await enqueueCampaignEvent(tx, 'campaign.completed', campaignId, at);
  return rows.length > 0;
}

/** The webhook events an ended attempt produces: always call.attempt_ended, then the call's own end if it ended. */
function callEventTypes(status: SettledCallState['status']): WebhookEventType[] {
  if (status === 'completed') return ['call.attempt_ended', 'call.completed'];
  if (status === 'failed') return ['call.attempt_ended', 'call.failed'];
  return ['call.attempt_ended'];
}
