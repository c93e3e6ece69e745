// The claim's working statements (DESIGN.md §6), run inside the claim
// transaction (claims.ts) AFTER its row locks are held — campaign row, then
// account_semaphore — so each takes its snapshot once every claim that held the
// locks before has committed:
//
//   claimBatch     ONE statement: calls in flight (campaign, account) → the
//                  limit (caps and the caller's bound) → queued calls due at `at`,
//                  in order, FOR UPDATE SKIP LOCKED → those on the do-not-call
//                  list `cancelled` (last_outcome `dnc`), the others `dialing`
//                  (attempt + 1, result deadline) → one call_attempts row each,
//                  with its dial record → one dial_sends row each, with what was
//                  in force → the campaign's last_dial_at (its pacing slot) and
//                  its plan change mark (plan_changed_xid, migration 009: the
//                  claim changed its plan, so readers without LISTEN catch up).
//                  Returns the counts it saw beside what it claimed.
//   roomAndZones   the counts alone, and the distinct zones of the due calls when
//                  the caps leave room (a campaign with recipient hours: which
//                  zones are callable is decided in schedule-core, then passed in).
//
// Invariants: the counts are never read in the statement that waits for a lock
// (its snapshot would predate the holder's commit and miss the calls it just
// claimed); a listed number is never moved to `dialing` (the two updates split
// the locked rows on one snapshot of do_not_call); the limit is
// least(max, cap − campaign in flight, account cap − account in flight), so a
// claim never exceeds a cap; call_attempts' primary key fails the statement,
// hence the transaction, on a second claim of an attempt; rows come back in
// claim order (due time, age, phone).
import type { TransactionSql } from '@wakeplan/db';
import type { InForce } from './dial-sends.ts';

/** Calls in flight when the claim looked, under its locks. */
export interface Room {
  campaignInFlight: number;
  accountInFlight: number;
}

export interface BatchCall {
  id: string;
  attempt: number;
  campaign_id: string | null;
  phone: string;
  agent_id: string | null;
  variables: Record<string, unknown>;
}

export interface BatchResult {
  room: Room;
  /** How many the statement was allowed to lock (caps and `max`). */
  limit: number;
  claimed: BatchCall[];
  /** Locked calls whose number is listed, now cancelled (dnc). */
  cancelled: number;
}

/** A campaign's claim; null scope: direct calls (no campaign, only the account cap). */
export interface CampaignScope {
  campaignId: string;
  /** max_concurrent_calls */
  cap: number;
  /** The zone of a contact without its own. */
  zone: string;
  /** Only contacts in these zones (recipient hours); null: any. */
  zones: string[] | null;
  /** The pacing slot of the k-th call claimed (index k − 1), or one slot for all when not paced: last_dial_at. */
  slots: Date[];
}

export interface BatchSpec {
  scope: CampaignScope | null;
  accountCap: number;
  /** At most this many, whatever the caps allow (pacing, the dialer's free room). */
  max: number;
  at: Date;
  workerId: string;
  resultDeadline: Date;
  nextSendAt: Date | null;
  inForce: InForce;
}

function inFlight(tx: TransactionSql, campaignId: string | null) {
  return tx`
    select count(*) filter (where campaign_id = ${campaignId})::int as campaign_in_flight, count(*)::int as account_in_flight
    from calls where status in ('dialing', 'in_progress')`;
}

function roomLeft(tx: TransactionSql, max: number, cap: number | null, accountCap: number) {
  return tx`greatest(0, least(${max}::int, ${cap}::int - campaign_in_flight, ${accountCap}::int - account_in_flight))`;
}

function dueCalls(tx: TransactionSql, scope: CampaignScope | null, at: Date) {
  const which = scope === null ? tx`c.campaign_id is null` : tx`c.campaign_id = ${scope.campaignId}`;
  const inZones = scope?.zones ? tx`and coalesce(c.timezone, ${scope.zone}) = any(${scope.zones}::text[])` : tx``;
  return tx`${which} and c.status = 'queued' and coalesce(c.next_attempt_at, '-infinity') <= ${at} ${inZones}`;
}

/** The counts, and — when the caps and `max` leave room — the zones of the campaign's due calls. */
export async function roomAndZones(
  tx: TransactionSql, scope: Omit<CampaignScope, 'zones' | 'slots'>, accountCap: number, max: number, at: Date,
): Promise<{ room: Room; zones: string[] }> {
  const [row] = await tx<{ campaign_in_flight: number; account_in_flight: number; zones: string[] | null }[]>`
    with room as (${inFlight(tx, scope.campaignId)})
    select campaign_in_flight, account_in_flight,
           case when ${roomLeft(tx, max, scope.cap, accountCap)} > 0 then array(
             select distinct coalesce(c.timezone, ${scope.zone}) from calls c where ${dueCalls(tx, { ...scope, zones: null, slots: [] }, at)}
           ) end as zones
    from room`;
  return { room: { campaignInFlight: row!.campaign_in_flight, accountInFlight: row!.account_in_flight }, zones: row!.zones ?? [] };
}

export async function claimBatch(tx: TransactionSql, s: BatchSpec): Promise<BatchResult> {
  const { scope, at, inForce } = s;
  const json = (x: unknown) => (x === null ? null : JSON.stringify(x));
  const marked = scope === null ? tx`` : tx`, marked as (
      update campaigns set plan_changed_xid = pg_current_xact_id(),
             last_dial_at = case when exists (select 1 from dialing)
               then (${scope.slots.map((d) => d.toISOString())}::text[]::timestamptz[])[least((select count(*) from dialing)::int, ${scope.slots.length}::int)]
               else last_dial_at end
      where id = ${scope.campaignId} and (exists (select 1 from dialing) or exists (select 1 from listed))
    )`;
  const rows = await tx<(BatchCall & { campaign_in_flight: number; account_in_flight: number; lim: number; cancelled: number; id: string | null })[]>`
    with room as (${inFlight(tx, scope?.campaignId ?? null)}),
    lim as (select ${roomLeft(tx, s.max, scope?.cap ?? null, s.accountCap)} as n from room),
    picked as (
      select c.id, c.next_attempt_at, c.created_at, c.phone from calls c
      where ${dueCalls(tx, scope, at)}
      order by c.next_attempt_at nulls first, c.created_at, c.phone
      limit (select n from lim)
      for update of c skip locked
    ),
    listed as (
      update calls c set status = 'cancelled', last_outcome = 'dnc', next_attempt_at = null, updated_at = ${at}
      from picked p, do_not_call d
      where c.id = p.id and d.phone = c.phone and c.status = 'queued'
      returning c.id
    ),
    dialing as (
      update calls c set status = 'dialing', attempt = c.attempt + 1, result_deadline = ${s.resultDeadline},
                         next_attempt_at = null, updated_at = ${at}
      from picked p
      where c.id = p.id and c.status = 'queued' and not exists (select 1 from do_not_call d where d.phone = c.phone)
      returning c.id, c.attempt, c.campaign_id, c.phone, c.agent_id, c.timezone, c.variables,
                p.next_attempt_at as due_at, p.created_at as queued_at
    ),
    attempts as (
      insert into call_attempts (call_id, attempt, status, worker_id, claimed_at, dial_sent_at, sends, next_send_at)
      select id, attempt, 'dialing', ${s.workerId}::text, ${at}::timestamptz, ${at}::timestamptz, 1, ${s.nextSendAt}::timestamptz
      from dialing
    ),
    sends as (
      insert into dial_sends (call_id, attempt, send_no, sent_at, worker_id, campaign_id,
                              campaign_status, window_in_force, recipient_hours, recipient_zone)
      select id, attempt, 1, ${at}::timestamptz, ${s.workerId}::text, campaign_id,
             ${inForce.campaignStatus}::text, ${json(inForce.window)}::text::jsonb, ${json(inForce.recipientHours)}::text::jsonb,
             case when campaign_id is null then null else coalesce(timezone, ${inForce.campaignZone}::text) end
      from dialing
    )${marked}
    select r.campaign_in_flight, r.account_in_flight, l.n as lim, (select count(*) from listed)::int as cancelled,
           d.id, d.attempt, d.campaign_id, d.phone, d.agent_id, d.variables
    from room r cross join lim l left join dialing d on true
    order by d.due_at nulls first, d.queued_at, d.phone`;
  const first = rows[0]!;
  return {
    room: { campaignInFlight: first.campaign_in_flight, accountInFlight: first.account_in_flight },
    limit: first.lim,
    cancelled: first.cancelled,
    claimed: rows.filter((r) => r.id !== null).map((r) => ({
      id: r.id!, attempt: r.attempt, campaign_id: r.campaign_id, phone: r.phone, agent_id: r.agent_id, variables: r.variables,
    })),
  };
}
