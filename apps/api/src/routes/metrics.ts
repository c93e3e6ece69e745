// GET /metrics: the API's Prometheus metrics (metrics/api-metrics.ts), in the
// text exposition format. Behind METRICS_TOKEN (Bearer) when it is set, open
// otherwise; not behind API_TOKENS, not rate limited, not in the API
// description (it is for Prometheus, not for clients). Never touches the database.
import type { FastifyInstance } from 'fastify';
import { createBearerMatcher } from '@wakeplan/contract';
import type { ApiMetrics } from '../metrics/api-metrics.ts';

export async function metricsRoutes(app: FastifyInstance, options: { metrics: ApiMetrics; token: string | undefined }): Promise<void> {
  const authorised = createBearerMatcher(options.token ? [options.token] : []);
  app.get('/metrics', { config: { public: true, rateLimit: false }, schema: { hide: true } }, async (request, reply) => {
    if (options.token && authorised(request.headers.authorization) === null) {
      void reply.header('www-authenticate', 'Bearer');
      return reply.unauthorized('GET /metrics needs "Authorization: Bearer <METRICS_TOKEN>"');
    }
    const text = await options.metrics.registry.metrics();
    return reply.type(options.metrics.registry.contentType).send(text);
  });
}
