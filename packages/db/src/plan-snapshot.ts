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
//     (`order by next_attempt_at nulls first limit 1`, a LATERAL join: once per
//     campaign), never a count or a min() over the campaign's contacts; the
//     campaigns are walked in id order, so consecutive probes touch
//     neighbouring index pages;
//   * with recipient hours only, the contact zones come from a loose index scan
//     of calls_queued_by_campaign_zone (migration 007): one probe per distinct
//     zone, which finds the zone and its earliest due together;
//   * in-flight figures read the calls in flight only (bounded by the caps):
//     a hashed set of the campaigns with calls in flight, counted for those only;
//     the earliest re-send is one probe of call_attempts_next_send (migration 006).
// Counting queued contacts is the API's business, per page (scheduler/).
// The account-wide totals come as one row of their own (id null); each
// campaign's window comes as one text (plan-row.ts parses it once per distinct
// window), and rows become plan rows as they stream in. At
// 100,000 campaigns × 100 contacts this is ~5–7 µs of database CPU and ~3 µs of
// client CPU per campaign (README "## Scale").
//
// Invariants: no `now()` in here: the snapshot is a fact about the data, and the
// caller decides with its own clock what is due. Queued work with no
// next_attempt_at is due "since forever" (reported as the epoch). A campaign
// asked for but not returned has nothing for the plan (not active, or no queued
// work and nothing in flight).
import type { Queryable } from './client.ts';
import { toCampaignPlanRow, type PlanCampaignColumns } from './plan-row.ts';
import type { CallingWindow, RecipientHours } from '@wakeplan/schedule-core';

export interface CampaignPlanRow {
  id: string;
  window: CallingWindow;
  recipientHours: RecipientHours | null;
  maxConcurrentCalls: number;
  callsPerMinute: number | null;
  lastDialAt: Date | null;
  inFlight: number;
  /**
   * Pending work: one entry per contact time zone when recipient hours apply, else one entry (timezone null).
   * Windows, recipient hours and common pending lists are shared between rows (plan-row.ts): never mutate a row.
   */
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

export interface PlanReadOptions {
  /**
   * The row the caller already holds for a campaign (the worker's plan): a row
   * read equal to it comes back as that very object, so an unchanged campaign
   * leaves nothing behind that outlives the read (at 100,000 campaigns, each
   * whole read would otherwise promote ~20 MB of replaced rows to the old heap).
   */
  known?: (campaignId: string) => CampaignPlanRow | undefined;
}

/**
 * The whole plan: start-up, `reload`, a reconnect (and the API's status and
 * preview). Its estimated cost grows with the number of campaigns (a few index
 * probes each, more with recipient hours) and passes jit_above_cost at a few
 * hundred: JIT compilation would then cost more than the query (seconds at
 * 100,000 campaigns), so it is turned off for this one transaction.
 */
export function readPlanSnapshot(sql: Queryable, options: PlanReadOptions = {}): Promise<PlanSnapshot> {
  return withoutJit(sql, (q) => readPlan(q, null, options));
}

/**
 * Only these campaigns (and the account-wide totals): the refresh after a hint
 * that names them. One statement; a refresh of more campaigns than
 * JIT_FREE_CAMPAIGNS could pass jit_above_cost, so it turns JIT off in a
 * transaction as the whole read does (three statements more, nothing beside
 * such a read).
 */
export function readCampaignPlans(sql: Queryable, campaignIds: readonly string[], options: PlanReadOptions = {}): Promise<PlanSnapshot> {
  return campaignIds.length > JIT_FREE_CAMPAIGNS
    ? withoutJit(sql, (q) => readPlan(q, campaignIds, options))
    : readPlan(sql, campaignIds, options);
}

/** Below this many campaigns the read's estimate stays under the default jit_above_cost (100,000) whatever the statistics say. */
const JIT_FREE_CAMPAIGNS = 50;

async function withoutJit(sql: Queryable, read: (q: Queryable) => Promise<PlanSnapshot>): Promise<PlanSnapshot> {
  if ('begin' in sql) {
    return (await sql.begin(async (tx) => {
      await tx`set local jit = off`;
      return read(tx);
    })) as PlanSnapshot;
  }
  await sql`set local jit = off`;
  return read(sql);
}

async function readPlan(sql: Queryable, ids: readonly string[] | null, { known }: PlanReadOptions): Promise<PlanSnapshot> {
  const only = ids === null ? sql`` : sql`and k.id = any(${ids as string[]}::uuid[])`;
  const campaigns: CampaignPlanRow[] = [];
  let totals: PlanTotals | null = null;
  // Rows are turned into plan rows as they arrive (forEach): the raw rows never
  // pile up, so a whole read at 100,000 campaigns keeps only what the plan keeps.
  await sql<(PlanCampaignColumns | TotalsColumns)[]>`
    select null::uuid as id,
      (select coalesce(next_attempt_at, 'epoch'::timestamptz) from calls
        where campaign_id is null and status = 'queued'
        order by next_attempt_at nulls first limit 1) as direct_earliest_due_at,
      (select count(*)::int from calls where status in ('dialing', 'in_progress')) as in_flight_total,
      (select min(result_deadline) from calls where status in ('dialing', 'in_progress')) as earliest_result_deadline,
      (select min(a.next_send_at) from call_attempts a join calls c on c.id = a.call_id and c.attempt = a.attempt
        where a.next_send_at is not null and c.status = 'dialing') as earliest_resend_at,
      null::text as calling_window, null::text as recipient_calling_hours, null::int as max_concurrent_calls,
      null::int as calls_per_minute, null::timestamptz as last_dial_at, null::int as in_flight,
      null::timestamptz as earliest_due_at, null::json as zone_groups, null::timestamptz as unzoned_due_at
    union all
    (select k.id, null, null, null, null,
      concat_ws(' ', k.first_call_time, k.last_call_time, k.days_of_week::text,
        coalesce(to_char(k.start_date, 'YYYY-MM-DD'), '-'), coalesce(to_char(k.end_date, 'YYYY-MM-DD'), '-'),
        case when cardinality(k.blackout_dates) = 0 then '-'
             else (select string_agg(to_char(d, 'YYYY-MM-DD'), ',' order by d) from unnest(k.blackout_dates) d) end,
        k.timezone),
      k.recipient_calling_hours::text, k.max_concurrent_calls, k.calls_per_minute, k.last_dial_at,
      -- calls in flight: membership in the campaigns with calls in flight (one
      -- hashed subplan, built once), then a count for those only. Not a join with
      -- per-campaign counts: statistics may say "none in flight", and the nested
      -- loop planned on that takes seconds at 100,000 campaigns with 1,000 in flight.
      case when k.id = any (select campaign_id from calls where status in ('dialing', 'in_progress'))
           then (select count(*)::int from calls c where c.campaign_id = k.id and c.status in ('dialing', 'in_progress'))
           else 0 end,
      e.due,
      case when k.recipient_calling_hours is not null and e.due is not null then (
        -- a loose index scan of calls_queued_by_campaign_zone: each probe finds the
        -- next contact zone AND its earliest due (the first entry of that zone)
        with recursive zones (tz, due) as (
          (select c.timezone, c.next_attempt_at from calls c
            where c.campaign_id = k.id and c.status = 'queued' and c.timezone is not null
            order by c.timezone, c.next_attempt_at nulls first limit 1)
          union all
          (select n.timezone, n.next_attempt_at from zones z, lateral (
             select c.timezone, c.next_attempt_at from calls c
             where c.campaign_id = k.id and c.status = 'queued' and c.timezone > z.tz
             order by c.timezone, c.next_attempt_at nulls first limit 1) n)
        )
        select json_agg(json_build_object('timezone', tz, 'earliest_due_at', coalesce(due, 'epoch'::timestamptz)))
        from zones) end,
      case when k.recipient_calling_hours is not null and e.due is not null then
        -- ordered by the zone too, so the probe reads calls_queued_by_campaign_zone in order (one probe)
        (select coalesce(c.next_attempt_at, 'epoch'::timestamptz) from calls c
          where c.campaign_id = k.id and c.status = 'queued' and c.timezone is null
          order by c.timezone, c.next_attempt_at nulls first limit 1) end
    from campaigns k
    left join lateral (
      select coalesce(c.next_attempt_at, 'epoch'::timestamptz) as due from calls c
      where c.campaign_id = k.id and c.status = 'queued'
      order by c.next_attempt_at nulls first limit 1) e on true
    where k.status = 'active' ${only}
      and (e.due is not null or k.id = any (select campaign_id from calls where status in ('dialing', 'in_progress')))
    -- in index order: consecutive probes touch neighbouring index pages (at 10 M
    -- queued contacts the index outgrows shared_buffers: ~25 % faster than in heap order)
    order by k.id)`.forEach((r) => {
    if (r.id === null) totals = totalsOf(r as TotalsColumns);
    else campaigns.push(toCampaignPlanRow(r as PlanCampaignColumns, known?.(r.id)));
  });
  if (totals === null) throw new Error('plan snapshot query returned no totals row');
  return { campaigns, ...(totals as PlanTotals) };
}

interface TotalsColumns {
  id: null;
  direct_earliest_due_at: Date | null;
  in_flight_total: number;
  earliest_result_deadline: Date | null;
  earliest_resend_at: Date | null;
}

function totalsOf(r: TotalsColumns): PlanTotals {
  return {
    directEarliestDueAt: r.direct_earliest_due_at,
    inFlightTotal: r.in_flight_total,
    earliestResultDeadline: r.earliest_result_deadline,
    earliestResendAt: r.earliest_resend_at,
  };
}
