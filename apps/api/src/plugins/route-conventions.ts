// Conventions applied to every route as it is registered, so no route repeats
// them: a route with response schemas gets the shared error envelope for its
// 4xx and 5xx answers (serialised by schema, so nothing but the envelope leaves),
// and the route's own error statuses (`errorResponses(409)`) stay as declared.
// The API description derives the exact statuses from the rest of the route
// (plugins/openapi-operations.ts).
import type { FastifyInstance } from 'fastify';
import { ErrorEnvelope } from '../schemas/common.ts';

export function applyRouteConventions(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const response = route.schema?.response as Record<string, unknown> | undefined;
    if (!response) return;
    route.schema!.response = { '4xx': ErrorEnvelope, '5xx': ErrorEnvelope, ...response };
  });
}
