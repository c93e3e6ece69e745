// The API description: OpenAPI 3 generated from the route schemas, served at
// /openapi.json, with a browsable UI at /docs. Both are public (no token), and
// neither touches the database.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Wakeplan API',
        version: '0.1.0',
        description: 'Outbound call campaigns on a wake plan. Every response is { success, data } or { success: false, error: { code, message, details } }.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
      tags: [
        { name: 'campaigns', description: 'campaigns and their contacts' },
        { name: 'calls', description: 'direct calls' },
        { name: 'scheduler', description: 'wake plan and worker state' },
        { name: 'health', description: 'liveness' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', {
    schema: { hide: true, response: { 200: Type.Object({}, { additionalProperties: true }) } },
  }, async () => app.swagger());
}
