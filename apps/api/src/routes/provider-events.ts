// POST /api/provider/events: a call outcome from the telephony provider
// (DESIGN.md §6), public (no bearer token: `config.public`) and authenticated
// instead by `X-Wakeplan-Signature: sha256=<HMAC-SHA256 of "<timestamp>.<raw
// body>">` with PROVIDER_EVENTS_SECRET, `X-Wakeplan-Timestamp` within ±5 minutes.
//
// Invariants: the signature is checked over the exact bytes received (captured
// in this plugin's preParsing hook, so no other route pays for it), in constant
// time, before the body is validated or touches the database; the rate limit
// is applied knowing the verdict (plugins/rate-limit.ts): a signed event counts
// against the signed-webhook bucket only, never against anonymous traffic from
// the same address, while a bad signature counts as anonymous traffic; the outcome logic
// is packages/db outcomes.ts (shared with the worker and `simulate`), run inside
// the plan writer's transaction: it sends `call_finished` itself (delivered on
// commit), and the plan writer rings the worker's doorbell after the commit; duplicates and stale events answer 200 and
// say so, so a provider's retries stay harmless.
import { Readable } from 'node:stream';
import { httpErrors } from '@fastify/sensible';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { applyProviderEventInTransaction } from '@wakeplan/db';
import { isProgressStatus, PROVIDER_EVENT_STATUSES, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignedBody, type ProviderEvent } from '@wakeplan/contract';
import type { RouteDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { limitSignedWebhook } from '../plugins/rate-limit.ts';
import { registerProviderCallbackRoutes } from './provider-callbacks.ts';
import { Envelope, errorResponses, Uuid, ok } from '../schemas/common.ts';

/** Events are small; anything bigger is not one. */
const MAX_EVENT_BYTES = 64 * 1024;
/** A provider's end-of-call report carries the transcript and messages: larger, still bounded. */
const MAX_CALLBACK_BYTES = 4 * 1024 * 1024;

const ProviderEventBody = Type.Object({
  call_id: Uuid,
  attempt: Type.Integer({ minimum: 1 }),
  provider_call_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])),
  status: Type.Enum([...PROVIDER_EVENT_STATUSES]),
  duration_seconds: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
  occurred_at: Type.String({ format: 'date-time', description: 'ISO 8601 instant at which the provider saw it happen' }),
}, { title: 'ProviderEvent' });

const EventResult = Type.Object({
  result: Type.Enum(['applied', 'duplicate', 'stale']),
  call_status: Type.Optional(Type.String({ description: 'the call after an applied event' })),
  reason: Type.Optional(Type.String({ description: 'why a stale event changed nothing' })),
}, { title: 'ProviderEventResult' });

export const providerEventsRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const rawBodies = new WeakMap<FastifyRequest, Buffer>();
  const limit = limitSignedWebhook(app, deps.config.providerEventsPerMinute);

  app.addHook('preParsing', async (request, _reply, payload) => {
    const raw = await readAll(payload, request.routeOptions.url === '/api/provider/events' ? MAX_EVENT_BYTES : MAX_CALLBACK_BYTES);
    rawBodies.set(request, raw);
    const replay = Readable.from([raw], { objectMode: false }) as Readable & { receivedEncodedLength?: number };
    replay.receivedEncodedLength = raw.length;
    return replay;
  });

  app.post('/api/provider/events', {
    config: { public: true, rateLimit: false, signedWebhook: true }, // limited in preValidation, by signature (plugins/rate-limit.ts)
    preValidation: async (request, reply) => {
      const secret = deps.config.providerEventsSecret;
      const check = secret
        ? verifySignedBody({
          secret,
          timestampHeader: header(request, TIMESTAMP_HEADER),
          signatureHeader: header(request, SIGNATURE_HEADER),
          rawBody: rawBodies.get(request) ?? Buffer.alloc(0),
          at: deps.now(),
        })
        : { ok: false as const, reason: 'PROVIDER_EVENTS_SECRET is not configured' };
      await limit(request, reply, check.ok);
      if (!check.ok) throw httpErrors.unauthorized(`provider event rejected: ${check.reason}`);
    },
    schema: {
      operationId: 'receiveProviderEvent',
      summary: 'A call outcome from the provider (HMAC-signed; no bearer token)',
      description: 'Records a call event: `X-Wakeplan-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` with '
        + 'PROVIDER_EVENTS_SECRET, `X-Wakeplan-Timestamp` within 5 minutes (else 401). Keyed by (call_id, attempt): a '
        + 'duplicate or out-of-order event answers 200 and says so; an unknown call is a 404. Signed events have a rate '
        + 'limit of their own (PROVIDER_EVENTS_PER_MINUTE), untouched by other traffic.',
      tags: ['provider'],
      security: [],
      headers: Type.Object({
        [TIMESTAMP_HEADER]: Type.String({ description: 'unix seconds; within 5 minutes of the server clock' }),
        [SIGNATURE_HEADER]: Type.String({ description: 'sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">' }),
      }),
      body: ProviderEventBody,
      response: { 200: Envelope(EventResult), ...errorResponses(401, 404) },
    },
  }, async (request) => {
    const at = deps.now();
    const event = request.body as ProviderEvent;
    const outcome = await deps.planWriter.write('call_finished', at, async (tx) => {
      const result = await applyProviderEventInTransaction(tx, event, at, { resultTimeoutMinutes: deps.config.callResultTimeoutMinutes });
      const ended = result.result === 'applied' && !isProgressStatus(event.status);
      // settleCall sent call_finished in this transaction; the plan writer only rings.
      return { result, notify: ended ? { sent: true } : null };
    }, request.id);
    if (outcome.result === 'unknown_call') throw notFound('call', event.call_id);
    if (outcome.result === 'applied') return ok({ result: outcome.result, call_status: outcome.callStatus });
    if (outcome.result === 'stale') return ok({ result: outcome.result, reason: outcome.reason });
    return ok({ result: outcome.result });
  });

  // The providers' own callbacks share this plugin's raw-body capture and signed-webhook bucket.
  registerProviderCallbackRoutes(app, deps, { rawBodyOf: (request) => rawBodies.get(request) ?? Buffer.alloc(0), limit, maxBytes: MAX_CALLBACK_BYTES });
};

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readAll(stream: AsyncIterable<Buffer | string>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > limit) throw httpErrors.payloadTooLarge(`a provider event is at most ${limit} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
