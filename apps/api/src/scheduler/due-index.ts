// The tracked campaigns in "soonest due first" order, kept incrementally (issue
// 11): for each campaign of the API's plan copy (plan-follower.ts) its next due
// instant — schedule-core's nextCampaignDue of the campaign as the worker would
// plan it (dispatchablePlanCampaign: caps and pacing applied) — computed once and
// kept until the campaign changes or that instant comes, in one array sorted by
// (due, id), never-due last. A status request costs O(changed + due now + page),
// not O(campaigns).
//
// Why a kept value stays right: a campaign's next due ≥ t is the first instant
// ≥ t at which one of its pending groups is due and callable; for every later t'
// up to that instant the answer is the same. So an entry computed at `at` with
// due D holds for every instant in [at, D); at D (or later) it is due now, and it
// is evaluated again at every instant until it is no longer due (the worker dials
// it, or its window closes). "Never" holds for ever when nothing is pending (at its
// cap, nothing queued: only a change of the row, which is marked, alters that); a
// campaign with pending work but nothing callable within schedule-core's search
// horizon is looked at again a day later (NEVER_RECHECK_MS), as that horizon moves.
//
// Invariants: instants only go forward (`advance` refuses to go back: the caller
// rebuilds); ids compare by code unit (UUIDs: the same order as the status page
// always showed); a campaign schedule-core cannot plan (a bad stored zone) is
// "never due", as before. Memory: one small entry per tracked campaign.
import { dispatchablePlanCampaign, type CampaignPlanRow } from '@wakeplan/db';
import { nextCampaignDue, windowLabel } from '@wakeplan/schedule-core';

export interface TrackedCampaign {
  id: string;
  window: string;
  inFlight: number;
  /** When its queued work may next be dialed (caps and pacing applied); null when not before an outcome or never. */
  nextDueAt: string | null;
}

interface Entry {
  readonly id: string;
  readonly window: string;
  readonly inFlight: number;
  /** The next due instant (ms) as of `at`; Infinity: never. */
  readonly due: number;
  readonly at: number;
}

type RowOf = (id: string) => CampaignPlanRow | undefined;

const NEVER_RECHECK_MS = 86_400_000;
/** Above this share of the entries changed at once, re-sorting beats moving entries one by one. */
const RESORT_SHARE = 1 / 8;

export class DueIndex {
  private order: Entry[] = [];
  private readonly byId = new Map<string, Entry>();
  /** Campaigns schedule-core refused (a bad zone): "never due" here, but the wake plan still sees their valid groups. */
  private readonly unplannable = new Set<string>();
  /** Never-due entries with pending work, to look at again (FIFO: instants only go forward). */
  private recheck: { entry: Entry; at: number }[] = [];
  private instant = -Infinity;

  /** The instant the entries were last brought to. */
  get at(): number {
    return this.instant;
  }

  get size(): number {
    return this.order.length;
  }

  /** Every campaign of `rows`, evaluated at `at`. */
  rebuild(rows: Iterable<CampaignPlanRow>, at: number): void {
    this.byId.clear();
    this.unplannable.clear();
    this.recheck = [];
    this.instant = at;
    for (const row of rows) this.byId.set(row.id, this.evaluate(row, at));
    this.order = [...this.byId.values()].sort(compare);
  }

  /**
   * Brings the index to `at` (≥ its instant): the campaigns in `changed` (`rowOf`
   * answers undefined: no longer tracked) and those whose due instant has come
   * are evaluated again, at `at`.
   */
  advance(at: number, rowOf: RowOf, changed: Iterable<string> = []): void {
    if (at < this.instant) throw new RangeError(`the due index is at ${this.instant}, cannot go back to ${at}`);
    this.instant = at;
    const again = [...changed];
    for (const e of this.order) {
      if (e.due > at) break;
      if (e.at < at) again.push(e.id);
    }
    while (this.recheck.length > 0 && this.recheck[0]!.at <= at) {
      const { entry } = this.recheck.shift()!;
      if (this.byId.get(entry.id) === entry) again.push(entry.id);
    }
    if (again.length > 0) this.replace(again, rowOf);
  }

  /** One page of the order. */
  page(offset: number, limit: number): TrackedCampaign[] {
    return this.order.slice(offset, offset + limit).map(tracked);
  }

  /** The first `n` campaigns with a due instant. */
  nextWakes(n: number): { at: string; campaignId: string }[] {
    const wakes: { at: string; campaignId: string }[] = [];
    for (const e of this.order) {
      if (wakes.length >= n || e.due === Infinity) break;
      wakes.push({ at: new Date(e.due).toISOString(), campaignId: e.id });
    }
    return wakes;
  }

  /**
   * The campaigns that decide the wake plan at the index's instant, in order:
   * every one due now, then the first due after it. Any other campaign is due
   * no earlier than that one and comes after it, so it cannot be the next wake
   * (the wake plan gives a tie to the campaign it was given first) — except one
   * schedule-core refused part of, whose other groups the wake plan still offers
   * (as it did over the whole plan): those come last, by id.
   */
  head(): string[] {
    const ids: string[] = [];
    let i = 0;
    while (i < this.order.length && this.order[i]!.due <= this.instant) ids.push(this.order[i++]!.id);
    const after = this.order[i];
    if (after && after.due !== Infinity) ids.push(after.id);
    return [...ids, ...[...this.unplannable].sort()];
  }

  private replace(ids: string[], rowOf: RowOf): void {
    const changed = new Set(ids);
    const resort = changed.size > this.order.length * RESORT_SHARE;
    const fresh: Entry[] = [];
    for (const id of changed) {
      const old = this.byId.get(id);
      this.unplannable.delete(id);
      if (old) {
        this.byId.delete(id);
        if (!resort) this.order.splice(position(this.order, old), 1);
      }
      const row = rowOf(id);
      if (!row) continue;
      const entry = this.evaluate(row, this.instant);
      this.byId.set(id, entry);
      fresh.push(entry);
    }
    if (resort) {
      this.order = [...this.byId.values()].sort(compare);
      return;
    }
    for (const entry of fresh) this.order.splice(position(this.order, entry), 0, entry);
  }

  private evaluate(row: CampaignPlanRow, at: number): Entry {
    let due = Infinity;
    let plannable = true;
    const campaign = dispatchablePlanCampaign(row);
    try {
      due = nextCampaignDue(campaign, new Date(at))?.getTime() ?? Infinity;
    } catch {
      plannable = false;
      this.unplannable.add(row.id);
    }
    const entry: Entry = { id: row.id, window: windowLabel(row.window), inFlight: row.inFlight, due, at };
    if (due === Infinity && plannable && campaign.pending.length > 0) this.recheck.push({ entry, at: at + NEVER_RECHECK_MS });
    return entry;
  }
}

function compare(a: Entry, b: Entry): number {
  if (a.due !== b.due) return a.due < b.due ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The index of the first entry not before `e` (binary search). */
function position(order: Entry[], e: Entry): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(order[mid]!, e) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function tracked(e: Entry): TrackedCampaign {
  return { id: e.id, window: e.window, inFlight: e.inFlight, nextDueAt: e.due === Infinity ? null : new Date(e.due).toISOString() };
}
