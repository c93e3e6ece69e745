// `wakeplan status [--json]`: the same data as GET /api/scheduler/status, computed
// by the same function (apps/api scheduler/status.ts) from the database, with
// the worker's live /health when its doorbell URL answers. User activity lives in
// the API's memory, so the CLI reports isUserActive as false.
import { computeSchedulerStatus, type SchedulerStatus } from '@wakeplan/api/scheduler';
import { probeWorkerHealth, workerBaseUrl } from '@wakeplan/api/worker-link';
import type { CliContext } from '../context.ts';

export async function runStatus(ctx: CliContext, o: { json?: boolean; now?: Date }): Promise<SchedulerStatus> {
  const liveWorker = await probeWorkerHealth(workerBaseUrl(ctx.config.workerWakeUrl));
  const status = await ctx.withDatabase(({ sql }) => computeSchedulerStatus(sql, o.now ?? new Date(), { liveWorker, isUserActive: false }));
  if (o.json) {
    ctx.out(JSON.stringify(status));
    return status;
  }
  ctx.out(status.message);
  ctx.out(`now ${status.currentTime}; next wake ${status.nextWakeTime ?? 'none planned'}${status.nextWakeReason ? ` (${status.nextWakeReason})` : ''}`);
  ctx.out(`worker: ${status.workerState} (${status.workerStateSource}${status.workerStateAgeSeconds !== null ? `, ${status.workerStateAgeSeconds} s old` : ''}); ${status.callsInFlight} calls in flight; ${status.directCallsQueued} direct calls queued`);
  ctx.out(`${status.campaignCount} active campaign${status.campaignCount === 1 ? '' : 's'}`);
  for (const c of status.campaigns) {
    ctx.out(`  ${c.name} [${c.window}] ${c.queuedCount} queued, ${c.inFlight} in flight, next due ${c.nextDueAt ?? '—'}`);
  }
  return status;
}
