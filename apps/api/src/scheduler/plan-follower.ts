// The API's own copy of the plan (issue 11), for the status and the plan
// preview: one whole read, lazily, when the first request needs it; then, per
// request, a catch-up on the campaigns marked changed since (packages/db
// plan-copy.ts, plan-changes.ts) — which also brings the account-wide totals —
// and the due order kept incrementally (due-index.ts). So a request costs
// O(changed + page), not O(campaigns).
//
// Invariants:
//   * Every answer is computed from a catch-up that started after the request
//     arrived, or at most CATCH_UP_INTERVAL_MS (of the callers' clock) earlier —
//     concurrent requests share one — and after every `invalidate()` (a
//     plan-changing write through this API) the next answer catches up again. So
//     a change committed by anyone (the worker, another API process) shows within
//     that interval; nothing runs on a timer.
//   * Beside the change marks: the whole plan is read again when the last whole
//     read is older than WHOLE_READ_MAX_AGE_MS (hand-made SQL leaves no mark), and
//     when the campaigns table is not the one last read (a TRUNCATE — tests, an
//     operator's reset — changes its file node and deletes rows no mark can name).
//   * The count of active campaigns is kept too: the ids of the active campaigns,
//     read whole once, then the status of each campaign a catch-up names (every
//     status change marks its campaign: the API's writes and the outcome logic).
//   * Memory: one plan row, one due entry and one active id per campaign — about
//     1 kB per tracked campaign (README "Scale"). Above MAX_FOLLOWED_CAMPAIGNS the
//     copy is not kept: each answer comes from a whole read of its own (the cost
//     of the API before issue 11), with a warning in the log.
//   * Time is the callers' `at`. The due order never goes back in time: a request
//     whose `at` is earlier than the last one evaluated by at most
//     MAX_LATE_REQUEST_MS (concurrent requests finishing out of order) is answered
//     at that later instant, and `view.at` says so; further back, it is rebuilt.
import {
  catchUpPlan, PlanCopy, planInputFromSnapshot, readWholePlan,
  type CampaignPlanRow, type PlanTotals, type Queryable,
} from '@wakeplan/db';
import type { Logger } from '@wakeplan/runtime';
import { computeWakePlan, type WakePlan } from '@wakeplan/schedule-core';
import { DueIndex, type TrackedCampaign } from './due-index.ts';

export const CATCH_UP_INTERVAL_MS = 500;
const MAX_FOLLOWED_CAMPAIGNS = 200_000;
const MAX_LATE_REQUEST_MS = 1000;

/** What one request reads; everything in it is computed at `at`. */
export interface PlanView {
  at: Date;
  totals: PlanTotals;
  /** Active campaigns, with or without work. */
  activeCount: number;
  /** schedule-core's wake plan over the whole copy (computed over the campaigns that decide it). */
  wake: WakePlan;
  /** Campaigns with queued work or calls in flight, and one page of them, soonest due first. */
  trackedTotal: number;
  page: TrackedCampaign[];
  /** The first few tracked campaigns with a due instant. */
  nextWakes: { at: string; campaignId: string }[];
  /** A campaign's plan row as the copy holds it now (as fresh as the view, or fresher). */
  row(id: string): CampaignPlanRow | undefined;
}

export interface ViewPage {
  limit: number;
  offset: number;
  nextWakes: number;
}

/**
 * The shared plan copy, noting the campaigns each read replaced for the due
 * order — in the same synchronous step as the change, so a view evaluated in
 * between two steps of a read never sees a row its due order does not know of.
 */
class NotedCopy extends PlanCopy {
  /** Campaigns read since the due index last looked ('all': a whole read). */
  dirty: Set<string> | 'all' = 'all';

  override replaceAll(...args: Parameters<PlanCopy['replaceAll']>): void {
    super.replaceAll(...args);
    this.dirty = 'all';
  }

  override refresh(ids: Iterable<string>, partial: Parameters<PlanCopy['refresh']>[1]): void {
    const read = [...ids];
    super.refresh(read, partial);
    if (this.dirty !== 'all') for (const id of read) this.dirty.add(id);
  }
}

/** What one copy holds; replaced whole when the copy is dropped. */
class Followed {
  readonly copy = new NotedCopy();
  readonly index = new DueIndex();
  active = new Set<string>();
  fileNode: string | null = null;
}

export class PlanFollower {
  private state = new Followed();
  private wanted = 0;
  private done: { generation: number; at: number } | null = null;
  private running: Promise<void> | null = null;
  private warned = false;

  constructor(
    private readonly sql: Queryable,
    private readonly o: { logger?: Logger; maxCampaigns?: number } = {},
  ) {}

  /** A plan-changing write committed: the next view catches up, however recent the last one. */
  invalidate(): void {
    this.wanted++;
  }

  async view(at: Date, page: ViewPage): Promise<PlanView> {
    for (;;) {
      await this.caughtUp(at.getTime());
      const s = this.state;
      if (!s.copy.loaded) continue; // dropped meanwhile (over the cap): read again
      const view = evaluate(s, at.getTime(), page);
      if (s.copy.size > (this.o.maxCampaigns ?? MAX_FOLLOWED_CAMPAIGNS)) this.drop(s);
      return view;
    }
  }

  /** Waits until the copy is fresh enough for `at`, sharing a read under way. */
  private async caughtUp(at: number): Promise<void> {
    for (;;) {
      if (this.running) {
        await this.running;
        continue;
      }
      const d = this.done;
      const fresh = d !== null && d.generation === this.wanted && at >= d.at && at - d.at < CATCH_UP_INTERVAL_MS;
      if (fresh && this.state.copy.loaded) return;
      const generation = this.wanted;
      const reading = this.read(this.state, at).then(() => void (this.done = { generation, at }));
      this.running = reading.finally(() => void (this.running = null));
      await this.running;
      return;
    }
  }

  /** A catch-up, or a whole read when the copy has no watermark or the table was truncated; a read that fails leaves a copy only a whole read will trust. */
  private async read(s: Followed, at: number): Promise<void> {
    try {
      const since = s.copy.watermarkAt(new Date(at));
      if (since !== null && s.fileNode !== null && await this.catchUp(s, since)) return;
      const [node] = await this.sql<{ file_node: string }[]>`select pg_relation_filenode('campaigns')::text as file_node`;
      await readWholePlan(this.sql, s.copy, new Date(at));
      const [active] = await this.sql<{ ids: string[] }[]>`select array(select id from campaigns where status = 'active')::text[] as ids`;
      s.active = new Set(active!.ids);
      s.fileNode = node!.file_node;
    } catch (error) {
      s.copy.forget();
      throw error;
    }
  }

  /** False when the campaigns table is not the one last read (truncated): only a whole read will do. */
  private async catchUp(s: Followed, since: string): Promise<boolean> {
    const ids = await catchUpPlan(this.sql, s.copy, since);
    const [check] = await this.sql<{ file_node: string; active: string[] }[]>`
      select pg_relation_filenode('campaigns')::text as file_node,
             array(select id from campaigns where id = any(${[...ids]}::uuid[]) and status = 'active')::text[] as active`;
    if (check!.file_node !== s.fileNode) return false;
    const active = new Set(check!.active);
    for (const id of ids) {
      if (active.has(id)) s.active.add(id);
      else s.active.delete(id);
    }
    return true;
  }

  /** Over the cap: forget the copy (memory back); the next view reads whole again. */
  private drop(s: Followed): void {
    if (!this.warned) {
      this.o.logger?.warn({ campaigns: s.copy.size, max: this.o.maxCampaigns ?? MAX_FOLLOWED_CAMPAIGNS },
        'too many campaigns to keep a copy of the plan: every status and plan preview reads the whole plan');
      this.warned = true;
    }
    if (this.state === s) this.state = new Followed();
  }
}

/** The view at `at` from a caught-up copy: the due order brought to `at` first (synchronous: nothing moves meanwhile). */
function evaluate(s: Followed, requested: number, page: ViewPage): PlanView {
  const { copy, index } = s;
  const rowOf = (id: string) => copy.get(id);
  const late = requested < index.at;
  const at = late && index.at - requested <= MAX_LATE_REQUEST_MS ? index.at : requested;
  if (copy.dirty === 'all' || at < index.at) index.rebuild(copy.campaigns(), at);
  else index.advance(at, rowOf, copy.dirty);
  copy.dirty = new Set();
  const head = index.head().map((id) => copy.get(id)!);
  const wake = computeWakePlan(planInputFromSnapshot({ ...copy.totals, campaigns: head }), new Date(at));
  return {
    at: new Date(at),
    totals: copy.totals,
    activeCount: s.active.size,
    wake,
    trackedTotal: index.size,
    page: index.page(page.offset, page.limit),
    nextWakes: index.nextWakes(page.nextWakes),
    row: rowOf,
  };
}
