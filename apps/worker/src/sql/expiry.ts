// Giving up on time (DESIGN.md §6), run by the worker when its plan says so:
//   * a call in `dialing` / `in_progress` past its result deadline (no
//     confirmation and no outcome; e.g. a crashed worker or a lost event) ends
//     its attempt as `unknown`, and the retry policy decides (retry as attempt
//     n + 1 only when `unknown` is in retry_on; otherwise failed);
//   * queued contacts of a campaign whose window will never open again (its
//     end_date has passed, in its own zone) become `expired`.
//
// Invariants: every change leaves a plan change mark (settleCall's NOTIFY, or
// markPlanChanged); each call is settled in its own short transaction under the same
// locks and conditions as an outcome event, so a provider event racing the
// deadline wins or loses cleanly, never both; `at` is the caller's clock.
import {
  CAMPAIGN_COLUMNS, campaignWindow, completeCampaignIfDone, lockCallForOutcome, markPlanChanged, settleCall, type CampaignRow, type Sql,
} from '@wakeplan/db';
import { windowHasEnded } from '@wakeplan/schedule-core';

export async function expireOverdueCalls(sql: Sql, at: Date, limit = 500): Promise<number> {
  const overdue = await sql<{ id: string; attempt: number }[]>`
    select id, attempt from calls
    where status in ('dialing', 'in_progress') and result_deadline <= ${at}
    order by result_deadline limit ${limit}`;
  let settled = 0;
  for (const row of overdue) {
    const done = await sql.begin(async (tx) => {
      const locked = await lockCallForOutcome(tx, row.id);
      const c = locked?.call;
      if (!locked || !c || c.attempt !== row.attempt || !['dialing', 'in_progress'].includes(c.status)) return false;
      const [still] = await tx`select 1 from calls where id = ${row.id} and result_deadline <= ${at}`;
      if (!still) return false; // a progress event pushed the deadline back meanwhile
      await tx`
        update call_attempts set status = 'unknown', ended_at = ${at}, next_send_at = null, error = 'no result by the deadline'
        where call_id = ${row.id} and attempt = ${row.attempt} and status in ('dialing', 'in_progress')`;
      await settleCall(tx, locked, 'unknown', at, at);
      return true;
    });
    if (done) settled++;
  }
  return settled;
}

/** Expires the queued contacts of a campaign whose window has ended for good. Returns how many. */
export async function expireEndedCampaign(sql: Sql, campaignId: string, at: Date): Promise<number> {
  return sql.begin(async (tx) => {
    const [c] = await tx<CampaignRow[]>`select ${tx.unsafe(CAMPAIGN_COLUMNS)} from campaigns where id = ${campaignId} for update`;
    if (!c || c.status !== 'active' || !windowHasEnded(campaignWindow(c), at)) return 0;
    const rows = await tx`
      update calls set status = 'expired', next_attempt_at = null, last_outcome = coalesce(last_outcome, 'expired'), updated_at = ${at}
      where campaign_id = ${campaignId} and status = 'queued' returning id`;
    await completeCampaignIfDone(tx, campaignId, at);
    if (rows.length > 0) await markPlanChanged(tx, campaignId); // no NOTIFY here: other readers catch up on the mark
    return rows.length;
  });
}
