// The worker's in-memory wake plan, keyed by campaign (issue 11): filled by one
// full read at start-up (and on `reload`, an unreadable NOTIFY, a reconnect),
// then kept current campaign by campaign — a hint that names a campaign
// replaces that campaign's entry with a fresh read of it alone, and every read,
// whole or partial, brings the account-wide totals (calls in flight, earliest
// result deadline, earliest direct call).
//
// Deferrals: a claim refused with "campaign X not before T" (pacing, the next
// window opening: what the dispatcher learns and the plan cannot show) becomes
// `deferCampaign(X, T)`: the campaign is not due before T in every evaluation
// — so T is its next wake — until T passes, a claim for X succeeds, a
// campaign_changed hint or a full resync clears it. The latest refusal wins.
// A refresh of X, or a full read for want of trust (after sleeping), keeps it.
//
// Catching up (plan change marks, packages/db plan-changes.ts): the plan keeps
// the watermark of its last whole read or catch-up. After a stretch without
// LISTEN (asleep), the worker reads the campaigns marked since that watermark
// and refreshes only them — `catchUp` — instead of reading the whole plan again;
// a plan with no watermark (never read, or forgotten) can only be read whole,
// and one whose last whole read is older than WHOLE_READ_MAX_AGE_MS is read
// whole again at its next catch-up: a bound on what a write that left no mark
// (an operator's hand-made SQL) can hide.
//
// Invariants: a campaign asked for in a refresh and not returned leaves the plan
// (no queued work, nothing in flight, or not active); memory holds one small
// entry per active campaign with work (no contact data), so 100,000 campaigns
// fit in tens of MB.
import type { CampaignPlanRow, PlanSnapshot, PlanTotals } from '@wakeplan/db';

/** A catch-up after this long since the last whole read reads the whole plan instead. */
export const WHOLE_READ_MAX_AGE_MS = 6 * 3_600_000;

export class CampaignPlan {
  private readonly rows = new Map<string, CampaignPlanRow>();
  private readonly deferrals = new Map<string, Date>();
  private totals: PlanTotals | null = null;
  private mark: string | null = null;
  private wholeReadAt = 0;

  /** False until the first full read, and again after `forget`. */
  get loaded(): boolean {
    return this.totals !== null;
  }

  /** The watermark of the last whole read or catch-up; null when only a whole read will do (never read, forgotten, or its whole read is too old at `now`). */
  watermarkAt(now: Date): string | null {
    if (!this.totals || now.getTime() - this.wholeReadAt >= WHOLE_READ_MAX_AGE_MS) return null;
    return this.mark;
  }

  get size(): number {
    return this.rows.size;
  }

  /**
   * A full read: the plan becomes exactly the snapshot (deferrals are kept: they
   * are not in the database); `watermark` was taken before the read, at `at`.
   */
  replaceAll(snapshot: PlanSnapshot, watermark: string, at: Date): void {
    this.wholeReadAt = at.getTime();
    this.rows.clear();
    for (const row of snapshot.campaigns) this.rows.set(row.id, row);
    this.totals = totalsOf(snapshot);
    this.mark = watermark;
  }

  /** A catch-up: `ids` (every campaign marked since the watermark, and any hinted) read again; the new watermark kept. */
  catchUp(ids: Iterable<string>, partial: PlanSnapshot, watermark: string): void {
    this.refresh(ids, partial);
    this.mark = watermark;
  }

  /** A partial read of `ids`: each is replaced by what the read returned, or removed. */
  refresh(ids: Iterable<string>, partial: PlanSnapshot): void {
    for (const id of ids) this.rows.delete(id);
    for (const row of partial.campaigns) this.rows.set(row.id, row);
    this.totals = totalsOf(partial);
  }

  /** Nothing in the plan can be trusted any more (a failed pass): the next round reads it whole. */
  forget(): void {
    this.totals = null;
    this.mark = null;
  }

  deferCampaign(id: string, until: Date): void {
    this.deferrals.set(id, until);
  }

  clearDeferral(id: string): void {
    this.deferrals.delete(id);
  }

  /** A full resync (reload, an unreadable NOTIFY, a reconnect): changes may have been missed, claims will tell again. */
  clearDeferrals(): void {
    this.deferrals.clear();
  }

  /**
   * The plan as a snapshot at `now` — of every campaign, or only of `only` (what
   * a refresh just read) — with deferrals still ahead applied, those passed dropped.
   */
  snapshot(now: Date, only?: Iterable<string>): PlanSnapshot {
    if (!this.totals) throw new Error('the campaign plan has not been read yet');
    for (const [id, until] of this.deferrals) if (until <= now) this.deferrals.delete(id);
    const campaigns: CampaignPlanRow[] = [];
    const rows = only ? [...only].map((id) => this.rows.get(id)).filter((r) => r !== undefined) : this.rows.values();
    for (const row of rows) {
      const until = this.deferrals.get(row.id);
      campaigns.push(until ? deferred(row, until) : row);
    }
    return { ...this.totals, campaigns };
  }
}

function totalsOf(s: PlanTotals): PlanTotals {
  return {
    directEarliestDueAt: s.directEarliestDueAt, inFlightTotal: s.inFlightTotal,
    earliestResultDeadline: s.earliestResultDeadline, earliestResendAt: s.earliestResendAt,
  };
}

function deferred(row: CampaignPlanRow, until: Date): CampaignPlanRow {
  return { ...row, pending: row.pending.map((p) => (p.earliestDueAt < until ? { ...p, earliestDueAt: until } : p)) };
}
