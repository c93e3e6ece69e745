// Claiming work to dial (DESIGN.md §6): per campaign, ONE short transaction,
// committed before any dial request is sent.
//
//   campaign row FOR UPDATE → account_semaphore row FOR UPDATE → count calls in
//   flight (campaign and account) → pacing from last_dial_at → queued calls due
//   at `at`, FOR UPDATE SKIP LOCKED, up to what caps and pacing allow → each to
//   `dialing`, attempt + 1, result deadline → one call_attempts row per
//   (call, attempt), with its dial record (dial_sent_at, sends = 1,
//   next_send_at) → one dial_sends row per request with what was in force
//   (campaign status, window, recipient hours and zone) → last_dial_at.
//
// Invariants: the two row locks serialise every claim that could break a cap,
// so caps hold across any number of workers (SKIP LOCKED alone would not); the
// primary key of call_attempts makes a second claim of the same attempt fail
// the whole transaction; a claim re-checks everything itself (status, window,
// recipient hours, caps, pacing, the do-not-call list), so a stale plan or a hint can never make it
// dial what it must not; `at` comes from the caller's clock (no now()).
// This transaction IS the dial rule's check for a fresh claim (DESIGN.md §6):
// the caller sends the requests right after commit, without waiting for room
// (it claims no more than it has room to send), so `dial_sent_at` = `at`.
// A refusal says when to look again (`notBefore`: the next pacing slot, the
// window's next opening), so the caller never rests on a stale plan.
import { CAMPAIGN_COLUMNS, campaignWindow, type CampaignRow, type Sql, type TransactionSql } from '@wakeplan/db';
import { grantPacingSlots, isContactCallable, isWindowOpen, nextWindowOpen, type CallingWindow, type RecipientHours } from '@wakeplan/schedule-core';
import { lockCallable } from './do-not-call.ts';

export interface ClaimedCall {
  callId: string;
  attempt: number;
  campaignId: string | null;
  phone: string;
  agentId: string;
  variables: Record<string, unknown>;
  resultDeadline: Date;
}

export interface ClaimOptions {
  at: Date;
  workerId: string;
  /** MAX_CONCURRENT_CALLS: calls in flight account-wide. */
  accountCap: number;
  resultTimeoutMinutes: number;
  /** Upper bound of one claim, whatever the caps allow (the dialer's free room). */
  maxBatch?: number;
  /** When an unconfirmed request may first be sent again (ms after the claim); null: never. */
  resendAfterMs?: number | null;
}

type ClaimBlock = 'not_active' | 'window_closed' | 'campaign_cap' | 'account_cap' | 'pacing' | 'nothing_due';

export interface ClaimResult {
  claimed: ClaimedCall[];
  /** Why fewer than wanted (or none) were claimed; null when nothing held the claim back. */
  blockedBy: ClaimBlock | null;
  /** With pacing: when the next slot is free. */
  pacingReadyAt: Date | null;
  /** Refused for pacing or a closed window: nothing of this campaign is claimable before this instant. */
  notBefore: Date | null;
}

/** What was in force when the requests left (recorded in dial_sends for the audit). */
export interface InForce {
  campaignStatus: string | null;
  window: CallingWindow | null;
  recipientHours: RecipientHours | null;
  campaignZone: string | null;
}

const DEFAULT_MAX_BATCH = 200;

export async function claimCampaignCalls(sql: Sql, campaignId: string, o: ClaimOptions): Promise<ClaimResult> {
  return sql.begin(async (tx) => {
    const [c] = await tx<CampaignRow[]>`select ${tx.unsafe(CAMPAIGN_COLUMNS)} from campaigns where id = ${campaignId} for update`;
    if (!c || c.status !== 'active') return blocked('not_active');
    const window = campaignWindow(c);
    if (!safeIsOpen(() => isWindowOpen(window, o.at))) return { ...blocked('window_closed'), notBefore: safeNextOpen(window, o.at) };
    const room = await lockAndCountRoom(tx, o.accountCap, campaignId);
    const campaignRoom = c.max_concurrent_calls - room.campaignInFlight;
    const wanted = Math.min(campaignRoom, room.accountRoom, o.maxBatch ?? DEFAULT_MAX_BATCH);
    if (wanted <= 0) return blocked(campaignRoom <= 0 ? 'campaign_cap' : 'account_cap');
    const pacing = grantPacingSlots(c.calls_per_minute, c.last_dial_at, o.at, wanted);
    const pacingReadyAt = c.calls_per_minute === null ? null : pacing.readyAt;
    if (pacing.count === 0) return { claimed: [], blockedBy: 'pacing', pacingReadyAt, notBefore: pacingReadyAt };
    let zones: string[] | null = null;
    if (c.recipient_calling_hours) {
      zones = await callableZones(tx, campaignId, c.timezone, o.at, (zone) =>
        safeIsOpen(() => isContactCallable(window, c.recipient_calling_hours, zone, o.at)));
      if (zones.length === 0) return blocked('nothing_due');
    }
    // the do-not-call list: listed numbers among the locked calls end cancelled and are replaced
    const ids = await lockCallable(tx, campaignId, o.at, pacing.count, (n) => lockDueCampaignCalls(tx, campaignId, c.timezone, zones, o.at, n));
    if (ids.length === 0) return blocked('nothing_due');
    const inForce = { campaignStatus: c.status, window, recipientHours: c.recipient_calling_hours, campaignZone: c.timezone };
    const claimed = await markDialing(tx, ids, c.agent_id, o, inForce);
    const lastDialAt = c.calls_per_minute === null ? o.at : grantPacingSlots(c.calls_per_minute, c.last_dial_at, o.at, claimed.length).lastSlotAt;
    await tx`update campaigns set last_dial_at = ${lastDialAt} where id = ${campaignId}`;
    const limitedBy: ClaimBlock | null = claimed.length < wanted
      ? (pacing.count < wanted ? 'pacing' : 'nothing_due')
      : campaignRoom <= room.accountRoom ? 'campaign_cap' : 'account_cap';
    return { claimed, blockedBy: limitedBy, pacingReadyAt, notBefore: null };
  });
}

/** Direct calls (no campaign): no window, no pacing, only the account-wide cap. */
export async function claimDirectCalls(sql: Sql, o: ClaimOptions): Promise<ClaimResult> {
  return sql.begin(async (tx) => {
    const room = await lockAndCountRoom(tx, o.accountCap, null);
    const wanted = Math.min(room.accountRoom, o.maxBatch ?? DEFAULT_MAX_BATCH);
    if (wanted <= 0) return blocked('account_cap');
    const ids = await lockCallable(tx, null, o.at, wanted, async (n) => (await tx<{ id: string }[]>`
      select id from calls
      where campaign_id is null and status = 'queued' and coalesce(next_attempt_at, '-infinity') <= ${o.at}
      order by next_attempt_at nulls first, created_at, phone
      limit ${n} for update skip locked`).map((r) => r.id));
    if (ids.length === 0) return blocked('nothing_due');
    const noCampaign = { campaignStatus: null, window: null, recipientHours: null, campaignZone: null };
    const claimed = await markDialing(tx, ids, null, o, noCampaign);
    return { claimed, blockedBy: claimed.length < wanted ? 'nothing_due' : 'account_cap', pacingReadyAt: null, notBefore: null };
  });
}

function blocked(blockedBy: ClaimBlock): ClaimResult {
  return { claimed: [], blockedBy, pacingReadyAt: null, notBefore: null };
}

function safeNextOpen(window: CallingWindow, at: Date): Date | null {
  try {
    return nextWindowOpen(window, at);
  } catch {
    return null;
  }
}

function safeIsOpen(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false; // an invalid window or zone never dials; the planner reports it
  }
}

async function lockAndCountRoom(tx: TransactionSql, accountCap: number, campaignId: string | null) {
  await tx`select id from account_semaphore where id = 1 for update`;
  const [counts] = await tx<{ campaign: number; account: number }[]>`
    select count(*) filter (where campaign_id = ${campaignId})::int as campaign, count(*)::int as account
    from calls where status in ('dialing', 'in_progress')`;
  return { campaignInFlight: counts?.campaign ?? 0, accountRoom: accountCap - (counts?.account ?? 0) };
}

async function callableZones(tx: TransactionSql, campaignId: string, campaignZone: string, at: Date, callable: (zone: string) => boolean) {
  const rows = await tx<{ zone: string }[]>`
    select distinct coalesce(timezone, ${campaignZone}) as zone from calls
    where campaign_id = ${campaignId} and status = 'queued' and coalesce(next_attempt_at, '-infinity') <= ${at}`;
  return rows.map((r) => r.zone).filter(callable);
}

async function lockDueCampaignCalls(tx: TransactionSql, campaignId: string, campaignZone: string, zones: string[] | null, at: Date, limit: number) {
  const inZones = zones === null ? tx`` : tx`and coalesce(timezone, ${campaignZone}) in ${tx(zones)}`;
  const rows = await tx<{ id: string }[]>`
    select id from calls
    where campaign_id = ${campaignId} and status = 'queued' and coalesce(next_attempt_at, '-infinity') <= ${at} ${inZones}
    order by next_attempt_at nulls first, created_at, phone
    limit ${limit} for update skip locked`;
  return rows.map((r) => r.id);
}

async function markDialing(tx: TransactionSql, ids: string[], campaignAgentId: string | null, o: ClaimOptions, inForce: InForce): Promise<ClaimedCall[]> {
  const deadline = new Date(o.at.getTime() + o.resultTimeoutMinutes * 60_000);
  const rows = await tx<{ id: string; attempt: number; campaign_id: string | null; phone: string; agent_id: string | null; timezone: string | null; variables: Record<string, unknown> }[]>`
    update calls set status = 'dialing', attempt = attempt + 1, result_deadline = ${deadline},
                     next_attempt_at = null, updated_at = ${o.at}
    where id in ${tx(ids)} and status = 'queued'
    returning id, attempt, campaign_id, phone, agent_id, timezone, variables`;
  if (rows.length === 0) return [];
  const nextSendAt = o.resendAfterMs == null ? null : new Date(o.at.getTime() + o.resendAfterMs);
  const attempts = rows.map((r) => ({
    call_id: r.id, attempt: r.attempt, status: 'dialing', worker_id: o.workerId, claimed_at: o.at,
    dial_sent_at: o.at, sends: 1, next_send_at: nextSendAt,
  }));
  await tx`insert into call_attempts ${tx(attempts)}`;
  await tx`insert into dial_sends ${tx(rows.map((r) => dialSendRow(tx, r, 1, o.at, o.workerId, inForce)))}`;
  return rows.map((r) => ({
    callId: r.id,
    attempt: r.attempt,
    campaignId: r.campaign_id,
    phone: r.phone,
    agentId: r.agent_id ?? campaignAgentId ?? '',
    variables: r.variables,
    resultDeadline: deadline,
  }));
}

/** One dial_sends row: the request that left at `at`, and what was in force then. */
export function dialSendRow(
  tx: TransactionSql,
  call: { id: string; attempt: number; campaign_id: string | null; timezone: string | null },
  sendNo: number, at: Date, workerId: string, inForce: InForce,
) {
  return {
    call_id: call.id, attempt: call.attempt, send_no: sendNo, sent_at: at, worker_id: workerId, campaign_id: call.campaign_id,
    campaign_status: inForce.campaignStatus,
    window_in_force: inForce.window === null ? null : tx.json(inForce.window as never),
    recipient_hours: inForce.recipientHours === null ? null : tx.json(inForce.recipientHours as never),
    recipient_zone: call.campaign_id === null ? null : call.timezone ?? inForce.campaignZone,
  };
}
