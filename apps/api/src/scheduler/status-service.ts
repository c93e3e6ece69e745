// The scheduler status for `GET /api/scheduler/status`, from the API's kept copy
// of the plan (plan-follower.ts: caught up on change marks per request), cached
// for CATCH_UP_INTERVAL_MS per page so a room full of dashboards costs one
// catch-up and one page read each half second, and asked of the worker's
// /health (≈500 ms at most) before falling back to what it published.
//
// Invariants: nothing here runs on a timer — the database is read only when a
// request asks and the cache is cold; concurrent requests share one computation;
// a plan-changing write through this API drops the cache at once and makes the
// next answer catch up; a failed computation is not cached.
import type { Sql } from '@wakeplan/db';
import type { UserActivity } from '../plugins/activity.ts';
import { probeWorkerHealth } from '../worker-link/worker-health.ts';
import { CATCH_UP_INTERVAL_MS, type PlanFollower } from './plan-follower.ts';
import { computeSchedulerStatus, STATUS_PAGE_DEFAULT, type SchedulerStatus, type StatusPage } from './status.ts';

const STATUS_CACHE_MS = CATCH_UP_INTERVAL_MS;
const WORKER_HEALTH_TIMEOUT_MS = 500;
const MAX_CACHED_PAGES = 20;

export interface StatusService {
  get(at: Date, page?: StatusPage): Promise<SchedulerStatus>;
  invalidate(): void;
}

export function createStatusService(options: {
  sql: Sql;
  plan: PlanFollower;
  workerBaseUrl: string | undefined;
  activity: UserActivity;
  cacheMs?: number;
}): StatusService {
  const cacheMs = options.cacheMs ?? STATUS_CACHE_MS;
  // One entry per page asked for; a few pages at most are in use at once.
  const cached = new Map<string, { computedAt: number; value: Promise<SchedulerStatus> }>();

  async function compute(at: Date, page: StatusPage): Promise<SchedulerStatus> {
    const liveWorker = probeWorkerHealth(options.workerBaseUrl, WORKER_HEALTH_TIMEOUT_MS); // asked while the plan is read
    return computeSchedulerStatus(options.sql, at, { liveWorker, isUserActive: options.activity.isActive(at), page, plan: options.plan });
  }

  return {
    async get(at, page = { limit: STATUS_PAGE_DEFAULT, offset: 0 }) {
      const key = `${page.limit}:${page.offset}`;
      const hit = cached.get(key);
      const fresh = hit && at.getTime() - hit.computedAt >= 0 && at.getTime() - hit.computedAt < cacheMs;
      if (!fresh) {
        if (cached.size >= MAX_CACHED_PAGES) cached.clear();
        const entry = { computedAt: at.getTime(), value: compute(at, page) };
        cached.set(key, entry);
        entry.value.catch(() => {
          if (cached.get(key) === entry) cached.delete(key);
        });
      }
      const status = await cached.get(key)!.value;
      return { ...status, isUserActive: options.activity.isActive(at) };
    },
    invalidate() {
      cached.clear();
      options.plan.invalidate();
    },
  };
}
