// SQL of the provider callback routes: which attempt a callback is about, and
// what the provider said about it (ended reason, recording, transcript).
//
// Invariants: a callback names its attempt by our ids or by the provider's call
// id stored when the dial was confirmed (the newest attempt carrying it); the
// details only ever fill in (coalesce), so a later, thinner callback never
// erases what an earlier one brought.
import type { CallDetails, CallbackTarget } from '@wakeplan/providers';
import type { Queryable } from '@wakeplan/db';

export async function resolveCallbackTarget(sql: Queryable, target: CallbackTarget): Promise<{ callId: string; attempt: number } | null> {
  if ('callId' in target) {
    const [row] = await sql<{ id: string }[]>`select id from calls where id = ${target.callId}`;
    return row ? { callId: target.callId, attempt: target.attempt } : null;
  }
  const [row] = await sql<{ call_id: string; attempt: number }[]>`
    select call_id, attempt from call_attempts where provider_call_id = ${target.providerCallId} order by claimed_at desc limit 1`;
  return row ? { callId: row.call_id, attempt: row.attempt } : null;
}

export async function recordCallDetails(sql: Queryable, callId: string, attempt: number, d: CallDetails): Promise<void> {
  if (d.endedReason === null && d.recordingUrl === null && d.transcript === null) return;
  await sql`
    update call_attempts set ended_reason = coalesce(${d.endedReason}, ended_reason),
           recording_url = coalesce(${d.recordingUrl}, recording_url), transcript = coalesce(${d.transcript}, transcript)
    where call_id = ${callId} and attempt = ${attempt}`;
}
