// Plan change marks (issue 11, migration 009): how a reader of the plan learns
// which campaigns changed since it last read, without LISTEN and without
// reading every campaign.
//
//   * A writer marks a campaign in the transaction that changes it:
//     campaigns.plan_changed_xid := its own transaction id (notify.ts does it
//     with every NOTIFY naming a campaign; `markPlanChanged` for writes that
//     notify nobody).
//   * A reader keeps a watermark: a snapshot (pg_current_snapshot) taken no
//     later than the read it trusts. The changes that read may have missed are
//     exactly the marks that snapshot cannot see: `not
//     pg_visible_in_snapshot(plan_changed_xid, watermark)` — found by a range
//     scan of the index from the snapshot's xmin (a long transaction elsewhere
//     on the server holds xmin back: the scan gets longer, the answer stays exact).
//
// Invariants: the changed ids and the next watermark come from ONE statement
// (one snapshot), so nothing committed between them is skipped; a read taken
// after `readPlanWatermark` sees at least what its snapshot saw, so the
// watermark taken first is conservative. A watermark is a pg_snapshot as text
// (xid8 inside: 64-bit, never wrapping).
import type { Queryable } from './client.ts';

/** The watermark to keep for a read that follows: take it BEFORE the read. */
export async function readPlanWatermark(sql: Queryable): Promise<string> {
  const [row] = await sql<{ snapshot: string }[]>`select pg_current_snapshot()::text as snapshot`;
  return row!.snapshot;
}

export interface PlanChanges {
  /** Campaigns marked since the watermark given (any status: a paused one must leave a plan). */
  campaignIds: string[];
  /** The watermark to keep once those campaigns have been read again. */
  watermark: string;
}

/** Campaigns changed since `watermark`, and the next watermark, in one snapshot. */
export async function readPlanChanges(sql: Queryable, watermark: string): Promise<PlanChanges> {
  const [row] = await sql<{ snapshot: string; ids: string[] }[]>`
    select pg_current_snapshot()::text as snapshot,
           array(select id from campaigns
                 where plan_changed_xid >= pg_snapshot_xmin(${watermark}::pg_snapshot)
                   and not pg_visible_in_snapshot(plan_changed_xid, ${watermark}::pg_snapshot))::text[] as ids`;
  return { campaignIds: row!.ids, watermark: row!.snapshot };
}

/** Marks a campaign changed by the current transaction (for writes that send no NOTIFY naming it). */
export async function markPlanChanged(tx: Queryable, campaignId: string): Promise<void> {
  await tx`update campaigns set plan_changed_xid = pg_current_xact_id() where id = ${campaignId}`;
}
