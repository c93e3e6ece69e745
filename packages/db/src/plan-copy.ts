// An in-memory copy of the plan (issue 11), kept by catching up on change marks
// (plan-changes.ts) — shared by the worker (apps/worker campaign-plan.ts, which
// adds its claim deferrals) and the API's status and plan preview (apps/api
// scheduler/plan-follower.ts).
//
//   * `readWholePlan`: the watermark first, then the whole plan (readPlanSnapshot):
//     the copy becomes exactly that read.
//   * `catchUpPlan`: the campaigns marked changed since the copy's watermark (plus
//     any the caller names) are read again (readCampaignPlans), in one statement
//     that also brings the account-wide totals; the copy keeps the new watermark.
//   * `refresh`: only the campaigns named (the worker's hints), and the totals.
//
// Invariants: a campaign asked for in a read and not returned leaves the copy (not
// active, or no queued work and nothing in flight); every read, whole or partial,
// replaces the totals; the watermark kept is one taken no later than the reads
// it vouches for, so every change the copy may lack is marked after it and found
// by the next catch-up. A write that leaves no mark (hand-made SQL) is found by
// the next whole read: `watermarkAt` answers null once the last whole read is
// older than `maxAgeMs` (default WHOLE_READ_MAX_AGE_MS). Memory: one
// CampaignPlanRow per campaign with work (no contact data), ~180 bytes each
// (windows and common pending lists shared, plan-row.ts): ~18 MB at 100,000. Every
// read here is given `held`, so a campaign read unchanged comes back as the row
// already held and a whole read at scale leaves little garbage behind; the map is
// upserted in place and rebuilt only when some campaign left.
import type { Queryable } from './client.ts';
import { readPlanChanges, readPlanWatermark } from './plan-changes.ts';
import { readCampaignPlans, readPlanSnapshot, type CampaignPlanRow, type PlanSnapshot, type PlanTotals } from './plan-snapshot.ts';

/** A catch-up after this long since the last whole read reads the whole plan instead. */
export const WHOLE_READ_MAX_AGE_MS = 6 * 3_600_000;

export class PlanCopy {
  private readonly rows = new Map<string, CampaignPlanRow>();
  private planTotals: PlanTotals | null = null;
  private mark: string | null = null;
  private wholeReadAt = 0;

  /** False until the first whole read, and again after `forget`. */
  get loaded(): boolean {
    return this.planTotals !== null;
  }

  /** The campaigns in the copy (active, with queued work or calls in flight). */
  get size(): number {
    return this.rows.size;
  }

  /** The account-wide totals of the last read. */
  get totals(): PlanTotals {
    if (!this.planTotals) throw new Error('the plan has not been read yet');
    return this.planTotals;
  }

  get(id: string): CampaignPlanRow | undefined {
    return this.rows.get(id);
  }

  campaigns(): IterableIterator<CampaignPlanRow> {
    return this.rows.values();
  }

  /** Every campaign, without an iterator result per row (100,000 of them in a whole evaluation). */
  forEachCampaign(fn: (row: CampaignPlanRow) => void): void {
    this.rows.forEach((row) => fn(row));
  }

  /** For a read's `known` (plan-snapshot.ts): a campaign read unchanged comes back as the row held here. */
  readonly held = (id: string): CampaignPlanRow | undefined => this.rows.get(id);

  /** The watermark of the last whole read or catch-up; null when only a whole read will do (never read, forgotten, or its whole read is too old at `now`). */
  watermarkAt(now: Date, maxAgeMs = WHOLE_READ_MAX_AGE_MS): string | null {
    if (!this.planTotals || now.getTime() - this.wholeReadAt >= maxAgeMs) return null;
    return this.mark;
  }

  /** A whole read: the copy becomes exactly the snapshot; `watermark` was taken before the read, at `at`. */
  replaceAll(snapshot: PlanSnapshot, watermark: string, at: Date): void {
    this.wholeReadAt = at.getTime();
    // Upsert first: a campaign already known keeps its slot (no table rebuilt);
    // the size then tells whether some campaign left, and only then is it rebuilt.
    const fresh = snapshot.campaigns;
    const put = (row: CampaignPlanRow) => this.rows.set(row.id, row);
    fresh.forEach(put); // forEach: no iterator result per row
    if (this.rows.size !== fresh.length) {
      this.rows.clear();
      fresh.forEach(put);
    }
    this.planTotals = totalsOf(snapshot);
    this.mark = watermark;
  }

  /** A catch-up: `ids` (every campaign marked since the watermark, and any named) read again; the new watermark kept. */
  catchUp(ids: Iterable<string>, partial: PlanSnapshot, watermark: string): void {
    this.refresh(ids, partial);
    this.mark = watermark;
  }

  /** A partial read of `ids`: each is replaced by what the read returned, or removed. */
  refresh(ids: Iterable<string>, partial: PlanSnapshot): void {
    for (const id of ids) this.rows.delete(id);
    for (const row of partial.campaigns) this.rows.set(row.id, row);
    this.planTotals = totalsOf(partial);
  }

  /** Nothing in the copy can be trusted any more: the next read must be whole. */
  forget(): void {
    this.planTotals = null;
    this.mark = null;
  }
}

/** Reads the whole plan into `copy`, the watermark first; `at` is the reader's instant (for the whole read's age). */
export async function readWholePlan(sql: Queryable, copy: PlanCopy, at: Date): Promise<void> {
  const watermark = await readPlanWatermark(sql);
  copy.replaceAll(await readPlanSnapshot(sql, { known: copy.held }), watermark, at);
}

/**
 * Reads again the campaigns marked changed since `since` (the copy's watermark)
 * and `also`; returns the ids read (each now in the copy as read, or gone from it).
 */
export async function catchUpPlan(sql: Queryable, copy: PlanCopy, since: string, also: Iterable<string> = []): Promise<Set<string>> {
  const changes = await readPlanChanges(sql, since);
  const ids = new Set([...also, ...changes.campaignIds]);
  copy.catchUp(ids, await readCampaignPlans(sql, [...ids], { known: copy.held }), changes.watermark);
  return ids;
}

function totalsOf(s: PlanTotals): PlanTotals {
  return {
    directEarliestDueAt: s.directEarliestDueAt, inFlightTotal: s.inFlightTotal,
    earliestResultDeadline: s.earliestResultDeadline, earliestResendAt: s.earliestResendAt,
  };
}
