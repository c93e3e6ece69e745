// The API description: OpenAPI 3 generated from the route schemas, served at
// /openapi.json, with a browsable UI at /docs. Both are public (no token), and
// neither touches the database. Bearer auth is the document's default; a route
// that is public says `security: []` in its own schema. Every tag a route uses
// is declared here (the API test checks it).
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { makeRoutesPublic } from './auth.ts';

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
        { name: 'provider', description: 'call outcomes posted by the telephony provider (HMAC-signed)' },
        { name: 'health', description: 'liveness' },
      ],
    },
  });
  await app.register(async (docs) => {
    makeRoutesPublic(docs);
    await docs.register(swaggerUi, { routePrefix: '/docs' });
  });
  app.get('/openapi.json', {
    config: { public: true },
    schema: { hide: true, response: { 200: Type.Object({}, { additionalProperties: true }) } },
  }, async () => app.swagger());
}
