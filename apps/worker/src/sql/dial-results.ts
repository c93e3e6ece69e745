// Recording what the dialer said about a claimed attempt (DESIGN.md §6), with
// the shared outcome logic (packages/db outcomes.ts) for a refusal.
//
//   confirmed → `dialing` → `in_progress` with provider_call_id (batched);
//   rejected (4xx) → the attempt failed: the retry policy decides;
//   unconfirmed → nothing here: the claim stays `dialing` until its result
//   deadline (expiry.ts), or is re-sent by a dialer that deduplicates.
//
// Invariants: every change is conditional on status = 'dialing' and the same
// attempt, so a confirmation that loses a race with the provider's own outcome
// event changes nothing.
import { idempotencyKeyOf, type DialRequest } from '@wakeplan/contract';
import { lockCallForOutcome, settleCall, type Sql } from '@wakeplan/db';

export interface DialConfirmation {
  callId: string;
  attempt: number;
  providerCallId: string | null;
}

export async function recordDialConfirmations(sql: Sql, confirmations: DialConfirmation[], at: Date): Promise<number> {
  if (confirmations.length === 0) return 0;
  const json = JSON.stringify(confirmations.map((c) => ({ call_id: c.callId, attempt: c.attempt, provider_call_id: c.providerCallId })));
  // Call rows first, then attempt rows, one statement each: the same lock order
  // as the outcome logic (campaign → call → attempt), so the two never deadlock.
  return sql.begin(async (tx) => {
    const changed = await tx`
      with v as (select * from json_to_recordset(${json}::text::json) as v(call_id uuid, attempt int, provider_call_id text))
      update calls c set status = 'in_progress', provider_call_id = coalesce(v.provider_call_id, c.provider_call_id), updated_at = ${at}
      from v where c.id = v.call_id and c.attempt = v.attempt and c.status = 'dialing'
      returning c.id`;
    await tx`
      with v as (select * from json_to_recordset(${json}::text::json) as v(call_id uuid, attempt int, provider_call_id text))
      update call_attempts a set status = case when a.status = 'dialing' then 'in_progress' else a.status end,
             provider_call_id = coalesce(v.provider_call_id, a.provider_call_id), confirmed_at = coalesce(a.confirmed_at, ${at})
      from v where a.call_id = v.call_id and a.attempt = v.attempt`;
    return changed.length;
  });
}

/** The provider refused the request (4xx): the attempt failed. True when the call changed. */
export async function recordDialRejection(sql: Sql, callId: string, attempt: number, reason: string, at: Date): Promise<boolean> {
  return sql.begin(async (tx) => {
    const locked = await lockCallForOutcome(tx, callId);
    if (!locked || locked.call.attempt !== attempt || locked.call.status !== 'dialing') return false;
    await tx`
      update call_attempts set status = 'failed', ended_at = ${at}, error = ${reason.slice(0, 500)}
      where call_id = ${callId} and attempt = ${attempt} and status = 'dialing'`;
    await settleCall(tx, locked, 'failed', at, at);
    return true;
  });
}

/**
 * Claims in `dialing` that no dialer ever confirmed (e.g. the worker died mid
 * request), oldest first, as dial requests again: only for a dialer that
 * deduplicates by idempotency key.
 */
export async function listUnconfirmedClaims(sql: Sql, callbackUrl: string, limit = 500): Promise<DialRequest[]> {
  const rows = await sql<{ id: string; attempt: number; campaign_id: string | null; phone: string; agent_id: string; variables: Record<string, unknown> }[]>`
    select c.id, c.attempt, c.campaign_id, c.phone, coalesce(c.agent_id, k.agent_id) as agent_id, c.variables
    from calls c
    join call_attempts a on a.call_id = c.id and a.attempt = c.attempt
    left join campaigns k on k.id = c.campaign_id
    where c.status = 'dialing' and a.confirmed_at is null
    order by a.claimed_at
    limit ${limit}`;
  return rows.map((r) => ({
    callId: r.id,
    attempt: r.attempt,
    idempotencyKey: idempotencyKeyOf(r.id, r.attempt),
    to: r.phone,
    agentId: r.agent_id,
    campaignId: r.campaign_id,
    variables: r.variables,
    callbackUrl,
  }));
}
