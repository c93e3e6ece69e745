// Rows for worker tests, written straight to the test database (the API is not
// under test here). Instants are always given: no column that decides *when*
// has a default.
import type { Sql } from '@wakeplan/db';

export const T0 = new Date('2026-03-02T12:00:00Z'); // Monday 07:00 in New York

export interface CampaignFields {
  name?: string;
  timezone?: string;
  first_call_time?: string;
  last_call_time?: string;
  days_of_week?: number[];
  start_date?: string | null;
  end_date?: string | null;
  max_concurrent_calls?: number;
  calls_per_minute?: number | null;
  max_attempts?: number;
  retry_delay_minutes?: number;
  retry_on?: string[];
  recipient_calling_hours?: { start: string; end: string } | null;
  status?: string;
}

export async function insertCampaign(sql: Sql, fields: CampaignFields = {}, at: Date = T0): Promise<string> {
  const row = {
    name: 'test campaign', agent_id: 'agent-1', timezone: 'America/New_York', first_call_time: '09:00',
    last_call_time: '17:00', created_at: at, updated_at: at, ...fields,
  };
  const [inserted] = await sql<{ id: string }[]>`insert into campaigns ${sql(row as never)} returning id`;
  return inserted!.id;
}

let phoneSeq = 0;

/** Adds n queued contacts (distinct phones) to a campaign; returns their ids in creation order. */
export async function insertContacts(sql: Sql, campaignId: string, n: number, at: Date = T0, extra: { timezone?: string | null; next_attempt_at?: Date | null } = {}): Promise<string[]> {
  const base = 2_000_000_000 + phoneSeq;
  phoneSeq += n;
  const rows = await sql<{ id: string }[]>`
    insert into calls (campaign_id, phone, timezone, next_attempt_at, created_at, updated_at)
    select ${campaignId}, '+1' || (${base}::bigint + g)::text, ${extra.timezone ?? null}, ${extra.next_attempt_at ?? null},
           ${at}::timestamptz + (g || ' microseconds')::interval, ${at}
    from generate_series(1, ${n}) g
    returning id`;
  return rows.map((r) => r.id);
}

export async function insertDirectCall(sql: Sql, at: Date = T0, notBefore: Date | null = null): Promise<string> {
  phoneSeq += 1;
  const [row] = await sql<{ id: string }[]>`
    insert into calls (agent_id, phone, next_attempt_at, created_at, updated_at)
    values ('agent-direct', ${`+1${3_000_000_000 + phoneSeq}`}, ${notBefore}, ${at}, ${at}) returning id`;
  return row!.id;
}

export async function callStatuses(sql: Sql, campaignId: string | null = null): Promise<Record<string, number>> {
  const rows = campaignId
    ? await sql<{ status: string; n: number }[]>`select status, count(*)::int as n from calls where campaign_id = ${campaignId} group by status`
    : await sql<{ status: string; n: number }[]>`select status, count(*)::int as n from calls group by status`;
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
