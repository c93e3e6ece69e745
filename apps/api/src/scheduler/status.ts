// `GET /api/scheduler/status` and `wakeplan status`: the seed's status shape
// (camelCase, DESIGN.md §5) plus what the worker is doing.
//
// Bounded (issue 11): counts, the next few wakes, and ONE page of the tracked
// campaigns (soonest due first; `campaignsTotal` says how many there are), with
// names and queued counts read for that page only.
//
// Invariants: nextWakeTime is computed here, with schedule-core, from the same
// plan snapshot and mapping the worker uses — never copied from the worker, so
// it is never stale. Time is the caller's `at`; nothing reads the clock. Worker
// facts come from the caller (a live /health answer) or, failing that, from the
// state the worker last published.
import { dispatchablePlanCampaign, planInputFromSnapshot, readPlanSnapshot, type CampaignPlanRow, type Queryable } from '@wakeplan/db';
import { computeWakePlan, nextCampaignDue, windowLabel } from '@wakeplan/schedule-core';
import { readPublishedWorkerState } from '../repositories/worker-state.ts';
import { UNKNOWN_WORKER, type WorkerObservation, type WorkerStateSource } from '../worker-link/worker-health.ts';
import { directQueuedCount, queuedCounts } from './queued-counts.ts';
import { describeSchedulerStatus } from './status-message.ts';

interface StatusCampaign {
  id: string;
  name: string;
  window: string;
  queuedCount: number;
  inFlight: number;
  /** When its queued work may next be dialed (caps and pacing applied); null when not before an outcome or never. */
  nextDueAt: string | null;
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
  /** The worker's live /health answer, or null when it did not answer. */
  liveWorker: WorkerObservation | null;
  isUserActive: boolean;
  page?: StatusPage;
}

export const STATUS_PAGE_DEFAULT = 50;
export const STATUS_PAGE_MAX = 200;
const NEXT_WAKES = 10;

export async function computeSchedulerStatus(sql: Queryable, at: Date, options: SchedulerStatusOptions): Promise<SchedulerStatus> {
  const page = options.page ?? { limit: STATUS_PAGE_DEFAULT, offset: 0 };
  const [snapshot, activeCount, directQueued, published] = await Promise.all([
    readPlanSnapshot(sql),
    countActive(sql),
    directQueuedCount(sql),
    options.liveWorker ? Promise.resolve(null) : readPublishedWorkerState(sql, at),
  ]);
  const tracked = trackedCampaigns(snapshot.campaigns, at);
  const listed = tracked.slice(page.offset, page.offset + page.limit);
  const ids = listed.map((c) => c.id);
  const [names, counts] = await Promise.all([campaignNames(sql, ids), queuedCounts(sql, ids)]);
  const worker = options.liveWorker ?? published ?? UNKNOWN_WORKER;
  const plan = computeWakePlan(planInputFromSnapshot(snapshot), at);
  const dueNow = plan.dueNowCampaignIds.length > 0 || plan.directCallsDueNow || plan.deadlinePassed;
  const nextWake = dueNow ? at : plan.nextWake?.at ?? null;
  const msUntilWake = nextWake ? Math.max(0, nextWake.getTime() - at.getTime()) : null;
  const callsInFlight = worker.source === 'live' && worker.callsInFlight !== null ? worker.callsInFlight : snapshot.inFlightTotal;
  return {
    currentTime: at.toISOString(),
    nextWakeTime: nextWake?.toISOString() ?? null,
    minutesUntilWake: msUntilWake === null ? null : Math.ceil(msUntilWake / 60_000),
    nextWakeReason: dueNow ? 'due_now' : plan.nextWake?.reason ?? null,
    campaignCount: activeCount,
    isProcessing: worker.state === 'dispatching' || callsInFlight > 0,
    isUserActive: options.isUserActive,
    workerState: worker.state,
    workerStateSource: worker.source,
    workerStateAgeSeconds: worker.ageSeconds,
    callsInFlight,
    directCallsQueued: directQueued,
    workerCounters: worker.counters,
    nextWakes: tracked.filter((c) => c.nextDueAt !== null).slice(0, NEXT_WAKES).map((c) => ({ at: c.nextDueAt!, campaignId: c.id })),
    campaignsTotal: tracked.length,
    campaignsOffset: page.offset,
    campaigns: listed.map(({ id, ...rest }) => ({ id, name: names.get(id) ?? '', queuedCount: counts.get(id) ?? 0, ...rest })),
    message: describeSchedulerStatus({ workerState: worker.state, callsInFlight, dueNow, msUntilWake }),
  };
}

/** The campaigns the scheduler is tracking (queued or in-flight work), soonest due first (never-due last, then by id). */
function trackedCampaigns(rows: CampaignPlanRow[], at: Date): Omit<StatusCampaign, 'name' | 'queuedCount'>[] {
  const listed = rows.map((row) => {
    const nextDue = safeNextDue(row, at);
    return { id: row.id, window: windowLabel(row.window), inFlight: row.inFlight, nextDueAt: nextDue?.toISOString() ?? null };
  });
  const key = (c: { nextDueAt: string | null }) => c.nextDueAt ?? '~';
  return listed.sort((a, b) => key(a).localeCompare(key(b)) || a.id.localeCompare(b.id));
}

async function campaignNames(sql: Queryable, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<{ id: string; name: string }[]>`select id, name from campaigns where id = any(${ids}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function countActive(sql: Queryable): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from campaigns where status = 'active'`;
  return row?.n ?? 0;
}

/** A campaign schedule-core cannot plan (a bad stored zone) shows no due time rather than failing the status. */
function safeNextDue(row: CampaignPlanRow, at: Date): Date | null {
  try {
    return nextCampaignDue(dispatchablePlanCampaign(row), at);
  } catch {
    return null;
  }
}
