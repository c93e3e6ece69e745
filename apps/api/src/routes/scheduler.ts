// Scheduler routes: the status the dashboard polls (the seed's shape plus the
// worker's state), a manual reload (NOTIFY `reload` + doorbell), and the plan
// preview. `wakeplan status` and `wakeplan plan` print the same data, computed
// by the same functions (scheduler/).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../deps.ts';
import { previewPlan, PREVIEW_PAGE_DEFAULT } from '../scheduler/plan-preview.ts';
import { STATUS_PAGE_DEFAULT } from '../scheduler/status.ts';
import { Envelope, ok } from '../schemas/common.ts';
import { statusFreshness } from '../scheduler/status-freshness.ts';
import { PlanPreview, PlanQuery, ReloadResult, SchedulerStatus, StatusQuery } from '../schemas/scheduler.ts';

export const schedulerRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get('/api/scheduler/status', {
    config: { etag: statusFreshness },
    schema: {
      operationId: 'getSchedulerStatus',
      summary: 'When the database will next be woken, and what the worker is doing',
      description: 'The next wake (computed from the campaigns, never copied from the worker), the active campaigns, '
        + 'and the worker\'s state: live from its /health, else as it last published it. Cached for half a second. '
        + 'Poll it with `If-None-Match`: an unchanged status is a 304, answered without the database when possible. '
        + 'Bounded: counts, the next wakes, and one page of the tracked campaigns (soonest due first; '
        + '`campaignsTotal` says how many there are; page with `campaigns_limit` and `campaigns_offset`).',
      tags: ['scheduler'],
      querystring: StatusQuery,
      response: { 200: Envelope(SchedulerStatus) },
    },
  }, async (request) => ok(await deps.status.get(deps.now(), {
    limit: request.query.campaigns_limit ?? STATUS_PAGE_DEFAULT, offset: request.query.campaigns_offset ?? 0,
  })));

  app.post('/api/scheduler/reload', {
    schema: {
      operationId: 'reloadScheduler',
      summary: 'Ask the worker for a full resync (NOTIFY reload + doorbell)',
      description: 'Sends NOTIFY `reload` and rings the worker\'s doorbell: the worker re-reads its whole plan. '
        + 'Never needed in normal use (every write already tells it); useful after editing the database by hand.',
      tags: ['scheduler'],
      response: { 200: Envelope(ReloadResult) },
    },
  }, async (request) => {
    const at = deps.now();
    await deps.planWriter.write('reload', at, async () => ({ result: null, notify: {} }), request.id);
    return ok({ notified: true as const, at: at.toISOString() });
  });

  app.get('/api/scheduler/plan', {
    schema: {
      operationId: 'previewSchedulerPlan',
      summary: 'The coming wakes and each active campaign\'s open windows',
      description: 'For the next `days` days: when the worker will wake and why, and the open windows and wakes of one page '
        + 'of the active campaigns (oldest first; `limit`, `offset`; `campaigns_total` counts them all). '
        + '`next_wake` and `due_now` cover every campaign.',
      tags: ['scheduler'],
      querystring: PlanQuery,
      response: { 200: Envelope(PlanPreview) },
    },
  }, async (request) => ok(await previewPlan(deps.sql, deps.now(), request.query.days ?? 7, {
    limit: request.query.limit ?? PREVIEW_PAGE_DEFAULT, offset: request.query.offset ?? 0,
  }, deps.plan)));
};
