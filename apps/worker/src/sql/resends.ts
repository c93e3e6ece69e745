// Sending an unconfirmed claim again (DESIGN.md §6, the dial rule), in the
// database: which attempts are due for a re-send, the rule checked under the
// locks an outcome takes, and the send recorded in the same transaction.
//
//   due         calls in `dialing` whose current attempt nobody confirmed, with
//               next_send_at ≤ at (or every one of them, at start-up: whoever
//               claimed them is gone or will see its send deduplicated);
//   re-check    campaign row FOR UPDATE → call row FOR UPDATE → attempt row FOR
//               UPDATE, then the rule at `at`: campaign active, window and the
//               recipient's hours open, still the call's current attempt, still
//               unconfirmed, deadline not passed — and the number not on the
//               do-not-call list (listed since the claim: the contact ends
//               `cancelled` with last_outcome `dnc`, as a claim would leave it);
//   holds       sends + 1, next_send_at pushed past the send (so no other worker
//               re-sends it meanwhile), one dial_sends row → the caller sends;
//   fails       not sent: the attempt ends `unknown`; the contact is `cancelled`
//               in a cancelled campaign, else the retry policy decides — with
//               the outcome dated at the attempt's result deadline, so a retry
//               can never overlap an attempt that may still be live.
//
// Invariants: the lock order is the outcome logic's (campaign → call → attempt),
// so re-checks, outcomes and claims never deadlock; every change is conditional
// on the attempt still being the one checked; `at` is the caller's clock.
import { idempotencyKeyOf, buildNotification, type DialRequest } from '@wakeplan/contract';
import {
  CAMPAIGN_COLUMNS, campaignWindow, completeCampaignIfDone, notifySchedulerChanged, settleCall, type CampaignRow, type LockedCall, type Sql, type TransactionSql,
} from '@wakeplan/db';
import { isContactCallable, isWindowOpen } from '@wakeplan/schedule-core';
import { dialSendRow } from './dial-sends.ts';

/** Waits between re-sends of one attempt, by sends so far (1 → 5 s, 2 → 15 s, 3 → 45 s, then every minute). */
const RESEND_BACKOFF_MS = [5_000, 15_000, 45_000, 60_000] as const;

export function resendDelayMs(sends: number): number {
  return RESEND_BACKOFF_MS[Math.min(Math.max(sends, 1), RESEND_BACKOFF_MS.length) - 1]!;
}

export interface DueResend {
  request: DialRequest;
  sends: number;
}

/** Unconfirmed claims due for a re-send (or all of them with `all`), oldest first, minus those named in `exclude`. */
export async function listDueResends(
  sql: Sql, at: Date, o: { all: boolean; callbackUrl: string; exclude: ReadonlySet<string>; limit: number },
): Promise<DueResend[]> {
  const due = o.all ? sql`true` : sql`a.next_send_at <= ${at}`;
  const rows = await sql<{ id: string; attempt: number; campaign_id: string | null; phone: string; agent_id: string; variables: Record<string, unknown>; sends: number }[]>`
    select c.id, c.attempt, c.campaign_id, c.phone, coalesce(c.agent_id, k.agent_id) as agent_id, c.variables, a.sends
    from calls c
    join call_attempts a on a.call_id = c.id and a.attempt = c.attempt
    left join campaigns k on k.id = c.campaign_id
    where c.status = 'dialing' and a.confirmed_at is null and a.ended_at is null and ${due}
    order by a.next_send_at nulls first, a.claimed_at
    limit ${o.limit + o.exclude.size}`;
  return rows
    .map((r) => ({
      sends: r.sends,
      request: {
        callId: r.id, attempt: r.attempt, idempotencyKey: idempotencyKeyOf(r.id, r.attempt), to: r.phone,
        agentId: r.agent_id, campaignId: r.campaign_id, variables: r.variables, callbackUrl: o.callbackUrl,
      },
    }))
    .filter((d) => !o.exclude.has(d.request.idempotencyKey))
    .slice(0, o.limit);
}

export type ResendCheck =
  | { verdict: 'send'; sendNo: number }
  | { verdict: 'closed'; reason: string; callStatus: string }
  | { verdict: 'skip'; reason: string };

interface LockedAttempt {
  call: LockedCall & { timezone: string | null; result_deadline: Date | null };
  attempt: { sends: number; confirmed_at: Date | null; ended_at: Date | null; next_send_at: Date | null };
  campaign: CampaignRow | null;
}

/**
 * The dial rule for a re-send, checked and recorded in one transaction. `send`:
 * the caller sends the request now (`holdMs` keeps other workers off it
 * meanwhile). `closed`: the rule failed; not sent, the attempt ended. `skip`:
 * nothing to do (confirmed, ended, moved on, or another worker took this turn).
 */
export async function checkAndRecordResend(
  sql: Sql, callId: string, attempt: number, at: Date, o: { workerId: string; holdMs: number; all: boolean },
): Promise<ResendCheck> {
  return sql.begin(async (tx) => {
    const locked = await lockAttempt(tx, callId, attempt);
    if (!locked) return { verdict: 'skip', reason: 'the call or attempt is gone' };
    const { call, campaign } = locked;
    const a = locked.attempt;
    if (call.attempt !== attempt || call.status !== 'dialing') return { verdict: 'skip', reason: `call is ${call.status} on attempt ${call.attempt}` };
    if (a.confirmed_at !== null || a.ended_at !== null) return { verdict: 'skip', reason: 'attempt confirmed or ended' };
    if (!o.all && (a.next_send_at === null || a.next_send_at > at)) return { verdict: 'skip', reason: 'not due (another worker took this turn)' };
    const broken = brokenRule(locked, at);
    if (broken) return closeUnsent(tx, locked, broken, at);
    if (await isOnDoNotCallList(tx, callId)) return closeListed(tx, locked, at);
    const sendNo = a.sends + 1;
    await tx`
      update call_attempts set sends = ${sendNo}, dial_sent_at = coalesce(dial_sent_at, ${at}),
             next_send_at = ${new Date(at.getTime() + o.holdMs)}
      where call_id = ${callId} and attempt = ${attempt}`;
    const inForce = campaign
      ? { campaignStatus: campaign.status, window: campaignWindow(campaign), recipientHours: campaign.recipient_calling_hours, campaignZone: campaign.timezone }
      : { campaignStatus: null, window: null, recipientHours: null, campaignZone: null };
    await tx`insert into dial_sends ${tx(dialSendRow(tx, call, sendNo, at, o.workerId, inForce))}`;
    return { verdict: 'send', sendNo };
  });
}

/** After a send that got no confirmation: when to try again (null: never; the deadline closes it). */
export async function scheduleNextSend(sql: Sql, callId: string, attempt: number, nextAt: Date | null): Promise<void> {
  await sql`
    update call_attempts set next_send_at = ${nextAt}
    where call_id = ${callId} and attempt = ${attempt} and confirmed_at is null and ended_at is null`;
}

/** The rule (DESIGN.md §6) at `at`, for a call still on the attempt; null when it holds, else why not. */
function brokenRule({ call, campaign }: LockedAttempt, at: Date): string | null {
  if (call.result_deadline !== null && call.result_deadline <= at) return 'its result deadline has passed';
  if (call.campaign_id === null) return null; // a direct call: no window, no hours
  if (!campaign) return 'its campaign is gone';
  if (campaign.status !== 'active') return `its campaign is ${campaign.status}`;
  const window = campaignWindow(campaign);
  try {
    if (!isWindowOpen(window, at)) return 'its campaign window is closed';
    const zone = call.timezone ?? campaign.timezone;
    if (campaign.recipient_calling_hours && !isContactCallable(window, campaign.recipient_calling_hours, zone, at)) {
      return "the recipient's calling hours are closed";
    }
  } catch (error) {
    return `its window cannot be evaluated (${String(error)})`;
  }
  return null;
}

async function closeUnsent(tx: TransactionSql, locked: LockedAttempt, reason: string, at: Date): Promise<ResendCheck> {
  const { call, campaign } = locked;
  await tx`
    update call_attempts set status = 'unknown', ended_at = ${at}, next_send_at = null, error = ${`not re-sent: ${reason}`}
    where call_id = ${call.id} and attempt = ${call.attempt} and status = 'dialing'`;
  if (campaign?.status === 'cancelled') {
    await tx`
      update calls set status = 'cancelled', next_attempt_at = null, result_deadline = null, last_outcome = 'unknown', updated_at = ${at}
      where id = ${call.id} and attempt = ${call.attempt}`;
    await notifySchedulerChanged(tx, buildNotification('call_finished', at, { campaignId: call.campaign_id, callId: call.id }));
    return { verdict: 'closed', reason, callStatus: 'cancelled' };
  }
  const policy = campaign
    ? { maxAttempts: campaign.max_attempts, retryDelayMinutes: campaign.retry_delay_minutes, retryOn: campaign.retry_on, window: campaignWindow(campaign) }
    : null;
  // Dated at the deadline: the request that may have left before is given its full time before any retry.
  const outcomeAt = call.result_deadline !== null && call.result_deadline > at ? call.result_deadline : at;
  const next = await settleCall(tx, { call, policy, campaignStatus: campaign?.status ?? null }, 'unknown', outcomeAt, at);
  return { verdict: 'closed', reason, callStatus: next.status };
}

/** The call's number was listed after its claim: like a fresh claim, a re-send never dials it. */
async function isOnDoNotCallList(tx: TransactionSql, callId: string): Promise<boolean> {
  const [row] = await tx`select 1 from do_not_call d join calls c on c.phone = d.phone where c.id = ${callId}`;
  return row !== undefined;
}

/** Not re-sent: the attempt ends `unknown`, the contact `cancelled` with last_outcome `dnc` (as a claim would leave it). */
async function closeListed(tx: TransactionSql, locked: LockedAttempt, at: Date): Promise<ResendCheck> {
  const { call } = locked;
  const reason = 'its number is on the do-not-call list';
  await tx`
    update call_attempts set status = 'unknown', ended_at = ${at}, next_send_at = null, error = ${`not re-sent: ${reason}`}
    where call_id = ${call.id} and attempt = ${call.attempt} and status = 'dialing'`;
  await tx`
    update calls set status = 'cancelled', next_attempt_at = null, result_deadline = null, last_outcome = 'dnc', updated_at = ${at}
    where id = ${call.id} and attempt = ${call.attempt}`;
  if (call.campaign_id !== null) await completeCampaignIfDone(tx, call.campaign_id, at);
  await notifySchedulerChanged(tx, buildNotification('call_finished', at, { campaignId: call.campaign_id, callId: call.id }));
  return { verdict: 'closed', reason, callStatus: 'cancelled' };
}

async function lockAttempt(tx: TransactionSql, callId: string, attempt: number): Promise<LockedAttempt | null> {
  const [ref] = await tx<{ campaign_id: string | null }[]>`select campaign_id from calls where id = ${callId}`;
  if (!ref) return null;
  let campaign: CampaignRow | null = null;
  if (ref.campaign_id) {
    [campaign = null] = await tx<CampaignRow[]>`select ${tx.unsafe(CAMPAIGN_COLUMNS)} from campaigns where id = ${ref.campaign_id} for update`;
  }
  const [call] = await tx<LockedAttempt['call'][]>`
    select id, campaign_id, status, attempt, last_outcome, timezone, result_deadline from calls where id = ${callId} for update`;
  const [row] = await tx<LockedAttempt['attempt'][]>`
    select sends, confirmed_at, ended_at, next_send_at from call_attempts where call_id = ${callId} and attempt = ${attempt} for update`;
  return call && row ? { call, attempt: row, campaign } : null;
}
