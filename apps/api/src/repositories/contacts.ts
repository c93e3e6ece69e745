// Bulk insert of a campaign's contacts, inside the caller's transaction.
//
// Invariants: a number on the do-not-call list is never inserted (it is counted
// as `suppressed`, read in the same transaction as the insert); duplicates against the campaign's existing contacts are skipped by
// the unique index (ON CONFLICT DO NOTHING), so the count returned is exactly
// what was added, even with concurrent uploads; rows go in large multi-row
// statements (BATCH_ROWS each, one array parameter per column via unnest) so
// 100,000 contacts take seconds, not minutes.
import type { Queryable } from '@wakeplan/db';
import type { ContactDraft } from '../contacts/contact-check.ts';
import { listedAmong } from './do-not-call.ts';

const BATCH_ROWS = 10_000;

export interface InsertedContacts {
  imported: number;
  /** Valid contacts not imported because their number is on the do-not-call list. */
  suppressed: number;
}

export async function insertContacts(tx: Queryable, campaignId: string, all: ContactDraft[], at: Date): Promise<InsertedContacts> {
  const listed = await listedAmong(tx, all.map((d) => d.phone));
  const drafts = listed.size === 0 ? all : all.filter((d) => !listed.has(d.phone));
  let inserted = 0;
  for (let i = 0; i < drafts.length; i += BATCH_ROWS) {
    const batch = drafts.slice(i, i + BATCH_ROWS);
    const result = await tx`
      insert into calls (campaign_id, phone, name, timezone, variables, created_at, updated_at)
      select ${campaignId}, phone, name, timezone, variables::jsonb, ${at}, ${at}
      from unnest(${batch.map((d) => d.phone)}::text[], ${batch.map((d) => d.name)}::text[],
                  ${batch.map((d) => d.timezone)}::text[], ${batch.map((d) => JSON.stringify(d.variables))}::text[])
        as rows (phone, name, timezone, variables)
      on conflict (campaign_id, phone) where campaign_id is not null do nothing`;
    inserted += result.count;
  }
  return { imported: inserted, suppressed: all.length - drafts.length };
}
