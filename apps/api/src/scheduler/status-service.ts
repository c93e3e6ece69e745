// The scheduler status for `GET /api/scheduler/status`, cached for a few
// seconds so a room full of dashboards costs one plan read, and asked of the
// worker's /health (≈500 ms at most) before falling back to what it published.
//
// Invariants: nothing here runs on a timer — the database is read only when a
// request asks and the cache is cold; concurrent requests share one computation;
// a plan-changing write through this API drops the cache at once; a failed
// computation is not cached.
import type { Sql } from '@wakeplan/db';
import type { UserActivity } from '../plugins/activity.ts';
import { probeWorkerHealth } from '../worker-link/worker-health.ts';
import { computeSchedulerStatus, type SchedulerStatus } from './status.ts';

const STATUS_CACHE_MS = 3000;
const WORKER_HEALTH_TIMEOUT_MS = 500;

export interface StatusService {
  get(at: Date): Promise<SchedulerStatus>;
  invalidate(): void;
}

export function createStatusService(options: {
  sql: Sql;
  workerBaseUrl: string | undefined;
  activity: UserActivity;
  cacheMs?: number;
}): StatusService {
  const cacheMs = options.cacheMs ?? STATUS_CACHE_MS;
  let cached: { computedAt: number; value: Promise<SchedulerStatus> } | null = null;

  async function compute(at: Date): Promise<SchedulerStatus> {
    const liveWorker = await probeWorkerHealth(options.workerBaseUrl, WORKER_HEALTH_TIMEOUT_MS);
    return computeSchedulerStatus(options.sql, at, { liveWorker, isUserActive: options.activity.isActive(at) });
  }

  return {
    async get(at) {
      const fresh = cached && at.getTime() - cached.computedAt >= 0 && at.getTime() - cached.computedAt < cacheMs;
      if (!fresh) {
        const entry = { computedAt: at.getTime(), value: compute(at) };
        cached = entry;
        entry.value.catch(() => {
          if (cached === entry) cached = null;
        });
      }
      const status = await cached!.value;
      return { ...status, isUserActive: options.activity.isActive(at) };
    },
    invalidate() {
      cached = null;
    },
  };
}
