// GET /health: the process is up. Never touches the database, so a platform
// health check can poll it forever while the database sleeps. Public.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Envelope, ok } from '../schemas/common.ts';
import { Health } from '../schemas/scheduler.ts';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    // Exempt from rate limiting: a load balancer or an uptime monitor polling it must never crowd out the API (or be refused).
    config: { public: true, rateLimit: false },
    schema: {
      operationId: 'getHealth',
      summary: 'Liveness (no database access)',
      description: 'Answers 200 while the process runs; never touches the database, so it can be polled forever while the '
        + 'database sleeps. No token, no rate limit.',
      tags: ['health'],
      security: [],
      response: { 200: Envelope(Health) },
    },
  }, async () => ok({ status: 'ok' as const, service: 'wakeplan-api' as const, uptime_seconds: Math.floor(process.uptime()) }));
};
