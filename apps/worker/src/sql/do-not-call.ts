// The do-not-call list, as the claim transaction applies it (DESIGN.md §6 and
// issue 13): a number on `do_not_call` is never dialed, by any campaign or
// direct call, however long ago its call was queued.
//
// The claim statement (claim-batch.ts) splits the calls it locked: those whose
// number is listed end `cancelled` with last_outcome `dnc`, the others are
// claimed; both by primary keys, so the cost follows the batch, not the size
// of the list or of the campaign. `claimPastListed` runs it again for the
// places listed calls took (a claim still takes as many calls as its caps
// allow) — no extra statement when nothing was listed — and a campaign left
// with nothing pending completes, under the campaign row lock the claim
// already holds. The API cancels queued calls when a number is listed; this
// catches every call queued or retried since, and a number listed a moment
// before the claim.
// Invariant: a listed number is never moved to `dialing`. A call already in
// flight when its number is listed is not hung up on; its retry, if any, is
// queued and then cancelled here before it could be claimed.
import { completeCampaignIfDone, type TransactionSql } from '@wakeplan/db';
import type { BatchResult } from './claim-batch.ts';

/** Each round cancels at least one listed call, so the loop ends; the bound is for a list that grows while we claim. */
const MAX_ROUNDS = 20;

/**
 * `claim(done, max)` claims up to `max` more, `done` having been claimed before
 * in this transaction (round 1: done 0, the caller's own bound). Returns the
 * first round's counts and limit with every round's calls, in claim order.
 * `campaignId`: the claim's campaign (its row lock held), or null for direct calls.
 */
export async function claimPastListed(
  tx: TransactionSql, campaignId: string | null, at: Date, claim: (done: number, max: number | null) => Promise<BatchResult>,
): Promise<BatchResult> {
  const first = await claim(0, null);
  const claimed = [...first.claimed];
  let cancelled = first.cancelled;
  let last = first;
  for (let round = 1; round < MAX_ROUNDS && last.cancelled > 0 && claimed.length < first.limit; round++) {
    last = await claim(claimed.length, first.limit - claimed.length);
    claimed.push(...last.claimed);
    cancelled += last.cancelled;
  }
  if (cancelled > 0 && campaignId !== null) await completeCampaignIfDone(tx, campaignId, at);
  return { ...first, claimed, cancelled };
}
