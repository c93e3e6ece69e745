// Scheduler routes: the status the dashboard polls (the seed's shape plus the
// worker's state), a manual reload (NOTIFY `reload` + doorbell), and the plan
// preview. `wakeplan status` and `wakeplan plan` print the same data, computed
// by the same functions (scheduler/).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../deps.ts';
import { previewPlan } from '../scheduler/plan-preview.ts';
import { Envelope, ErrorResponses, ok } from '../schemas/common.ts';
import { PlanPreview, PlanQuery, ReloadResult, SchedulerStatus } from '../schemas/scheduler.ts';

export const schedulerRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get('/api/scheduler/status', {
    schema: {
      summary: 'When the database will next be woken, and what the worker is doing',
      tags: ['scheduler'],
      response: { 200: Envelope(SchedulerStatus), ...ErrorResponses },
    },
  }, async () => ok(await deps.status.get(deps.now())));

  app.post('/api/scheduler/reload', {
    schema: {
      summary: 'Ask the worker for a full resync (NOTIFY reload + doorbell)',
      tags: ['scheduler'],
      response: { 200: Envelope(ReloadResult), ...ErrorResponses },
    },
  }, async (request) => {
    const at = deps.now();
    await deps.planWriter.write('reload', at, async () => ({ result: null, notify: {} }), request.id);
    return ok({ notified: true as const, at: at.toISOString() });
  });

  app.get('/api/scheduler/plan', {
    schema: {
      summary: 'The coming wakes and each active campaign\'s open windows',
      tags: ['scheduler'],
      querystring: PlanQuery,
      response: { 200: Envelope(PlanPreview), ...ErrorResponses },
    },
  }, async (request) => ok(await previewPlan(deps.sql, deps.now(), request.query.days ?? 7)));
};
