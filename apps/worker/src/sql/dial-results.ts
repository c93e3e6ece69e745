// Recording what the dialer said about a claimed attempt (DESIGN.md §6), with
// the shared outcome logic (packages/db outcomes.ts) for a refusal.
//
//   confirmed → `dialing` → `in_progress` with provider_call_id (batched: one
//               statement for every answer a round collected);
//   rejected (4xx) → the attempt failed: the retry policy decides;
//   refused / unconfirmed → nothing here: the claim stays `dialing` with its
//   next send time (sql/resends.ts) until a send is confirmed or its result
//   deadline closes it (expiry.ts).
// A confirmation or a rejection ends the re-sends (next_send_at = null).
//
// Invariants: every change is conditional on status = 'dialing' and the same
// attempt, so a confirmation that loses a race with the provider's own outcome
// event changes nothing.
import { lockCallForOutcome, settleCall, type Sql } from '@wakeplan/db';

export interface DialConfirmation {
  callId: string;
  attempt: number;
  providerCallId: string | null;
}

export async function recordDialConfirmations(sql: Sql, confirmations: DialConfirmation[], at: Date): Promise<number> {
  if (confirmations.length === 0) return 0;
  const json = JSON.stringify(confirmations.map((c) => ({ call_id: c.callId, attempt: c.attempt, provider_call_id: c.providerCallId })));
  // One statement, call rows before attempt rows — the outcome logic's lock order (campaign → call → attempt),
  // so the two never deadlock: the attempts' update is gated on the calls' update having run to the end
  // (an uncorrelated sub-select is a one-time filter, evaluated before the attempts are scanned).
  const [row] = await sql<{ changed: number }[]>`
    with v as (select * from json_to_recordset(${json}::text::json) as v(call_id uuid, attempt int, provider_call_id text)),
    changed as (
      update calls c set status = 'in_progress', provider_call_id = coalesce(v.provider_call_id, c.provider_call_id), updated_at = ${at}
      from v where c.id = v.call_id and c.attempt = v.attempt and c.status = 'dialing'
      returning c.id
    ),
    attempts as (
      update call_attempts a set status = case when a.status = 'dialing' then 'in_progress' else a.status end,
             provider_call_id = coalesce(v.provider_call_id, a.provider_call_id), confirmed_at = coalesce(a.confirmed_at, ${at}),
             next_send_at = null
      from v where a.call_id = v.call_id and a.attempt = v.attempt and (select count(*) from changed) >= 0
      returning 1
    )
    select (select count(*) from changed)::int as changed, (select count(*) from attempts)::int as attempts`;
  return row!.changed;
}

/** The provider refused the request (4xx): the attempt failed. True when the call changed. */
export async function recordDialRejection(sql: Sql, callId: string, attempt: number, reason: string, at: Date): Promise<boolean> {
  return sql.begin(async (tx) => {
    const locked = await lockCallForOutcome(tx, callId);
    if (!locked || locked.call.attempt !== attempt || locked.call.status !== 'dialing') return false;
    await tx`
      update call_attempts set status = 'failed', ended_at = ${at}, next_send_at = null, error = ${reason.slice(0, 500)}
      where call_id = ${callId} and attempt = ${attempt} and status = 'dialing'`;
    await settleCall(tx, locked, 'failed', at, at);
    return true;
  });
}
