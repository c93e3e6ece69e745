// The do-not-call list, as the claim transaction applies it (DESIGN.md §6 and
// issue 13): a number on `do_not_call` is never dialed, by any campaign or
// direct call, however long ago its contact was queued.
//
// Two pieces, both used inside claims.ts's transaction:
//   * cancelListedCampaignCalls / cancelListedDirectCalls end every queued call
//     whose number is listed as `cancelled` with last_outcome `dnc` (a campaign
//     left with nothing pending completes, under the campaign row lock the claim
//     already holds);
//   * notListed is the predicate the claim's SELECT … FOR UPDATE SKIP LOCKED adds,
//     so a number listed after the cancel statement ran is not claimed either.
// Invariant: a listed number is never moved to `dialing`. A number listed while
// its call is already in flight is not hung up on; its retry, if any, is queued
// and then cancelled here before it could be claimed.
import { completeCampaignIfDone, type TransactionSql } from '@wakeplan/db';

export function notListed(tx: TransactionSql) {
  return tx`and not exists (select 1 from do_not_call d where d.phone = calls.phone)`;
}

/** Cancels the campaign's queued calls to listed numbers; the caller holds the campaign row lock. */
export async function cancelListedCampaignCalls(tx: TransactionSql, campaignId: string, at: Date): Promise<number> {
  const cancelled = await tx`
    update calls c set status = 'cancelled', last_outcome = 'dnc', next_attempt_at = null, updated_at = ${at}
    from do_not_call d
    where d.phone = c.phone and c.campaign_id = ${campaignId} and c.status = 'queued'`;
  if (cancelled.count > 0) await completeCampaignIfDone(tx, campaignId, at);
  return cancelled.count;
}

/** Cancels queued direct calls to listed numbers. */
export async function cancelListedDirectCalls(tx: TransactionSql, at: Date): Promise<number> {
  const cancelled = await tx`
    update calls c set status = 'cancelled', last_outcome = 'dnc', next_attempt_at = null, updated_at = ${at}
    from do_not_call d
    where d.phone = c.phone and c.campaign_id is null and c.status = 'queued'`;
  return cancelled.count;
}
