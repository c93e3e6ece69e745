// The worker's in-memory wake plan, keyed by campaign (issue 11): the plan copy
// shared with the API (packages/db plan-copy.ts: rows, totals, watermark) plus
// the worker's claim deferrals. Filled by one full read at start-up (and on
// `reload`, an unreadable NOTIFY, a reconnect), then kept current campaign by campaign — a hint that names a campaign
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
// Catching up (plan change marks, packages/db plan-changes.ts, plan-copy.ts): the
// plan keeps the watermark of its last whole read or catch-up. After a stretch without
// LISTEN (asleep), the worker reads the campaigns marked since that watermark
// and refreshes only them — `catchUp` — instead of reading the whole plan again;
// a plan with no watermark (never read, or forgotten) can only be read whole,
// and one whose last whole read is older than WHOLE_READ_MAX_AGE_MS (plan-copy.ts)
// is read whole again at its next catch-up: a bound on what a write that left no mark
// (an operator's hand-made SQL) can hide.
//
// Invariants: a campaign asked for in a refresh and not returned leaves the plan
// (no queued work, nothing in flight, or not active); memory holds one small
// entry per active campaign with work (no contact data, ~180 bytes: plan-copy.ts),
// so 100,000 campaigns fit in ~18 MB.
import { PlanCopy, type CampaignPlanRow, type PlanSnapshot } from '@wakeplan/db';

export { WHOLE_READ_MAX_AGE_MS } from '@wakeplan/db';

export class CampaignPlan extends PlanCopy {
  private readonly deferrals = new Map<string, Date>();

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
    const totals = this.totals;
    for (const [id, until] of this.deferrals) if (until <= now) this.deferrals.delete(id);
    const campaigns: CampaignPlanRow[] = [];
    const add = (row: CampaignPlanRow) => {
      const until = this.deferrals.get(row.id);
      campaigns.push(until ? deferred(row, until) : row);
    };
    if (only) {
      for (const id of only) {
        const row = this.get(id);
        if (row) add(row);
      }
    } else this.forEachCampaign(add);
    return { ...totals, campaigns };
  }
}

function deferred(row: CampaignPlanRow, until: Date): CampaignPlanRow {
  return { ...row, pending: row.pending.map((p) => (p.earliestDueAt < until ? { ...p, earliestDueAt: until } : p)) };
}
