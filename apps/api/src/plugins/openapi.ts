// The API description: OpenAPI 3.0 generated from the route schemas, served at
// /openapi.json, with a browsable UI at /docs. Both are public (no token), and
// neither touches the database. Bearer auth is the document's default; a route
// that is public says `security: []` in its own schema. Every tag a route uses
// is declared here (the API test checks it). The document is linted with
// Spectral's spectral:oas rules in CI (`npm run lint:openapi`).
//
// What each route declares is completed by openapi-operations.ts (ids, error
// statuses, headers, multipart encoding) and openapi-named-schemas.ts (titled
// shapes become components/schemas); the conventions are in those files and in
// schemas/common.ts.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { makeRoutesPublic } from './auth.ts';
import { hoistNamedSchemas } from './openapi-named-schemas.ts';
import { completeOperations, describeRoute } from './openapi-operations.ts';

const DESCRIPTION = `Outbound call campaigns on a wake plan: the worker sleeps with no database connection until work is due.

Every response is \`{ "success": true, "data": … }\` or \`{ "success": false, "error": { "code", "message", "details" } }\`:
\`code\` is stable (branch on it), \`message\` is for a person, \`details\` lists \`{ field, message }\` problems (a CSV row's also
carry its \`line\`). Bad input is a 4xx naming the field and the reason, and writes nothing.

- Authentication: \`Authorization: Bearer <token>\` with a token from API_TOKENS, except where an operation says otherwise.
- A method a path does not take answers 405 \`METHOD_NOT_ALLOWED\` with \`Allow\`; an unknown path 404.
- Every response carries \`X-Request-Id\`: yours when you send a sane one, else a new UUID. Quote it when reporting a problem.
- Rate limits: RATE_LIMIT_PER_MINUTE per token (or per address without one), reported in \`X-RateLimit-Limit\`,
  \`-Remaining\` and \`-Reset\` (seconds); past it, 429 with \`Retry-After\`.
- Polled GETs (campaigns, scheduler status) send a weak \`ETag\`: send it back in \`If-None-Match\` and an unchanged
  answer is a 304 with no body.
- Browsers on another origin may call the API when it is listed in CORS_ORIGINS.`;

export interface OpenApiOptions {
  /** The API's public base URL (PUBLIC_URL), else where it listens locally. */
  serverUrl: string;
}

export async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Wakeplan API',
        version: '0.1.0',
        description: DESCRIPTION,
        contact: { name: 'Wakeplan' },
      },
      servers: [{ url: options.serverUrl, description: 'this API' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, headers: HEADERS as never, parameters: PARAMETERS as never },
      security: [{ bearer: [] }],
      tags: [
        { name: 'campaigns', description: 'campaigns and their contacts' },
        { name: 'calls', description: 'direct calls' },
        { name: 'results', description: "what happened to each of a campaign's contacts: pages and the CSV export" },
        { name: 'do-not-call', description: 'numbers never to be dialed, by any campaign or direct call' },
        { name: 'scheduler', description: 'wake plan and worker state' },
        { name: 'provider', description: 'call outcomes posted by the telephony provider (HMAC-signed)' },
        { name: 'audit', description: 'compliance: dials checked against the dial rule' },
        { name: 'webhooks', description: 'events pushed to your system: registration and the delivery log' },
        { name: 'health', description: 'liveness' },
      ],
    },
    transform: ({ schema, url, route }) => ({
      schema: schema && !(schema as { hide?: boolean }).hide ? describeRoute(schema, url, [route.method].flat()[0]!, route.config) as never : schema,
      url,
    }),
    transformObject: (documentObject) => {
      const doc = structuredClone((documentObject as { openapiObject: object }).openapiObject) as Record<string, any>;
      hoistNamedSchemas(doc);
      if (!doc.components.schemas.Error) throw new Error('the API description has no Error schema: routes get it from route-conventions.ts');
      doc.components.responses = completeOperations(doc);
      return doc as never;
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

const text = (description: string, schema: Record<string, unknown> = { type: 'string' }) => ({ description, schema });

const HEADERS = {
  RequestId: text('The request\'s id: the X-Request-Id you sent when it is sane (1–128 of letters, digits and -_.:@+/=), else a new UUID. In every log line of the request, and on the doorbell its write rings.'),
  RateLimitLimit: text('Requests allowed per minute in your bucket (per token, or per address without one).', { type: 'integer' }),
  RateLimitRemaining: text('Requests left in this minute.', { type: 'integer' }),
  RateLimitReset: text('Seconds until the bucket refills.', { type: 'integer' }),
  RetryAfter: text('Seconds to wait before retrying.', { type: 'integer' }),
  Location: text('Where the created resource is (`/api/campaigns/{id}`, `/api/calls/{id}`).'),
  ETag: text('A weak validator of the answer: send it back in If-None-Match to get 304 while it is unchanged.'),
  IdempotentReplayed: text('`true` when this answer is the call an earlier request with the same Idempotency-Key created.', { type: 'string', enum: ['true', 'false'] }),
  WwwAuthenticate: text('`Bearer`: how to authenticate.'),
};

const PARAMETERS = {
  IfNoneMatch: { name: 'If-None-Match', in: 'header', required: false, description: 'The ETag of the copy you hold: 304 while it is current.', schema: { type: 'string' } },
};
