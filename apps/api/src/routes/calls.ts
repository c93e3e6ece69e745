// Direct calls: `POST /api/calls` queues one call with no campaign, due at once
// (or at `not_before`), and answers 202; `GET /api/calls/:id` shows it with its
// attempts. An Idempotency-Key makes a retried POST return the same call; the
// same key with a different body is a 409, and so is a number on the do-not-call
// list (checked in the inserting transaction; the worker's claim checks again).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { checkDirectCall } from '../calls/direct-call.ts';
import { presentAttempt, presentCall, presentProviderEvent } from '../presenters.ts';
import { findAttempts, findCall, findProviderEvents, insertDirectCall } from '../repositories/calls.ts';
import { listedAmong } from '../repositories/do-not-call.ts';
import { Call, CallWithAttempts, CreateCallBody, CreateCallHeaders } from '../schemas/calls.ts';
import { Envelope, errorResponses, IdParams, ok } from '../schemas/common.ts';

export const callRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.post('/api/calls', {
    schema: {
      operationId: 'queueDirectCall',
      summary: 'Queue a direct call (no campaign, no calling window)',
      description: 'Queues one call, due at once or at `not_before`, and answers 202 with it; `Location` names it. '
        + 'With an `Idempotency-Key`, a retried request returns the same call (`Idempotent-Replayed: true`); '
        + 'the same key with a different body is a 409 (`IDEMPOTENCY_KEY_REUSED`), and so is a number on the do-not-call list (`ON_DNC_LIST`).',
      tags: ['calls'],
      headers: CreateCallHeaders,
      body: CreateCallBody,
      response: { 202: Envelope(Call), ...errorResponses(409) },
    },
  }, async (request, reply) => {
    const at = deps.now();
    const key = request.headers['idempotency-key'] ?? null;
    const values = checkDirectCall(request.body, key);
    const { call, created } = await deps.planWriter.write('call_queued', at, async (tx) => {
      if ((await listedAmong(tx, [values.phone])).size > 0) {
        throw new ApiError(409, 'ON_DNC_LIST', `${values.phone} is on the do-not-call list; it is never dialed (DELETE /api/dnc/{phone} takes it off)`);
      }
      const inserted = await insertDirectCall(tx, values, at);
      return { result: inserted, notify: inserted.created ? { callId: inserted.call.id } : null };
    }, request.id);
    if (!created && call.request_hash !== values.request_hash) {
      throw new ApiError(409, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with a different request body; use a new key for a new call');
    }
    void reply.status(202).header('idempotent-replayed', String(!created)).header('location', `/api/calls/${call.id}`);
    return ok(presentCall(call));
  });

  app.get('/api/calls/:id', {
    schema: {
      operationId: 'getCall',
      summary: 'A call (direct or campaign contact) with its attempt history and provider events',
      description: 'The call as stored now, with every attempt made so far (status, worker, provider call id, when it was '
        + 'claimed, confirmed and ended, outcome, error) and every provider event received for it (including duplicates and '
        + 'late ones, with `applied: false`).',
      tags: ['calls'],
      params: IdParams,
      response: { 200: Envelope(CallWithAttempts) },
    },
  }, async (request) => {
    const call = await findCall(deps.sql, request.params.id);
    if (!call) throw notFound('call', request.params.id);
    const [attempts, events] = await Promise.all([findAttempts(deps.sql, call.id), findProviderEvents(deps.sql, call.id)]);
    return ok({ ...presentCall(call), attempts: attempts.map(presentAttempt), events: events.map(presentProviderEvent) });
  });
};
