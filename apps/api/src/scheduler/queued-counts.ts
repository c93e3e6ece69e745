// Queued-contact counts for what a response lists, and only that: the plan
// read no longer counts contacts (packages/db plan-snapshot.ts), so the status
// and the plan preview count the campaigns of the page they show — a cost that
// grows with the page, never with every contact in the database.
import type { Queryable } from '@wakeplan/db';

/** Queued contacts per campaign, for these campaigns only (missing: none queued). */
export async function queuedCounts(sql: Queryable, campaignIds: string[]): Promise<Map<string, number>> {
  if (campaignIds.length === 0) return new Map();
  const rows = await sql<{ campaign_id: string; n: number }[]>`
    select campaign_id, count(*)::int as n from calls
    where status = 'queued' and campaign_id = any(${campaignIds}::uuid[])
    group by campaign_id`;
  return new Map(rows.map((r) => [r.campaign_id, r.n]));
}

/** Direct calls waiting (the calls_queued_direct index; direct calls are few next to campaign contacts). */
export async function directQueuedCount(sql: Queryable): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from calls where campaign_id is null and status = 'queued'`;
  return row?.n ?? 0;
}
