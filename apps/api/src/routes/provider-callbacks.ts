// The real providers' callbacks (issue 12), each authenticated exactly as its
// provider documents, over the raw body, before anything is read or written:
//   POST /api/provider/twilio/status?call_id&attempt   X-Twilio-Signature (form-encoded)
//   POST /api/provider/vapi                            VAPI_WEBHOOK_SECRET (bearer or HMAC)
//   POST /api/provider/retell                          x-retell-signature (HMAC, 5-minute window)
//   POST /api/provider/bolna/:token                    BOLNA_WEBHOOK_TOKEN, constant time
// then read into the neutral event (packages/providers) and applied by the
// shared outcome logic, idempotent by (call_id, attempt), with what the provider
// said about the call recorded on the attempt.
//
// Invariants: a bad credential is a 401 (a wrong Bolna token a 403) and nothing
// is recorded; a malformed or unhandled payload is a 400/422 and nothing is
// recorded; a callback for a call we do not have is a 404 and nothing is
// recorded; never a 5xx for anything a provider sends. Registered inside the
// provider-events plugin: the same raw-body capture and signed-webhook bucket.
import { httpErrors } from '@fastify/sensible';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { applyProviderEventInTransaction, type ApplyEventResult } from '@wakeplan/db';
import { isProgressStatus } from '@wakeplan/contract';
import {
  readBolnaCallback, readRetellCallback, readTwilioCallback, readVapiCallback, verifyBolnaToken, verifyRetellSignature, verifyTwilioSignature,
  verifyVapiRequest, type CallbackVerdict, type ProviderCallback,
} from '@wakeplan/providers';
import type { RouteDeps } from '../deps.ts';
import type { SignedWebhookLimiter } from '../plugins/rate-limit.ts';
import { recordCallDetails, resolveCallbackTarget } from '../repositories/provider-callbacks.ts';
import { Envelope, errorResponses, ok } from '../schemas/common.ts';

const TWILIO_STATUS_URL = '/api/provider/twilio/status';

type AuthCheck = { ok: true } | { ok: false; statusCode: 401 | 403; reason: string };

interface CallbackPlumbing {
  rawBodyOf: (request: FastifyRequest) => Buffer;
  limit: SignedWebhookLimiter;
  maxBytes: number;
}

const CallbackResult = Type.Object({
  result: Type.Enum(['applied', 'duplicate', 'stale', 'ignored']),
  call_status: Type.Optional(Type.String({ description: 'the call after an applied event' })),
  reason: Type.Optional(Type.String({ description: 'why the callback changed nothing' })),
}, { title: 'ProviderCallbackResult' });

const TwilioQuery = Type.Object({
  call_id: Type.String({ description: 'our call id, put in the StatusCallback URL by the Twilio dialer' }),
  attempt: Type.String({ pattern: '^[0-9]{1,6}$', description: 'our attempt number' }),
}, { title: 'TwilioStatusQuery' });
const TwilioStatus = Type.Object({
  CallSid: Type.String(), CallStatus: Type.String(),
  CallDuration: Type.Optional(Type.String()), AnsweredBy: Type.Optional(Type.String()), RecordingUrl: Type.Optional(Type.String()),
}, { title: 'TwilioStatusCallback', additionalProperties: true });
const VapiMessage = Type.Object({
  message: Type.Object({ type: Type.String() }, { additionalProperties: true }),
}, { title: 'VapiServerMessage', additionalProperties: true });
const RetellWebhook = Type.Object({
  event: Type.String(), call: Type.Object({}, { additionalProperties: true }),
}, { title: 'RetellWebhook', additionalProperties: true });
const BolnaExecution = Type.Object({
  id: Type.String(), status: Type.String(),
}, { title: 'BolnaExecution', additionalProperties: true });
const BolnaParams = Type.Object({ token: Type.String({ description: 'BOLNA_WEBHOOK_TOKEN' }) }, { title: 'BolnaWebhookParams' });

export function registerProviderCallbackRoutes(app: FastifyInstance, deps: RouteDeps, plumbing: CallbackPlumbing): void {
  const secrets = deps.config.providerSecrets;
  // Form bodies are Twilio's alone; every other route of this plugin stays JSON-only (415).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    if (request.routeOptions.url !== TWILIO_STATUS_URL) return done(httpErrors.unsupportedMediaType('this route takes application/json'), undefined);
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const route = (o: { url: string; operationId: string; summary: string; description: string; schema: Record<string, TSchema | string[]>;
    authenticate: (request: FastifyRequest) => AuthCheck; read: (request: FastifyRequest) => CallbackVerdict }) => {
    app.post(o.url, {
      bodyLimit: plumbing.maxBytes,
      config: { public: true, rateLimit: false, signedWebhook: true },
      preValidation: async (request: FastifyRequest, reply: FastifyReply) => {
        const check = o.authenticate(request);
        await plumbing.limit(request, reply, check.ok);
        if (!check.ok) throw check.statusCode === 403 ? httpErrors.forbidden(check.reason) : httpErrors.unauthorized(check.reason);
      },
      schema: {
        operationId: o.operationId, summary: o.summary, description: o.description, tags: ['provider'], security: [],
        ...o.schema,
        response: { 200: Envelope(CallbackResult), ...errorResponses(400, 401, 403, 404, 422) },
      },
    }, async (request) => {
      const verdict = o.read(request);
      if (verdict.kind === 'refused') {
        throw verdict.statusCode === 422 ? httpErrors.unprocessableEntity(verdict.reason) : httpErrors.createError(verdict.statusCode, verdict.reason);
      }
      return ok(await applyCallback(deps, verdict.callback, request.id));
    });
  };

  route({
    url: TWILIO_STATUS_URL,
    operationId: 'receiveTwilioStatus',
    summary: "Twilio's call status callback (X-Twilio-Signature)",
    description: 'Form-encoded status callback. `X-Twilio-Signature` is checked with TWILIO_AUTH_TOKEN over the public URL '
      + '(PUBLIC_URL, else the forwarded host when TRUST_PROXY is set) and the POST parameters; 401 if it does not match. '
      + 'CallStatus (and AnsweredBy) map to the neutral outcome; queued/initiated answer `ignored`.',
    schema: { querystring: TwilioQuery, body: TwilioStatus, consumes: ['application/x-www-form-urlencoded'] },
    authenticate: (request) => {
      if (!secrets.twilioAuthToken) return { ok: false, statusCode: 401, reason: 'TWILIO_AUTH_TOKEN is not configured' };
      return verifyTwilioSignature({
        authToken: secrets.twilioAuthToken, url: publicRequestUrl(request, deps.config.publicUrl),
        params: new URLSearchParams(plumbing.rawBodyOf(request).toString('utf8')), signature: header(request, 'x-twilio-signature'),
      });
    },
    read: (request) => readTwilioCallback(request.query as Record<string, unknown>, new URLSearchParams(plumbing.rawBodyOf(request).toString('utf8')), deps.now()),
  });

  route({
    url: '/api/provider/vapi',
    operationId: 'receiveVapiMessage',
    summary: "Vapi's server messages (status-update, end-of-call-report)",
    description: 'Authenticated with VAPI_WEBHOOK_SECRET: `Authorization: Bearer <secret>` (or the legacy `X-Vapi-Secret`), or an '
      + 'HMAC credential (`x-signature` = hex HMAC-SHA256 of "<x-timestamp>.<raw body>", within 5 minutes); 401 otherwise. '
      + '`endedReason` maps to the neutral outcome; other message types are a 422.',
    schema: { body: VapiMessage },
    authenticate: (request) => secrets.vapiWebhookSecret
      ? verifyVapiRequest({ secret: secrets.vapiWebhookSecret, headers: headersOf(request), rawBody: plumbing.rawBodyOf(request), now: deps.now() })
      : { ok: false, statusCode: 401, reason: 'VAPI_WEBHOOK_SECRET is not configured' },
    read: (request) => readVapiCallback(request.body, deps.now()),
  });

  route({
    url: '/api/provider/retell',
    operationId: 'receiveRetellWebhook',
    summary: "Retell's webhooks (call_started, call_ended, call_analyzed)",
    description: '`x-retell-signature: v=<ms>,d=<hex HMAC-SHA256 of raw body + timestamp with RETELL_API_KEY>`, timestamp within '
      + '5 minutes; 401 otherwise. `disconnection_reason` maps to the neutral outcome.',
    schema: { body: RetellWebhook },
    authenticate: (request) => secrets.retellApiKey
      ? verifyRetellSignature({ apiKey: secrets.retellApiKey, signature: header(request, 'x-retell-signature'), rawBody: plumbing.rawBodyOf(request), now: deps.now() })
      : { ok: false, statusCode: 401, reason: 'RETELL_API_KEY is not configured' },
    read: (request) => readRetellCallback(request.body, deps.now()),
  });

  route({
    url: '/api/provider/bolna/:token',
    operationId: 'receiveBolnaExecution',
    summary: "Bolna's execution webhook (token in the path)",
    description: 'Bolna signs nothing: the path carries BOLNA_WEBHOOK_TOKEN, compared in constant time (403 if wrong). The execution '
      + 'status maps to the neutral outcome; `call-disconnected` is not final; `completed` with answered_by_voice_mail is voicemail, '
      + 'with conversation_duration 0 no_answer.',
    schema: { params: BolnaParams, body: BolnaExecution },
    authenticate: (request) => secrets.bolnaWebhookToken
      ? verifyBolnaToken((request.params as { token?: string }).token ?? '', secrets.bolnaWebhookToken)
      : { ok: false, statusCode: 401, reason: 'BOLNA_WEBHOOK_TOKEN is not configured' },
    read: (request) => readBolnaCallback(request.body, deps.now()),
  });
}

type CallbackOutcome = ApplyEventResult | { result: 'ignored'; reason: string };

async function applyCallback(deps: RouteDeps, callback: ProviderCallback, requestId: string) {
  const at = deps.now();
  const outcome = await deps.planWriter.write<CallbackOutcome>('call_finished', at, async (tx) => {
    const attempt = await resolveCallbackTarget(tx, callback.target);
    if (!attempt) return { result: { result: 'unknown_call', campaignId: null }, notify: null };
    if (callback.status === null) {
      await recordCallDetails(tx, attempt.callId, attempt.attempt, callback.details);
      return { result: { result: 'ignored', reason: 'not an outcome: nothing to apply' }, notify: null };
    }
    const applied = await applyProviderEventInTransaction(tx, {
      call_id: attempt.callId, attempt: attempt.attempt, provider_call_id: callback.providerCallId, status: callback.status,
      duration_seconds: callback.durationSeconds, occurred_at: callback.occurredAt,
    }, at, { resultTimeoutMinutes: deps.config.callResultTimeoutMinutes });
    await recordCallDetails(tx, attempt.callId, attempt.attempt, callback.details);
    const ended = applied.result === 'applied' && !isProgressStatus(callback.status);
    return { result: applied, notify: ended ? { sent: true as const } : null };
  }, requestId);
  if (outcome.result === 'unknown_call') throw httpErrors.notFound('no call matches this callback');
  if (outcome.result === 'applied') return { result: outcome.result, call_status: outcome.callStatus };
  if (outcome.result === 'stale' || outcome.result === 'ignored') return { result: outcome.result, reason: outcome.reason };
  return { result: outcome.result };
}

/** The URL the provider called: PUBLIC_URL + path and query, else as seen (forwarded host and scheme when TRUST_PROXY is set). */
function publicRequestUrl(request: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl ? `${publicUrl}${request.url}` : `${request.protocol}://${request.host}${request.url}`;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function headersOf(request: FastifyRequest): Record<string, string | undefined> {
  return Object.fromEntries(Object.keys(request.headers).map((name) => [name, header(request, name)]));
}
