// The database check behind `wakeplan check` (DESIGN.md §6 "Lifecycle is
// total"), also called by tests and the chaos suite at the end of every run:
// every contact is terminal (completed, failed, cancelled, expired) or pending
// with a known next due time, and the attempt bookkeeping is whole.
//
//   contact_stuck        queued in a completed or cancelled campaign (nobody will ever dial it);
//                        in flight in a completed campaign
//   no_due_time          queued in an active campaign whose window (∩ the contact's calling
//                        hours) never opens again: it should have been expired
//   overdue_in_flight    dialing / in_progress / unknown with no result deadline, or one
//                        passed longer than `overdueGraceMinutes` ago (no worker settled it)
//   active_nothing_pending  an active campaign with contacts and none pending (should be completed)
//   two_live_attempts    more than one live (dialing / in_progress) attempt row for one contact
//   orphan_live_attempt  a live attempt row that is not the contact's current in-flight attempt
//   attempt_missing      a contact in flight whose current attempt row is missing or already ended
//
// Held, not violations: queued contacts of a paused campaign (due when it is
// resumed: an operator's hold), a paused campaign with nothing pending (it
// completes on resume), an active campaign that never had a contact.
//
// Invariants: reads only (safe on production, any time); `at` is the caller's
// instant; the window math is schedule-core's, the same the worker plans with.
import { nextContactCallable, type RecipientHours } from '@wakeplan/schedule-core';
import type { Queryable } from './client.ts';
import { CAMPAIGN_COLUMNS, campaignWindow, type CampaignRow } from './rows.ts';

export type ViolationKind =
  | 'contact_stuck' | 'no_due_time' | 'overdue_in_flight' | 'active_nothing_pending'
  | 'two_live_attempts' | 'orphan_live_attempt' | 'attempt_missing';

export interface Violation {
  kind: ViolationKind;
  campaignId: string | null;
  callId: string | null;
  detail: string;
}

export interface CheckOptions {
  /** How long after its result deadline an in-flight call may wait for a worker to settle it. Default 10. */
  overdueGraceMinutes?: number;
}

const LIVE = ['dialing', 'in_progress'];

export async function checkConsistency(sql: Queryable, at: Date, o: CheckOptions = {}): Promise<Violation[]> {
  const grace = new Date(at.getTime() - (o.overdueGraceMinutes ?? 10) * 60_000);
  const out: Violation[] = [];
  const stuck = await sql<{ id: string; campaign_id: string | null; status: string; campaign_status: string }[]>`
    select c.id, c.campaign_id, c.status, k.status as campaign_status
    from calls c join campaigns k on k.id = c.campaign_id
    where (c.status = 'queued' and k.status in ('completed', 'cancelled'))
       or (c.status in ('dialing', 'in_progress', 'unknown') and k.status = 'completed')
    order by c.id`;
  for (const r of stuck) {
    out.push({ kind: 'contact_stuck', campaignId: r.campaign_id, callId: r.id, detail: `${r.status} in a ${r.campaign_status} campaign` });
  }
  const overdue = await sql<{ id: string; campaign_id: string | null; status: string; result_deadline: Date | null }[]>`
    select id, campaign_id, status, result_deadline from calls
    where status in ('dialing', 'in_progress', 'unknown') and (result_deadline is null or result_deadline < ${grace})
    order by id`;
  for (const r of overdue) {
    out.push({
      kind: 'overdue_in_flight', campaignId: r.campaign_id, callId: r.id,
      detail: r.result_deadline ? `${r.status} past its result deadline ${r.result_deadline.toISOString()}` : `${r.status} with no result deadline`,
    });
  }
  out.push(...(await queuedWithoutDueTime(sql, at)));
  const idle = await sql<{ id: string }[]>`
    select k.id from campaigns k
    where k.status = 'active' and exists (select 1 from calls where campaign_id = k.id)
      and not exists (select 1 from calls where campaign_id = k.id and status in ('queued', 'dialing', 'in_progress', 'unknown'))
    order by k.id`;
  for (const r of idle) out.push({ kind: 'active_nothing_pending', campaignId: r.id, callId: null, detail: 'active with nothing pending: it should be completed' });
  const twice = await sql<{ call_id: string; campaign_id: string | null; attempts: number[] }[]>`
    select a.call_id, c.campaign_id, array_agg(a.attempt order by a.attempt)::int[] as attempts
    from call_attempts a join calls c on c.id = a.call_id
    where a.status in ${sql(LIVE)} group by a.call_id, c.campaign_id having count(*) > 1 order by a.call_id`;
  for (const r of twice) out.push({ kind: 'two_live_attempts', campaignId: r.campaign_id, callId: r.call_id, detail: `attempts ${r.attempts.join(', ')} are all live` });
  const orphans = await sql<{ call_id: string; campaign_id: string | null; attempt: number; status: string; call_status: string; call_attempt: number }[]>`
    select a.call_id, c.campaign_id, a.attempt, a.status, c.status as call_status, c.attempt as call_attempt
    from call_attempts a join calls c on c.id = a.call_id
    where a.status in ${sql(LIVE)} and (c.attempt <> a.attempt or c.status not in ${sql(LIVE)})
    order by a.call_id, a.attempt`;
  for (const r of orphans) {
    out.push({
      kind: 'orphan_live_attempt', campaignId: r.campaign_id, callId: r.call_id,
      detail: `attempt ${r.attempt} is ${r.status} but the contact is ${r.call_status} on attempt ${r.call_attempt}`,
    });
  }
  const missing = await sql<{ id: string; campaign_id: string | null; attempt: number; attempt_status: string | null }[]>`
    select c.id, c.campaign_id, c.attempt, a.status as attempt_status
    from calls c left join call_attempts a on a.call_id = c.id and a.attempt = c.attempt
    where c.status in ${sql(LIVE)} and (a.call_id is null or a.status not in ${sql(LIVE)})
    order by c.id`;
  for (const r of missing) {
    out.push({
      kind: 'attempt_missing', campaignId: r.campaign_id, callId: r.id,
      detail: r.attempt_status ? `in flight on attempt ${r.attempt}, whose row already ended as ${r.attempt_status}` : `in flight on attempt ${r.attempt}, which has no attempt row`,
    });
  }
  return out;
}

/** Queued contacts of active campaigns whose window (∩ calling hours in their zone) never opens again. */
async function queuedWithoutDueTime(sql: Queryable, at: Date): Promise<Violation[]> {
  const campaigns = await sql<CampaignRow[]>`
    select ${sql.unsafe(CAMPAIGN_COLUMNS)} from campaigns k
    where k.status = 'active' and exists (select 1 from calls c where c.campaign_id = k.id and c.status = 'queued')`;
  const out: Violation[] = [];
  for (const k of campaigns) {
    const zones = await sql<{ zone: string | null; n: number; first_id: string }[]>`
      select case when ${k.recipient_calling_hours !== null} then coalesce(timezone, ${k.timezone}) end as zone,
             count(*)::int as n, min(id::text) as first_id
      from calls where campaign_id = ${k.id} and status = 'queued' group by 1`;
    for (const g of zones) {
      if (nextDue(k, g.zone, at) !== null) continue;
      out.push({
        kind: 'no_due_time', campaignId: k.id, callId: g.first_id,
        detail: `${g.n} queued contact(s)${g.zone ? ` in ${g.zone}` : ''} whose window never opens again (expected: expired)`,
      });
    }
  }
  return out;
}

function nextDue(k: CampaignRow, zone: string | null, at: Date): Date | null {
  try {
    return nextContactCallable(campaignWindow(k), k.recipient_calling_hours as RecipientHours | null, zone, at);
  } catch {
    return null; // an invalid window or zone: nothing will ever dial these contacts
  }
}
