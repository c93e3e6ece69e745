// Scheduler routes: the status the dashboard polls (the seed's shape plus the
// worker's state), a manual reload (NOTIFY `reload` + doorbell), and the plan
// preview. `wakeplan status` and `wakeplan plan` print the same data, computed
// by the same functions (scheduler/).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../deps.ts';
import { previewPlan } from '../scheduler/plan-preview.ts';
import { Envelope, ok } from '../schemas/common.ts';
import { statusFreshness } from '../scheduler/status-freshness.ts';
import { PlanPreview, PlanQuery, ReloadResult, SchedulerStatus } from '../schemas/scheduler.ts';

export const schedulerRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get('/api/scheduler/status', {
    config: { etag: statusFreshness },
    schema: {
      operationId: 'getSchedulerStatus',
      summary: 'When the database will next be woken, and what the worker is doing',
      description: 'The next wake (computed from the campaigns, never copied from the worker), the active campaigns, '
        + 'and the worker\'s state: live from its /health, else as it last published it. Cached for a few seconds. '
        + 'Poll it with `If-None-Match`: an unchanged status is a 304, answered without the database when possible.',
      tags: ['scheduler'],
      response: { 200: Envelope(SchedulerStatus) },
    },
  }, async () => ok(await deps.status.get(deps.now())));

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
      description: 'For the next `days` days: when the worker will wake and why, and each active campaign\'s open windows.',
      tags: ['scheduler'],
      querystring: PlanQuery,
      response: { 200: Envelope(PlanPreview) },
    },
  }, async (request) => ok(await previewPlan(deps.sql, deps.now(), request.query.days ?? 7)));
};
