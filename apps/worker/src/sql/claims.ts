// Claiming work to dial (DESIGN.md §6): per campaign, ONE short transaction,
// committed before any dial request is sent — four statements when nothing
// stands in the way (five with recipient hours):
//
//   begin → campaign row FOR UPDATE, then the account_semaphore row FOR UPDATE
//   (one statement; `for update of campaigns, s` takes them in that order) →
//   status, window and pacing checked here, from the row → [recipient hours:
//   calls in flight and the zones of the due calls; the callable zones picked
//   here] → the claim statement (claim-batch.ts): calls in flight (campaign and
//   account), queued calls due at `at` FOR UPDATE SKIP LOCKED up to what caps and
//   pacing allow, listed numbers cancelled (dnc), the others `dialing` (attempt +
//   1, result deadline), one call_attempts row per (call, attempt) with its dial
//   record (dial_sent_at, sends = 1, next_send_at), one dial_sends row per request
//   with what was in force (campaign status, window, recipient hours and zone),
//   last_dial_at and the plan change mark → commit. Listed numbers among the
//   locked calls: the claim statement runs again for their places (do-not-call.ts).
//
// Invariants: the two row locks serialise every claim that could break a cap,
// so caps hold across any number of workers (SKIP LOCKED alone would not); the
// calls in flight are counted by a LATER statement than the one that waits for
// the locks (a statement's snapshot predates its wait), so they include every
// claim committed before; the primary key of call_attempts makes a second claim
// of the same attempt fail the whole transaction; a claim re-checks everything
// itself (status, window, recipient hours, caps, pacing, the do-not-call list),
// so a stale plan or a hint can never make it dial what it must not; `at` comes
// from the caller's clock (no now()).
// This transaction IS the dial rule's check for a fresh claim (DESIGN.md §6):
// the caller sends the requests right after commit, without waiting for room
// (it claims no more than it has room to send), so `dial_sent_at` = `at`.
// A refusal says when to look again (`notBefore`: the next pacing slot, the
// window's next opening), so the caller never rests on a stale plan.
import { CAMPAIGN_COLUMNS, campaignWindow, type CampaignRow, type Sql, type TransactionSql } from '@wakeplan/db';
import { grantPacingSlots, isContactCallable, isWindowOpen, nextWindowOpen, type CallingWindow, type PacingGrant } from '@wakeplan/schedule-core';
import { claimBatch, roomAndZones, type BatchCall, type BatchSpec, type Room } from './claim-batch.ts';
import { NO_CAMPAIGN, type InForce } from './dial-sends.ts';
import { claimPastListed } from './do-not-call.ts';

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

const DEFAULT_MAX_BATCH = 200;

export async function claimCampaignCalls(sql: Sql, campaignId: string, o: ClaimOptions): Promise<ClaimResult> {
  return sql.begin(async (tx) => {
    const c = await lockCampaignThenSemaphore(tx, campaignId);
    if (!c || c.status !== 'active') return blocked('not_active');
    const window = campaignWindow(c);
    if (!safeIsOpen(() => isWindowOpen(window, o.at))) return { ...blocked('window_closed'), notBefore: safeNextOpen(window, o.at) };
    const maxBatch = o.maxBatch ?? DEFAULT_MAX_BATCH;
    // What pacing allows whatever the caps; the claim statement applies the caps on top (the counts are its own).
    let max = grantPacingSlots(c.calls_per_minute, c.last_dial_at, o.at, maxBatch).count;
    const scope = { campaignId, cap: c.max_concurrent_calls, zone: c.timezone };
    let zones: string[] | null = null;
    let seen: Room | null = null;
    if (c.recipient_calling_hours) {
      const looked = await roomAndZones(tx, scope, o.accountCap, max, o.at);
      const verdict = judge(c, looked.room, maxBatch, o);
      if ('refusal' in verdict) return verdict.refusal;
      seen = looked.room;
      max = verdict.pacing.count;
      zones = looked.zones.filter((zone) => safeIsOpen(() => isContactCallable(window, c.recipient_calling_hours, zone, o.at)));
      if (zones.length === 0) return blocked('nothing_due');
    }
    const inForce = { campaignStatus: c.status, window, recipientHours: c.recipient_calling_hours, campaignZone: c.timezone };
    const batch = await claimPastListed(tx, campaignId, o.at, (done, more) => claimBatch(tx, {
      ...common(o, inForce), scope: { ...scope, zones, slots: pacingSlots(c, o.at, max, done) }, max: more ?? max,
    }));
    // A refusal here claimed nothing: the statement's limit was least(max, rooms) ≤ 0 by the same counts.
    const verdict = judge(c, seen ?? batch.room, maxBatch, o);
    if ('refusal' in verdict) return verdict.refusal;
    if (batch.claimed.length === 0) return blocked('nothing_due');
    const claimed = batch.claimed.map((r) => toClaimed(r, c.agent_id, o));
    const { wanted, pacing } = verdict;
    const limitedBy: ClaimBlock | null = claimed.length < wanted ? (pacing.count < wanted ? 'pacing' : 'nothing_due') : verdict.capReason;
    return { claimed, blockedBy: limitedBy, pacingReadyAt: verdict.pacingReadyAt, notBefore: null };
  });
}

/** Direct calls (no campaign): no window, no pacing, only the account-wide cap. */
export async function claimDirectCalls(sql: Sql, o: ClaimOptions): Promise<ClaimResult> {
  return sql.begin(async (tx) => {
    await tx`select id from account_semaphore where id = 1 for update`;
    const maxBatch = o.maxBatch ?? DEFAULT_MAX_BATCH;
    const batch = await claimPastListed(tx, null, o.at, (_done, more) => claimBatch(tx, {
      ...common(o, NO_CAMPAIGN), scope: null, max: more ?? maxBatch,
    }));
    const wanted = Math.min(o.accountCap - batch.room.accountInFlight, maxBatch);
    if (wanted <= 0) return blocked('account_cap');
    if (batch.claimed.length === 0) return blocked('nothing_due');
    const claimed = batch.claimed.map((r) => toClaimed(r, null, o));
    return { claimed, blockedBy: claimed.length < wanted ? 'nothing_due' : 'account_cap', pacingReadyAt: null, notBefore: null };
  });
}

/** The campaign row, then the semaphore row (the order every claim takes them), FOR UPDATE in one statement. */
async function lockCampaignThenSemaphore(tx: TransactionSql, campaignId: string): Promise<CampaignRow | undefined> {
  const [c] = await tx<CampaignRow[]>`
    select ${tx.unsafe(CAMPAIGN_COLUMNS)} from campaigns cross join account_semaphore as s (semaphore_id)
    where id = ${campaignId} and semaphore_id = 1
    for update of campaigns, s`;
  return c;
}

type Verdict =
  | { refusal: ClaimResult }
  | { wanted: number; pacing: PacingGrant; pacingReadyAt: Date | null; capReason: ClaimBlock };

/** Caps, then pacing, by the calls in flight the claim saw under its locks. */
function judge(c: CampaignRow, room: Room, maxBatch: number, o: ClaimOptions): Verdict {
  const campaignRoom = c.max_concurrent_calls - room.campaignInFlight;
  const accountRoom = o.accountCap - room.accountInFlight;
  const wanted = Math.min(campaignRoom, accountRoom, maxBatch);
  if (wanted <= 0) return { refusal: blocked(campaignRoom <= 0 ? 'campaign_cap' : 'account_cap') };
  const pacing = grantPacingSlots(c.calls_per_minute, c.last_dial_at, o.at, wanted);
  const pacingReadyAt = c.calls_per_minute === null ? null : pacing.readyAt;
  if (pacing.count === 0) return { refusal: { claimed: [], blockedBy: 'pacing', pacingReadyAt, notBefore: pacingReadyAt } };
  return { wanted, pacing, pacingReadyAt, capReason: campaignRoom <= accountRoom ? 'campaign_cap' : 'account_cap' };
}

/** last_dial_at after the (done + k)-th call of this claim, for k = 1…: its pacing slot; `at` for every call when not paced. */
function pacingSlots(c: CampaignRow, at: Date, count: number, done: number): Date[] {
  if (c.calls_per_minute === null) return [at];
  const cpm = c.calls_per_minute;
  return Array.from({ length: Math.max(0, count - done) }, (_, i) => grantPacingSlots(cpm, c.last_dial_at, at, done + i + 1).lastSlotAt!);
}

function common(o: ClaimOptions, inForce: InForce): Omit<BatchSpec, 'scope' | 'max'> {
  return {
    accountCap: o.accountCap, at: o.at, workerId: o.workerId, inForce,
    resultDeadline: new Date(o.at.getTime() + o.resultTimeoutMinutes * 60_000),
    nextSendAt: o.resendAfterMs == null ? null : new Date(o.at.getTime() + o.resendAfterMs),
  };
}

function toClaimed(r: BatchCall, campaignAgentId: string | null, o: ClaimOptions): ClaimedCall {
  return {
    callId: r.id,
    attempt: r.attempt,
    campaignId: r.campaign_id,
    phone: r.phone,
    agentId: r.agent_id ?? campaignAgentId ?? '',
    variables: r.variables,
    resultDeadline: new Date(o.at.getTime() + o.resultTimeoutMinutes * 60_000),
  };
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
