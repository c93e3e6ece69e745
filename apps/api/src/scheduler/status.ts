// `GET /api/scheduler/status` and `wakeplan status`: the seed's status shape
// (camelCase, DESIGN.md §5) plus what the worker is doing.
//
// Bounded (issue 11): counts, the next few wakes, and ONE page of the tracked
// campaigns (soonest due first; `campaignsTotal` says how many there are), with
// names and queued counts read for that page only.
//
// Cost (issue 11): the plan comes from the API's own copy (plan-follower.ts),
// caught up on the campaigns marked changed since the last request, with the
// due order kept incrementally (due-index.ts): O(changed + page), not
// O(campaigns). `wakeplan status` (no copy kept) reads the plan whole, once.
//
// Invariants: nextWakeTime is computed here, with schedule-core, from the API's
// own copy of the plan — the same rows and mapping the worker uses, caught up on
// every request (or shared with one at most CATCH_UP_INTERVAL_MS earlier) —
// never copied from the worker. Time is the caller's `at` (or, for a request
// overtaken by a concurrent one, that one's instant, under a second later:
// plan-follower.ts); nothing reads the clock. Worker facts come from the caller
// (a live /health answer) or, failing that, from the state the worker last
// published.
import type { Queryable } from '@wakeplan/db';
import { readPublishedWorkerState } from '../repositories/worker-state.ts';
import { UNKNOWN_WORKER, type WorkerObservation, type WorkerStateSource } from '../worker-link/worker-health.ts';
import type { TrackedCampaign } from './due-index.ts';
import { PlanFollower } from './plan-follower.ts';
import { directQueuedCount, queuedCounts } from './queued-counts.ts';
import { describeSchedulerStatus } from './status-message.ts';

interface StatusCampaign extends TrackedCampaign {
  name: string;
  queuedCount: number;
}

export interface SchedulerStatus {
  currentTime: string;
  nextWakeTime: string | null;
  minutesUntilWake: number | null;
  nextWakeReason: string | null;
  campaignCount: number;
  isProcessing: boolean;
  isUserActive: boolean;
  workerState: string;
  workerStateSource: WorkerStateSource;
  workerStateAgeSeconds: number | null;
  callsInFlight: number;
  directCallsQueued: number;
  workerCounters: Record<string, number> | null;
  /** The next wakes, soonest first (at most NEXT_WAKES): which campaign, when. */
  nextWakes: { at: string; campaignId: string }[];
  /** Campaigns the scheduler tracks (queued work or calls in flight); `campaigns` is one page of them. */
  campaignsTotal: number;
  campaignsOffset: number;
  campaigns: StatusCampaign[];
  message: string;
}

export interface StatusPage {
  limit: number;
  offset: number;
}

export interface SchedulerStatusOptions {
  /** The worker's live /health answer, or null when it did not answer (or still to come: asked while the plan is read). */
  liveWorker: WorkerObservation | null | Promise<WorkerObservation | null>;
  isUserActive: boolean;
  page?: StatusPage;
  /** The API's kept copy of the plan; without one (the CLI), the plan is read whole for this answer. */
  plan?: PlanFollower;
}

export const STATUS_PAGE_DEFAULT = 50;
export const STATUS_PAGE_MAX = 200;
const NEXT_WAKES = 10;

export async function computeSchedulerStatus(sql: Queryable, requested: Date, options: SchedulerStatusOptions): Promise<SchedulerStatus> {
  const page = options.page ?? { limit: STATUS_PAGE_DEFAULT, offset: 0 };
  const follower = options.plan ?? new PlanFollower(sql);
  const live = Promise.resolve(options.liveWorker);
  const [view, directQueued, liveWorker, published] = await Promise.all([
    follower.view(requested, { ...page, nextWakes: NEXT_WAKES }),
    directQueuedCount(sql),
    live,
    live.then((w) => (w ? null : readPublishedWorkerState(sql, requested))),
  ]);
  const at = view.at;
  const ids = view.page.map((c) => c.id);
  const [names, counts] = await Promise.all([campaignNames(sql, ids), queuedCounts(sql, ids)]);
  const worker = liveWorker ?? published ?? UNKNOWN_WORKER;
  const plan = view.wake;
  const dueNow = plan.dueNowCampaignIds.length > 0 || plan.directCallsDueNow || plan.deadlinePassed;
  const nextWake = dueNow ? at : plan.nextWake?.at ?? null;
  const msUntilWake = nextWake ? Math.max(0, nextWake.getTime() - at.getTime()) : null;
  const callsInFlight = worker.source === 'live' && worker.callsInFlight !== null ? worker.callsInFlight : view.totals.inFlightTotal;
  return {
    currentTime: at.toISOString(),
    nextWakeTime: nextWake?.toISOString() ?? null,
    minutesUntilWake: msUntilWake === null ? null : Math.ceil(msUntilWake / 60_000),
    nextWakeReason: dueNow ? 'due_now' : plan.nextWake?.reason ?? null,
    campaignCount: view.activeCount,
    isProcessing: worker.state === 'dispatching' || callsInFlight > 0,
    isUserActive: options.isUserActive,
    workerState: worker.state,
    workerStateSource: worker.source,
    workerStateAgeSeconds: worker.ageSeconds,
    callsInFlight,
    directCallsQueued: directQueued,
    workerCounters: worker.counters,
    nextWakes: view.nextWakes,
    campaignsTotal: view.trackedTotal,
    campaignsOffset: page.offset,
    campaigns: view.page.map(({ id, ...rest }) => ({ id, name: names.get(id) ?? '', queuedCount: counts.get(id) ?? 0, ...rest })),
    message: describeSchedulerStatus({ workerState: worker.state, callsInFlight, dueNow, msUntilWake }),
  };
}

async function campaignNames(sql: Queryable, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<{ id: string; name: string }[]>`select id, name from campaigns where id = any(${ids}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r.name]));
}
