// The plan input, read in ONE query (DESIGN.md §3): every active campaign with its
// window, caps, pacing and calls in flight, and the earliest instant each group of
// pending work becomes due — grouped by contact time zone when recipient calling
// hours apply; the earliest direct call; the earliest result deadline in flight
// (including calls a crashed worker left behind); the earliest re-send of an
// unconfirmed dial request.
//
// Invariants: no `now()` in here: the snapshot is a fact about the data, and the
// caller decides with its own clock what is due. Queued work with no
// next_attempt_at is due "since forever" (reported as the epoch).
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
  pending: { timezone: string | null; earliestDueAt: Date; count: number }[];
}

export interface PlanSnapshot {
  campaigns: CampaignPlanRow[];
  directQueued: number;
  directEarliestDueAt: Date | null;
  inFlightTotal: number;
  earliestResultDeadline: Date | null;
  /** The earliest next send of an unconfirmed dial request (the worker's re-sends). */
  earliestResendAt: Date | null;
}

interface RawRow {
  campaigns: (CampaignWindowColumns & {
    id: string; recipient_calling_hours: RecipientHours | null; max_concurrent_calls: number;
    calls_per_minute: number | null; last_dial_at: string | null; in_flight: number;
    pending: { timezone: string | null; earliest_due_at: string; count: number }[];
  })[];
  direct_queued: number;
  direct_earliest_due_at: Date | null;
  in_flight_total: number;
  earliest_result_deadline: Date | null;
  earliest_resend_at: Date | null;
}

/** How many calls of the campaign are queued, over all its pending groups. */
export function queuedCount(row: CampaignPlanRow): number {
  return row.pending.reduce((sum, p) => sum + p.count, 0);
}

export async function readPlanSnapshot(sql: Queryable): Promise<PlanSnapshot> {
  const [row] = await sql<RawRow[]>`
    with pending as (
      select c.campaign_id,
             case when k.recipient_calling_hours is not null then coalesce(c.timezone, k.timezone) end as timezone,
             min(coalesce(c.next_attempt_at, 'epoch'::timestamptz)) as earliest_due_at,
             count(*)::int as count
      from calls c join campaigns k on k.id = c.campaign_id
      where c.status = 'queued' and k.status = 'active'
      group by 1, 2
    ), in_flight as (
      select campaign_id, count(*)::int as n from calls
      where status in ('dialing', 'in_progress') and campaign_id is not null
      group by campaign_id
    )
    select
      coalesce((
        select json_agg(json_build_object(
          'id', k.id, 'timezone', k.timezone, 'first_call_time', k.first_call_time,
          'last_call_time', k.last_call_time, 'days_of_week', k.days_of_week,
          'start_date', k.start_date, 'end_date', k.end_date,
          'blackout_dates', array(select d from unnest(k.blackout_dates) d order by d),
          'recipient_calling_hours', k.recipient_calling_hours,
          'max_concurrent_calls', k.max_concurrent_calls, 'calls_per_minute', k.calls_per_minute,
          'last_dial_at', k.last_dial_at, 'in_flight', coalesce(f.n, 0),
          'pending', coalesce((select json_agg(json_build_object('timezone', p.timezone,
                      'earliest_due_at', p.earliest_due_at, 'count', p.count))
                    from pending p where p.campaign_id = k.id), '[]'::json)))
        from campaigns k left join in_flight f on f.campaign_id = k.id
        where k.status = 'active'
          and (exists (select 1 from pending p where p.campaign_id = k.id) or f.n > 0)
      ), '[]'::json) as campaigns,
      (select count(*)::int from calls where campaign_id is null and status = 'queued') as direct_queued,
      (select min(coalesce(next_attempt_at, 'epoch'::timestamptz)) from calls
        where campaign_id is null and status = 'queued') as direct_earliest_due_at,
      (select count(*)::int from calls where status in ('dialing', 'in_progress')) as in_flight_total,
      (select min(result_deadline) from calls where status in ('dialing', 'in_progress')) as earliest_result_deadline,
      (select min(a.next_send_at) from call_attempts a join calls c on c.id = a.call_id and c.attempt = a.attempt
        where a.next_send_at is not null and c.status = 'dialing') as earliest_resend_at`;
  if (!row) throw new Error('plan snapshot query returned no row');
  return {
    campaigns: row.campaigns.map((c) => ({
      id: c.id,
      window: campaignWindow(c),
      recipientHours: c.recipient_calling_hours,
      maxConcurrentCalls: c.max_concurrent_calls,
      callsPerMinute: c.calls_per_minute,
      lastDialAt: c.last_dial_at ? new Date(c.last_dial_at) : null,
      inFlight: c.in_flight,
      pending: c.pending.map((p) => ({ timezone: p.timezone, earliestDueAt: new Date(p.earliest_due_at), count: p.count })),
    })),
    directQueued: row.direct_queued,
    directEarliestDueAt: row.direct_earliest_due_at,
    inFlightTotal: row.in_flight_total,
    earliestResultDeadline: row.earliest_result_deadline,
    earliestResendAt: row.earliest_resend_at,
  };
}
