// Completes each operation of the API description from what its route
// declares, so every route follows the same conventions without repeating
// them (and routes other people add get them too):
//   - operationId and description: the route's own (every route should give
//     both: client generators name their methods from the id); failing that, an
//     id made from the method and path, and the summary.
//   - error statuses, each with the shared Error shape: 400, 413 and 415 when
//     the route takes a body; 401 unless it is public; 404 when its path has a
//     parameter (a well-formed id that matches nothing); 422 when it validates
//     any input (a malformed id in the path is a 422 naming the parameter);
//     429 when it is rate limited; 5XX always; plus any the route declares for
//     reasons of its own (`errorResponses(409)`). 405 is not per operation: any
//     known path answers it, with `Allow`, for a method it does not take.
//   - headers: X-Request-Id on every response; X-RateLimit-* on a rate-limited
//     route's (Retry-After on its 429); Location on 201 and 202 (a route that
//     creates names what it created); ETag on 200 and 304 of a route with
//     `config.etag` (and If-None-Match among its parameters); Idempotent-Replayed
//     on the 2xx of a route that takes an Idempotency-Key.
//   - multipart bodies: `encoding` for each part — lists are the field repeated,
//     objects JSON, a binary part its `x-content-type`.
// Facts only the route knows (public, rate limited, etag) travel from the
// per-route transform to the document pass as `x-route-facts`, then vanish.
import type { FastifyContextConfig } from 'fastify';

const ROUTE_FACTS = 'x-route-facts';

interface RouteFacts { public: boolean; rateLimited: boolean; etag: boolean }
type Json = Record<string, any>;

const ERROR_RESPONSES: Record<string, { name: string; description: string }> = {
  400: { name: 'BadRequest', description: 'The request could not be read: the body is not valid JSON, or the upload is malformed or cut off.' },
  401: { name: 'Unauthorized', description: 'No valid credentials: a missing or wrong bearer token (`WWW-Authenticate: Bearer`), or a bad signature on a webhook.' },
  404: { name: 'NotFound', description: 'Nothing matches this (well-formed) id.' },
  409: { name: 'Conflict', description: 'The request conflicts with the resource\'s state (a cancelled campaign, an Idempotency-Key reused with another body).' },
  413: { name: 'PayloadTooLarge', description: 'The body is over its limit (BODY_LIMIT_BYTES; CSV_MAX_BYTES or CSV_MAX_ROWS for contacts).' },
  415: { name: 'UnsupportedMediaType', description: 'The Content-Type is not one the operation takes.' },
  422: { name: 'ValidationFailed', description: 'The input is invalid: `details` names every field (or CSV row) and the reason; nothing was written.' },
  429: { name: 'RateLimited', description: 'Too many requests: retry after `Retry-After` seconds.' },
  '5XX': { name: 'ServerError', description: 'An internal error (500, no detail) or the database is unavailable (503): retry later.' },
};

/** Per route, before the document is built: its own id and description, and the facts the document pass needs. */
export function describeRoute(schema: Json, url: string, method: string, config: FastifyContextConfig | undefined): Json {
  const facts: RouteFacts = {
    public: config?.public === true,
    rateLimited: config?.rateLimit !== false || config?.signedWebhook === true,
    etag: config?.etag !== undefined,
  };
  return {
    ...schema,
    operationId: schema.operationId ?? derivedOperationId(method, url),
    description: schema.description ?? schema.summary,
    [ROUTE_FACTS]: facts,
  };
}

/** Completes every operation of the document; returns the shared responses it used, for components. */
export function completeOperations(doc: Json): Json {
  const used: Json = {};
  for (const item of Object.values(doc.paths ?? {}) as Json[]) {
    for (const op of Object.values(item) as Json[]) {
      const facts = op[ROUTE_FACTS] as RouteFacts | undefined;
      delete op[ROUTE_FACTS];
      if (!facts) continue;
      completeResponses(op, facts, used);
      if (facts.etag) op.parameters = [...(op.parameters ?? []), { $ref: '#/components/parameters/IfNoneMatch' }];
      encodeMultipart(op, doc);
    }
  }
  return used;
}

function completeResponses(op: Json, facts: RouteFacts, used: Json): void {
  const declared = Object.keys(op.responses ?? {});
  const hasBody = op.requestBody !== undefined;
  const params: Json[] = op.parameters ?? [];
  const statuses = new Set(declared.filter((s) => /^[45]\d\d$/.test(s)));
  if (hasBody) ['400', '413', '415'].forEach((s) => statuses.add(s));
  if (!facts.public) statuses.add('401');
  if (params.some((p) => p.in === 'path')) statuses.add('404');
  if (hasBody || params.length > 0) statuses.add('422');
  if (facts.rateLimited) statuses.add('429');
  statuses.add('5XX');

  const responses: Json = {};
  for (const [status, response] of Object.entries(op.responses ?? {}) as [string, Json][]) {
    if (!/^[23]/.test(status)) continue;
    responses[status] = { ...response, description: response.description === 'Default Response' ? successWords(status) : response.description };
    responses[status].headers = successHeaders(status, facts, params);
  }
  if (facts.etag) responses['304'] = { description: 'Not modified: the copy named by If-None-Match is still current.', headers: successHeaders('304', facts, params) };
  for (const status of [...statuses].sort()) {
    const { name } = ERROR_RESPONSES[status] ?? { name: `Error${status}` };
    used[name] = errorResponse(status);
    responses[status] = { $ref: `#/components/responses/${name}` };
  }
  op.responses = responses;
}

function successHeaders(status: string, facts: RouteFacts, params: Json[]): Json {
  const headers: Json = { 'X-Request-Id': header('RequestId') };
  if (facts.rateLimited) Object.assign(headers, rateLimitHeaders());
  if (status === '201' || status === '202') headers.Location = header('Location');
  if (facts.etag && (status === '200' || status === '304')) headers.ETag = header('ETag');
  if (/^2/.test(status) && params.some((p) => p.in === 'header' && p.name === 'idempotency-key')) headers['Idempotent-Replayed'] = header('IdempotentReplayed');
  return headers;
}

function errorResponse(status: string): Json {
  const headers: Json = { 'X-Request-Id': header('RequestId'), ...rateLimitHeaders() };
  if (status === '429') headers['Retry-After'] = header('RetryAfter');
  if (status === '401') headers['WWW-Authenticate'] = header('WwwAuthenticate');
  return {
    description: ERROR_RESPONSES[status]?.description ?? `Error ${status}.`,
    headers,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}

function rateLimitHeaders(): Json {
  return { 'X-RateLimit-Limit': header('RateLimitLimit'), 'X-RateLimit-Remaining': header('RateLimitRemaining'), 'X-RateLimit-Reset': header('RateLimitReset') };
}

function header(name: string): Json {
  return { $ref: `#/components/headers/${name}` };
}

function successWords(status: string): string {
  return ({ 200: 'OK.', 201: 'Created.', 202: 'Accepted.' } as Record<string, string>)[status] ?? 'Success.';
}

/** multipart/form-data: how each part is written (OpenAPI `encoding`). */
function encodeMultipart(op: Json, doc: Json): void {
  const media = op.requestBody?.content?.['multipart/form-data'];
  const ref: unknown = media?.schema?.$ref;
  const schema: Json | undefined = typeof ref === 'string' ? doc.components.schemas[ref.replace('#/components/schemas/', '')] : media?.schema;
  const properties: Json = schema?.properties ?? {};
  const encoding: Json = {};
  for (const [name, property] of Object.entries(properties) as [string, Json][]) {
    if (property.type === 'array') encoding[name] = { style: 'form', explode: true };
    else if (property.type === 'object') encoding[name] = { contentType: 'application/json' };
    else if (property.format === 'binary') encoding[name] = { contentType: property['x-content-type'] ?? 'application/octet-stream' };
    delete property['x-content-type'];
  }
  if (Object.keys(encoding).length > 0) media.encoding = encoding;
}

/** `POST /api/campaigns/:id/pause` → `postCampaignsByIdPause` (only for routes that give none). */
function derivedOperationId(method: string, url: string): string {
  const words = url.split('/').filter((s) => s && s !== 'api').map((s) => (s.startsWith(':') ? `By${cap(s.slice(1))}` : s));
  return method.toLowerCase() + words.map((w) => w.split(/[^A-Za-z0-9]+/).map(cap).join('')).join('');
}

function cap(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
