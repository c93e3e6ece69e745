// The do-not-call list, as the API writes and reads it (migrations/003_results_dnc.sql).
//
// Invariants: numbers are E.164 (the route normalises them) and compared as
// such; listing a number already listed changes nothing (its first reason and
// source stay); listing a number ends every queued call to it, in every
// campaign and direct call, as `cancelled` with last_outcome `dnc`, in the same
// transaction — campaign rows are locked first, in id order, then calls, the
// order the claim and outcome paths use, so this never deadlocks with them — and
// a campaign left with nothing pending completes. The worker's claim checks the
// list again (apps/worker/src/sql/do-not-call.ts); this is what makes the
// results show the change at once.
import { completeCampaignIfDone, type Queryable, type TransactionSql } from '@wakeplan/db';

export type ListingSource = 'api' | 'import' | 'provider';

export interface NewListing {
  phone: string;
  reason: string | null;
}

export interface ListingRecord {
  phone: string;
  reason: string | null;
  source: ListingSource;
  created_at: Date;
}

const BATCH_ROWS = 10_000;

/** Lists the numbers not listed yet; returns how many were added. */
export async function addListings(tx: Queryable, listings: NewListing[], source: ListingSource, at: Date): Promise<number> {
  let added = 0;
  for (let i = 0; i < listings.length; i += BATCH_ROWS) {
    const batch = listings.slice(i, i + BATCH_ROWS);
    const result = await tx`
      insert into do_not_call (phone, reason, source, created_at)
      select phone, reason, ${source}, ${at}
      from unnest(${batch.map((l) => l.phone)}::text[], ${batch.map((l) => l.reason)}::text[]) as rows (phone, reason)
      on conflict (phone) do nothing`;
    added += result.count;
  }
  return added;
}

/** Ends every queued call to these numbers as cancelled (dnc); completes campaigns left with nothing pending. */
export async function cancelQueuedCallsTo(tx: TransactionSql, phones: string[], at: Date): Promise<number> {
  if (phones.length === 0) return 0;
  const campaigns = await tx<{ campaign_id: string }[]>`
    select distinct campaign_id from calls
    where phone = any(${phones}::text[]) and status = 'queued' and campaign_id is not null
    order by campaign_id`;
  const locked = campaigns.map((c) => c.campaign_id);
  for (const id of locked) await tx`select id from campaigns where id = ${id} for update`;
  // Only calls of the campaigns locked above (and direct calls): a call queued meanwhile in another
  // campaign is left to the worker's claim, which cancels it under that campaign's lock and completes it.
  const cancelled = await tx`
    update calls set status = 'cancelled', last_outcome = 'dnc', next_attempt_at = null, updated_at = ${at}
    where phone = any(${phones}::text[]) and status = 'queued'
      and (campaign_id is null or campaign_id = any(${locked}::uuid[]))`;
  for (const id of locked) await completeCampaignIfDone(tx, id, at);
  return cancelled.count;
}

/** The entry removed, or null when the number was not listed. */
export async function removeListing(sql: Queryable, phone: string): Promise<ListingRecord | null> {
  const [removed] = await sql<ListingRecord[]>`delete from do_not_call where phone = ${phone} returning phone, reason, source, created_at`;
  return removed ?? null;
}

/** Which of these numbers are listed. */
export async function listedAmong(sql: Queryable, phones: string[]): Promise<Set<string>> {
  if (phones.length === 0) return new Set();
  const rows = await sql<{ phone: string }[]>`select phone from do_not_call where phone = any(${phones}::text[])`;
  return new Set(rows.map((r) => r.phone));
}

/** One page of the list in phone (byte) order, after `after`; `prefix` is "+digits" or null. */
export async function pageListings(sql: Queryable, after: string | null, prefix: string | null, limit: number):
  Promise<{ rows: ListingRecord[]; more: boolean }> {
  const rows = await sql<ListingRecord[]>`
    select phone, reason, source, created_at from do_not_call
    where true ${after === null ? sql`` : sql`and (phone collate "C") > ${after}`}
      ${prefix === null ? sql`` : sql`and (phone collate "C") like ${`${prefix}%`}`}
    order by (phone collate "C") limit ${limit + 1}`;
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}
