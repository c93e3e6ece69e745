// The compliance audit of dials (issue 15; DESIGN.md §6, the dial rule): every
// request that left in [from, to) — a fresh claim's or a re-send's — that left
// outside its campaign's window, outside the recipient's calling hours, while
// its campaign was not active, or while another attempt of the same contact
// was still live. Used by `wakeplan audit` and `GET /api/audit/dials`.
//
// Invariants: it reads only what was recorded when the request left
// (dial_sends: the instant, the campaign status, the window and hours in force,
// the recipient's zone; call_attempts: when each attempt first left and ended)
// — never today's campaign, so an edited or deleted campaign cannot hide a
// violation; the window math is schedule-core's, the same the claim used; rows
// are read with a cursor, so a day of dials never sits in memory at once.
import { isContactCallable, isWindowOpen, type CallingWindow, type RecipientHours } from '@wakeplan/schedule-core';
import type { Queryable } from './client.ts';

export const DIAL_VIOLATIONS = ['outside_window', 'outside_recipient_hours', 'campaign_not_active', 'second_live_attempt'] as const;
export type DialViolationKind = (typeof DIAL_VIOLATIONS)[number];

export interface DialViolation {
  call_id: string;
  attempt: number;
  /** 1 for the first request of the attempt, 2… for re-sends. */
  send_no: number;
  campaign_id: string | null;
  sent_at: string;
  violations: DialViolationKind[];
  /** What was in force when it left. */
  campaign_status: string | null;
  window: CallingWindow | null;
  recipient_hours: RecipientHours | null;
  recipient_zone: string | null;
  /** With second_live_attempt: the other attempt that was live then. */
  overlapping_attempt: number | null;
}

export interface DialAudit {
  from: string;
  to: string;
  /** Requests that left in [from, to). */
  dials_checked: number;
  violations: DialViolation[];
}

interface SendRow {
  call_id: string;
  attempt: number;
  send_no: number;
  campaign_id: string | null;
  sent_at: Date;
  campaign_status: string | null;
  window_in_force: CallingWindow | null;
  recipient_hours: RecipientHours | null;
  recipient_zone: string | null;
  overlapping_attempt: number | null;
}

/** A window open all day, for judging the recipient's hours on their own. */
const ALL_DAY = { firstCallTime: '00:00', lastCallTime: '00:00' };

export async function auditDials(sql: Queryable, from: Date, to: Date): Promise<DialAudit> {
  const violations: DialViolation[] = [];
  let checked = 0;
  const cursor = sql<SendRow[]>`
    select s.call_id, s.attempt, s.send_no, s.campaign_id, s.sent_at, s.campaign_status, s.window_in_force,
           s.recipient_hours, s.recipient_zone,
           (select min(o.attempt) from call_attempts o
             where o.call_id = s.call_id and o.attempt <> s.attempt and o.dial_sent_at is not null
               and o.dial_sent_at <= s.sent_at and (o.ended_at is null or o.ended_at > s.sent_at)) as overlapping_attempt
    from dial_sends s
    where s.sent_at >= ${from} and s.sent_at < ${to}
    order by s.sent_at, s.call_id, s.attempt, s.send_no`.cursor(1000);
  for await (const rows of cursor) {
    for (const row of rows) {
      checked++;
      const kinds = judge(row);
      if (kinds.length > 0) violations.push(present(row, kinds));
    }
  }
  return { from: from.toISOString(), to: to.toISOString(), dials_checked: checked, violations };
}

function judge(row: SendRow): DialViolationKind[] {
  const kinds: DialViolationKind[] = [];
  if (row.campaign_id !== null) {
    if (row.campaign_status !== 'active') kinds.push('campaign_not_active');
    const window = row.window_in_force;
    if (!window || !safely(() => isWindowOpen(window, row.sent_at))) kinds.push('outside_window');
    if (window && row.recipient_hours) {
      const allDay = { timezone: window.timezone, ...ALL_DAY };
      if (!safely(() => isContactCallable(allDay, row.recipient_hours, row.recipient_zone, row.sent_at))) kinds.push('outside_recipient_hours');
    }
  }
  if (row.overlapping_attempt !== null) kinds.push('second_live_attempt');
  return kinds;
}

function present(row: SendRow, violations: DialViolationKind[]): DialViolation {
  return {
    call_id: row.call_id, attempt: row.attempt, send_no: row.send_no, campaign_id: row.campaign_id,
    sent_at: row.sent_at.toISOString(), violations, campaign_status: row.campaign_status, window: row.window_in_force,
    recipient_hours: row.recipient_hours, recipient_zone: row.recipient_zone, overlapping_attempt: row.overlapping_attempt,
  };
}

/** A window or zone that cannot be evaluated proves nothing was open: it counts as a violation. */
function safely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
