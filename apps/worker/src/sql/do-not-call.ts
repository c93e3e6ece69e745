// The do-not-call list, as the claim transaction applies it (DESIGN.md §6 and
// issue 13): a number on `do_not_call` is never dialed, by any campaign or
// direct call, however long ago its call was queued.
//
// `lockCallable` wraps the claim's SELECT … FOR UPDATE SKIP LOCKED: of the calls
// it locked, those whose number is listed end `cancelled` with last_outcome
// `dnc` (one UPDATE … FROM do_not_call by primary keys, so its cost follows the
// batch, not the size of the list or of the campaign), and more are locked in
// their place, so a claim still takes as many calls as its caps allow. A
// campaign left with nothing pending completes, under the campaign row lock the
// claim already holds. The API cancels queued calls when a number is listed;
// this catches every call queued or retried since, and a number listed a moment
// before the claim.
// Invariant: a listed number is never moved to `dialing`. A call already in
// flight when its number is listed is not hung up on; its retry, if any, is
// queued and then cancelled here before it could be claimed.
import { completeCampaignIfDone, type TransactionSql } from '@wakeplan/db';

/** Each round cancels at least one listed call, so the loop ends; the bound is for a list that grows while we claim. */
const MAX_ROUNDS = 20;

/**
 * The ids `lock(n)` locks, up to `wanted`, without listed numbers (those are cancelled).
 * `campaignId`: the claim's campaign (its row lock held), or null for direct calls.
 */
export async function lockCallable(
  tx: TransactionSql, campaignId: string | null, at: Date, wanted: number, lock: (limit: number) => Promise<string[]>,
): Promise<string[]> {
  const kept: string[] = [];
  let cancelled = 0;
  for (let round = 0; round < MAX_ROUNDS && kept.length < wanted; round++) {
    // Rows this transaction locked are not skipped by its own SKIP LOCKED: ask for the kept ones again and drop them.
    const keptIds = new Set(kept);
    const ids = (await lock(wanted)).filter((id) => !keptIds.has(id)).slice(0, wanted - kept.length);
    if (ids.length === 0) break;
    const listed = new Set((await tx<{ id: string }[]>`
      update calls c set status = 'cancelled', last_outcome = 'dnc', next_attempt_at = null, updated_at = ${at}
      from do_not_call d
      where c.id in ${tx(ids)} and d.phone = c.phone and c.status = 'queued'
      returning c.id`).map((r) => r.id));
    kept.push(...ids.filter((id) => !listed.has(id)));
    cancelled += listed.size;
    if (listed.size === 0) break;
  }
  if (cancelled > 0 && campaignId !== null) await completeCampaignIfDone(tx, campaignId, at);
  return kept;
}
