// Direct calls and call lookups, used only by the API.
//
// Invariants: a direct call has no campaign and names its agent; with an
// Idempotency-Key, insert-or-find is one race-free statement pair (ON CONFLICT
// on the unique key, then read the winner), so two identical requests at once
// still make one call.
import type { CallStatus, Queryable } from '@wakeplan/db';

export interface CallRecord {
  id: string;
  campaign_id: string | null;
  phone: string;
  name: string | null;
  timezone: string | null;
  agent_id: string | null;
  variables: Record<string, unknown>;
  status: CallStatus;
  attempt: number;
  next_attempt_at: Date | null;
  result_deadline: Date | null;
  provider_call_id: string | null;
  last_outcome: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface AttemptRecord {
  attempt: number;
  status: string;
  worker_id: string | null;
  provider_call_id: string | null;
  claimed_at: Date;
  confirmed_at: Date | null;
  last_event_at: Date | null;
  ended_at: Date | null;
  duration_seconds: number | null;
  error: string | null;
  ended_reason: string | null;
  recording_url: string | null;
  transcript: string | null;
}

export interface NewDirectCall {
  phone: string;
  name: string | null;
  timezone: string | null;
  agent_id: string;
  variables: Record<string, unknown>;
  next_attempt_at: Date | null;
  idempotency_key: string | null;
  request_hash: string | null;
}

/** Inserts the call, or returns the one already made with the same idempotency key (`created: false`). */
export async function insertDirectCall(tx: Queryable, call: NewDirectCall, at: Date): Promise<{ call: CallRecord; created: boolean }> {
  const row = { ...call, variables: tx.json(call.variables as never), status: 'queued', created_at: at, updated_at: at };
  const [created] = await tx<CallRecord[]>`
    insert into calls ${tx(row as never)}
    on conflict (idempotency_key) where idempotency_key is not null do nothing
    returning *`;
  if (created) return { call: created, created: true };
  const [existing] = await tx<CallRecord[]>`select * from calls where idempotency_key = ${call.idempotency_key}`;
  if (!existing) throw new Error('idempotency key conflict but no call found');
  return { call: existing, created: false };
}

export async function findCall(sql: Queryable, id: string): Promise<CallRecord | null> {
  const [row] = await sql<CallRecord[]>`select * from calls where id = ${id}`;
  return row ?? null;
}

export async function findAttempts(sql: Queryable, callId: string): Promise<AttemptRecord[]> {
  return sql<AttemptRecord[]>`
    select attempt, status, worker_id, provider_call_id, claimed_at, confirmed_at, last_event_at, ended_at, duration_seconds, error,
           ended_reason, recording_url, transcript
    from call_attempts where call_id = ${callId} order by attempt`;
}

export interface ProviderEventRecord {
  id: string;
  attempt: number;
  status: string;
  provider_call_id: string | null;
  duration_seconds: number | null;
  occurred_at: Date;
  received_at: Date;
  applied: boolean;
}

/** Every provider event received for the call, in the order received (duplicates and ignored ones included). */
export async function findProviderEvents(sql: Queryable, callId: string): Promise<ProviderEventRecord[]> {
  return sql<ProviderEventRecord[]>`
    select id::text as id, attempt, status, provider_call_id, duration_seconds, occurred_at, received_at, applied
    from provider_events where call_id = ${callId} order by id`;
}
