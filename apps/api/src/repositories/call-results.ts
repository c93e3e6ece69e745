// A campaign's contacts as results rows: one page (keyset, by phone) or every
// row through a server-side cursor (the CSV export), with the same filters.
//
// Invariants: rows are ordered by `phone collate "C"` — immutable and unique
// within a campaign — so paging while statuses change neither skips nor repeats
// a contact (a contact that changes after its page was read shows its new state
// on the next read; `updated_since` finds it). The statement uses the index
// calls_campaign_phone_c (migration 002). The export holds one connection and
// at most EXPORT_BATCH_ROWS rows at a time, whatever the campaign's size.
import type { CallStatus, Queryable, Sql } from '@wakeplan/db';

export interface ResultFilters {
  statuses: CallStatus[];
  outcome: string | null;
  phonePrefix: string | null;
  updatedSince: Date | null;
}

export interface CallResultRow {
  id: string;
  phone: string;
  name: string | null;
  timezone: string | null;
  status: CallStatus;
  attempt: number;
  last_outcome: string | null;
  next_attempt_at: Date | null;
  provider_call_id: string | null;
  duration_seconds: number | null;
  ended_reason: string | null;
  recording_url: string | null;
  transcript: string | null;
  created_at: Date;
  updated_at: Date;
}

const EXPORT_BATCH_ROWS = 1000;

function selectResults(sql: Queryable, campaignId: string, f: ResultFilters, after: string | null) {
  const afterCursor = after === null ? sql`` : sql`and (c.phone collate "C") > ${after}`;
  const inStatus = f.statuses.length === 0 ? sql`` : sql`and c.status in ${sql(f.statuses)}`;
  const withOutcome = f.outcome === null ? sql`` : sql`and c.last_outcome = ${f.outcome}`;
  // the prefix is "+digits" (checked by the route): no LIKE metacharacters to escape
  const withPrefix = f.phonePrefix === null ? sql`` : sql`and (c.phone collate "C") like ${`${f.phonePrefix}%`}`;
  const changedSince = f.updatedSince === null ? sql`` : sql`and c.updated_at >= ${f.updatedSince}`;
  return sql`
    select c.id, c.phone, c.name, c.timezone, c.status, c.attempt, c.last_outcome, c.next_attempt_at,
           coalesce(a.provider_call_id, c.provider_call_id) as provider_call_id, a.duration_seconds,
           a.ended_reason, a.recording_url, a.transcript,
           c.created_at, c.updated_at
    from calls c
    left join call_attempts a on a.call_id = c.id and a.attempt = c.attempt
    where c.campaign_id = ${campaignId} ${afterCursor} ${inStatus} ${withOutcome} ${withPrefix} ${changedSince}
    order by (c.phone collate "C")`;
}

/** One page: `limit` rows after `after`, and whether more follow. */
export async function pageCallResults(sql: Queryable, campaignId: string, f: ResultFilters, after: string | null, limit: number):
  Promise<{ rows: CallResultRow[]; more: boolean }> {
  const page = await sql<CallResultRow[]>`${selectResults(sql, campaignId, f, after)} limit ${limit + 1}`;
  return { rows: page.slice(0, limit), more: page.length > limit };
}

/** Every matching row, in batches, from a server-side cursor (constant memory). */
export async function* streamCallResults(sql: Sql, campaignId: string, f: ResultFilters): AsyncGenerator<CallResultRow[]> {
  for await (const batch of sql<CallResultRow[]>`${selectResults(sql, campaignId, f, null)}`.cursor(EXPORT_BATCH_ROWS)) {
    yield batch;
  }
}
