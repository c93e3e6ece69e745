// GET /api/scheduler/activity: when Wakeplan kept the database awake, from the
// activity ledger, against the polling baseline (activity/activity-service.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ActivityService } from '../activity/activity-service.ts';
import { ActivityQuery, ActivityReport } from '../schemas/activity.ts';
import { Envelope, ok } from '../schemas/common.ts';

export const activityRoutes: FastifyPluginAsyncTypebox<{ activity: ActivityService }> = async (app, deps) => {
  app.get('/api/scheduler/activity', {
    schema: {
      operationId: 'getSchedulerActivity',
      summary: 'When the database was awake because of Wakeplan, and what polling would have cost',
      description: 'The activity ledger of the last `days` days (the worker\'s wakes, the API\'s bursts of requests), the '
        + 'database\'s modelled awake time from it (Neon: awake from any statement or new connection until '
        + 'NEON_SUSPEND_MINUTES pass with neither — the model `wakeplan simulate` uses), the polling baseline for the same '
        + 'period, and the hours and cost saved at NEON_CU_HOUR_PRICE × NEON_COMPUTE_UNITS. It cannot see other clients '
        + 'of the same database (`cannot_see`). A dashboard polling it does not wake the database: the ledger is re-read '
        + 'only when something may have written to it.',
      tags: ['scheduler'],
      querystring: ActivityQuery,
      response: { 200: Envelope(ActivityReport) },
    },
  }, async (request) => ok(await deps.activity.report(request.query.days ?? 7)));
};
