// GET /health: the process is up. Never touches the database, so a platform
// health check can poll it forever while the database sleeps. Public.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Envelope, ok } from '../schemas/common.ts';
import { Health } from '../schemas/scheduler.ts';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    config: { public: true },
    schema: { summary: 'Liveness (no database access)', tags: ['health'], security: [], response: { 200: Envelope(Health) } },
  }, async () => ok({ status: 'ok' as const, service: 'wakeplan-api' as const, uptime_seconds: Math.floor(process.uptime()) }));
};
