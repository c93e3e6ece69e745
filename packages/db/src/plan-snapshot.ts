// The plan input, read in ONE statement (DESIGN.md §3): every active campaign
// with queued work or calls in flight — its window, caps, pacing, calls in
// flight, and the earliest instant each group of pending work becomes due
// (grouped by contact time zone when recipient calling hours apply) — plus the
// earliest direct call, the calls in flight account-wide and their earliest
// result deadline (including calls a crashed worker left behind), and the
// earliest re-send of an unconfirmed dial request (call_attempts.next_send_at).
//
// The same statement reads the whole plan (start-up, resync) or only some
// campaigns (`readCampaignPlans`: the worker's refresh after a hint naming
// them), and its cost never grows with the number of queued contacts:
//   * the earliest due per campaign is one probe of calls_queued_by_campaign
//     (`order by next_attempt_at nulls first limit 1`), never a count or a
//     min() over the campaign's contacts;
//   * with recipient hours, the contact zones are found by a loose index scan
//     of calls_queued_by_campaign_zone (migration 007): one probe per distinct
//     zone, then one probe per zone for its earliest due;
//   * in-flight figures read the calls in flight only (bounded by the caps);
//     the earliest re-send is one probe of call_attempts_next_send (migration 006).
// Counting queued contacts is the API's business, per page (scheduler/).
//
// Invariants: no `now()` in here: the snapshot is a fact about the data, and the
// caller decides with its own clock what is due. Queued work with no
// next_attempt_at is due "since forever" (reported as the epoch). A campaign
// asked for but not returned has nothing for the plan (not active, or no queued
// work and nothing in flight).
import type { Queryable } from './client.ts';
import { campaignWindow, type CampaignWindowColumns } from './rows.ts';
import type { CallingWindow, RecipientHours } from '@wakeplan/schedule-core';

export interface CampaignPlanRow {
  id: string;
  window: CallingWindow;
  recipientHours: RecipientHours | null;
  maxConcurrentCalls: number;
  callsPerMinute: number | null;
  lastDialAt: Date | null;
  inFlight: number;
  /** Pending work: one entry per contact time zone when recipient hours apply, else one entry (timezone null). */
  pending: { timezone: string | null; earliestDueAt: Date }[];
}

/** Account-wide facts every read returns, whole or partial. */
export interface PlanTotals {
  directEarliestDueAt: Date | null;
  inFlightTotal: number;
  earliestResultDeadline: Date | null;
  /** The earliest next send of an unconfirmed dial request (the worker's re-sends). */
  earliestResendAt: Date | null;
}

export interface PlanSnapshot extends PlanTotals {
  campaigns: CampaignPlanRow[];
}

interface RawRow extends Partial<CampaignWindowColumns> {
  id: string | null;
  recipient_calling_hours: RecipientHours | null;
  max_concurrent_calls: number;
  calls_per_minute: number | null;
  last_dial_at: Date | null;
  in_flight: number;
  earliest_due_at: Date | null;
  unzoned_due_at: Date | null;
  zone_groups: { timezone: string; earliest_due_at: string }[] | null;
  direct_earliest_due_at: Date | null;
  in_flight_total: number;
  earliest_result_deadline: Date | null;
  earliest_resend_at: Date | null;
}

/**
 * The whole plan: start-up, `reload`, a reconnect (and the API's status and
 * preview). Its estimated cost grows with the number of campaigns (one index
 * probe each) and passes jit_above_cost at a few thousand: JIT compilation would
 * then cost more than the query (seconds at 100,000 campaigns), so it is turned
 * off for this one transaction.
 */
export async function readPlanSnapshot(sql: Queryable): Promise<PlanSnapshot> {
  if ('begin' in sql) {
    return (await sql.begin(async (tx) => {
      await tx`set local jit = off`;
      return readPlan(tx, null);
    })) as PlanSnapshot;
  }
  await sql`set local jit = off`;
  return readPlan(sql, null);
}

/** Only these campaigns (and the account-wide totals): the refresh after a hint that names them. */
export function readCampaignPlans(sql: Queryable, campaignIds: readonly string[]): Promise<PlanSnapshot> {
  return readPlan(sql, campaignIds);
}

async function readPlan(sql: Queryable, ids: readonly string[] | null): Promise<PlanSnapshot> {
  const only = ids === null ? sql`` : sql`and k.id = any(${ids as string[]}::uuid[])`;
  const flying = ids === null ? sql`` : sql`and campaign_id = any(${ids as string[]}::uuid[])`;
  const rows = await sql<RawRow[]>`
    with recursive targets as (
      select k.id, k.timezone, k.first_call_time, k.last_call_time, k.days_of_week::int[] as days_of_week,
             to_char(k.start_date, 'YYYY-MM-DD') as start_date, to_char(k.end_date, 'YYYY-MM-DD') as end_date,
             coalesce(array(select to_char(d, 'YYYY-MM-DD') from unnest(k.blackout_dates) d order by d), '{}') as blackout_dates,
             k.recipient_calling_hours, k.max_concurrent_calls, k.calls_per_minute, k.last_dial_at,
             (select coalesce(c.next_attempt_at, 'epoch'::timestamptz) from calls c
               where c.campaign_id = k.id and c.status = 'queued'
               order by c.next_attempt_at nulls first limit 1) as earliest_due_at
      from campaigns k where k.status = 'active' ${only}
    ), zones (campaign_id, tz) as (
      -- from campaigns (with statistics), not from targets: a CTE scan's default
      -- estimates made this recursion look costly enough to be JIT-compiled (seconds)
      select k.id, (select c.timezone from calls c
                     where c.campaign_id = k.id and c.status = 'queued' and c.timezone is not null
                     order by c.timezone limit 1)
      from campaigns k where k.status = 'active' and k.recipient_calling_hours is not null ${only}
      union all
      select z.campaign_id, (select c.timezone from calls c
                              where c.campaign_id = z.campaign_id and c.status = 'queued' and c.timezone > z.tz
                              order by c.timezone limit 1)
      from zones z where z.tz is not null
    ), zone_groups as (
      select z.campaign_id, json_agg(json_build_object('timezone', z.tz, 'earliest_due_at',
               (select coalesce(c.next_attempt_at, 'epoch'::timestamptz) from calls c
                 where c.campaign_id = z.campaign_id and c.status = 'queued' and c.timezone = z.tz
                 order by c.next_attempt_at nulls first limit 1))) as groups
      from zones z where z.tz is not null group by z.campaign_id
    ), in_flight as (
      select campaign_id, count(*)::int as n from calls
      where status in ('dialing', 'in_progress') and campaign_id is not null ${flying}
      group by campaign_id
    ), totals as (
      select
        (select coalesce(next_attempt_at, 'epoch'::timestamptz) from calls
          where campaign_id is null and status = 'queued'
          order by next_attempt_at nulls first limit 1) as direct_earliest_due_at,
        (select count(*)::int from calls where status in ('dialing', 'in_progress')) as in_flight_total,
        (select min(result_deadline) from calls where status in ('dialing', 'in_progress')) as earliest_result_deadline,
        (select min(a.next_send_at) from call_attempts a join calls c on c.id = a.call_id and c.attempt = a.attempt
          where a.next_send_at is not null and c.status = 'dialing') as earliest_resend_at
    )
    select p.*, s.* from totals s left join (
      select t.*, coalesce(f.n, 0) as in_flight, g.groups as zone_groups,
             case when t.recipient_calling_hours is not null and t.earliest_due_at is not null then
               (select coalesce(c.next_attempt_at, 'epoch'::timestamptz) from calls c
                 where c.campaign_id = t.id and c.status = 'queued' and c.timezone is null
                 order by c.next_attempt_at nulls first limit 1)
             end as unzoned_due_at
      from targets t
      left join in_flight f on f.campaign_id = t.id
      left join zone_groups g on g.campaign_id = t.id
      where t.earliest_due_at is not null or f.n > 0
    ) p on true`;
  const first = rows[0];
  if (!first) throw new Error('plan snapshot query returned no row');
  return {
    campaigns: rows.filter((r) => r.id !== null).map(toCampaignPlanRow),
    directEarliestDueAt: first.direct_earliest_due_at,
    inFlightTotal: first.in_flight_total,
    earliestResultDeadline: first.earliest_result_deadline,
    earliestResendAt: first.earliest_resend_at,
  };
}

function toCampaignPlanRow(r: RawRow): CampaignPlanRow {
  const window = campaignWindow(r as CampaignWindowColumns);
  return {
    id: r.id!,
    window,
    recipientHours: r.recipient_calling_hours,
    maxConcurrentCalls: r.max_concurrent_calls,
    callsPerMinute: r.calls_per_minute,
    lastDialAt: r.last_dial_at,
    inFlight: r.in_flight,
    pending: pendingGroups(r, window.timezone),
  };
}

/** Without recipient hours one group; with them one per contact zone, contacts without a zone in the campaign's. */
function pendingGroups(r: RawRow, campaignZone: string): CampaignPlanRow['pending'] {
  if (r.earliest_due_at === null) return [];
  if (r.recipient_calling_hours === null) return [{ timezone: null, earliestDueAt: r.earliest_due_at }];
  const byZone = new Map<string, Date>();
  const offer = (zone: string, at: Date) => {
    const known = byZone.get(zone);
    if (!known || at < known) byZone.set(zone, at);
  };
  if (r.unzoned_due_at) offer(campaignZone, r.unzoned_due_at);
  for (const g of r.zone_groups ?? []) offer(g.timezone, new Date(g.earliest_due_at));
  return [...byZone].map(([timezone, earliestDueAt]) => ({ timezone, earliestDueAt }));
}
