// Campaign SQL used only by the API. Every function takes the caller's instant
// `at` for what it stamps; none uses now(). Writes run inside the caller's
// transaction (see plan-writer.ts), reads on the pool.
import {
  CALL_STATUSES, CAMPAIGN_COLUMNS, completeCampaignIfDone, type CampaignRow, type CampaignStatus, type Queryable, type TransactionSql,
} from '@wakeplan/db';
import type { CampaignValues } from '../campaigns/campaign-input.ts';

export type CampaignStats = Record<(typeof CALL_STATUSES)[number] | 'total', number>;

export async function insertCampaign(tx: Queryable, values: CampaignValues, at: Date): Promise<CampaignRow> {
  const row = { ...values, status: 'active', created_at: at, updated_at: at };
  const [created] = await tx<CampaignRow[]>`
    insert into campaigns ${tx(row as never)} returning ${tx.unsafe(CAMPAIGN_COLUMNS)}`;
  return created!;
}

export async function findCampaign(sql: Queryable, id: string): Promise<CampaignRow | null> {
  const [row] = await sql<CampaignRow[]>`select ${sql.unsafe(CAMPAIGN_COLUMNS)} from campaigns where id = ${id}`;
  return row ?? null;
}

/** The campaign row locked for the rest of the transaction (the worker's claim and completion lock it too). */
export async function lockCampaign(tx: Queryable, id: string): Promise<CampaignRow | null> {
  const [row] = await tx<CampaignRow[]>`select ${tx.unsafe(CAMPAIGN_COLUMNS)} from campaigns where id = ${id} for update`;
  return row ?? null;
}

export async function listCampaigns(sql: Queryable, filter: { status?: CampaignStatus; limit: number; offset: number }):
  Promise<{ rows: CampaignRow[]; total: number }> {
  const where = filter.status ? sql`where status = ${filter.status}` : sql``;
  const rows = await sql<(CampaignRow & { total_count: number })[]>`
    select ${sql.unsafe(CAMPAIGN_COLUMNS)}, (count(*) over ())::int as total_count
    from campaigns ${where} order by created_at desc, id limit ${filter.limit} offset ${filter.offset}`;
  const total = rows[0]?.total_count ?? (await countCampaigns(sql, filter.status));
  return { rows: rows.map(({ total_count: _, ...row }) => row as CampaignRow), total };
}

async function countCampaigns(sql: Queryable, status: CampaignStatus | undefined): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from campaigns ${status ? sql`where status = ${status}` : sql``}`;
  return row?.n ?? 0;
}

export async function updateCampaign(tx: Queryable, id: string, changes: Partial<CampaignValues>, at: Date): Promise<CampaignRow> {
  const set = { ...changes, updated_at: at };
  const [row] = await tx<CampaignRow[]>`
    update campaigns set ${tx(set as never)} where id = ${id} returning ${tx.unsafe(CAMPAIGN_COLUMNS)}`;
  return row!;
}

export async function setCampaignStatus(tx: Queryable, id: string, status: CampaignStatus, at: Date): Promise<CampaignRow> {
  const [row] = await tx<CampaignRow[]>`
    update campaigns set status = ${status}, updated_at = ${at},
      completed_at = ${status === 'completed' ? at : null}
    where id = ${id} returning ${tx.unsafe(CAMPAIGN_COLUMNS)}`;
  return row!;
}

/**
 * Resume, after the row is active again: completed at once when it has
 * contacts and none is pending (its last call ended while it was paused).
 * The caller holds the row lock; `row` is the resumed row.
 */
export async function completeResumedCampaign(tx: TransactionSql, id: string, at: Date, row: CampaignRow): Promise<CampaignRow> {
  const [hasContacts] = await tx`select 1 from calls where campaign_id = ${id} limit 1`;
  if (!hasContacts || !(await completeCampaignIfDone(tx, id, at))) return row;
  return (await findCampaign(tx, id))!;
}

/**
 * Queued contacts of a cancelled campaign are cancelled too. Calls in flight
 * finish on their own: their outcome is recorded, and what would have been a
 * retry cancels the contact instead (packages/db outcomes.ts).
 */
export async function cancelQueuedCalls(tx: Queryable, campaignId: string, at: Date): Promise<number> {
  const result = await tx`
    update calls set status = 'cancelled', updated_at = ${at}
    where campaign_id = ${campaignId} and status = 'queued'`;
  return result.count;
}

export async function campaignStats(sql: Queryable, ids: string[]): Promise<Map<string, CampaignStats>> {
  const stats = new Map<string, CampaignStats>(ids.map((id) => [id, emptyStats()]));
  if (ids.length === 0) return stats;
  const rows = await sql<{ campaign_id: string; status: string; n: number }[]>`
    select campaign_id, status, count(*)::int as n from calls
    where campaign_id = any(${ids}::uuid[]) group by campaign_id, status`;
  for (const r of rows) {
    const s = stats.get(r.campaign_id);
    if (!s) continue;
    if (r.status in s) s[r.status as keyof CampaignStats] += r.n;
    s.total += r.n;
  }
  return stats;
}

export function emptyStats(): CampaignStats {
  return Object.fromEntries([...CALL_STATUSES, 'total'].map((k) => [k, 0])) as CampaignStats;
}
