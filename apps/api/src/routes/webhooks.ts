// Outbound webhooks: register where events go (`POST /api/webhooks`, the signing
// secret shown once), list, show, delete them, and read a webhook's delivery log
// (`GET /api/webhooks/:id/deliveries`: pending, delivered and failed ones).
// These routes change no plan, so they neither NOTIFY nor ring the worker.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@wakeplan/contract';
import type { RouteDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { deleteWebhook, findWebhook, insertWebhook, listDeliveries, listWebhooks, type DeliveryRow, type WebhookRow } from '../repositories/webhooks.ts';
import { Envelope, IdParams, ok } from '../schemas/common.ts';
import {
  CreatedWebhook, CreateWebhookBody, DeliveriesQuery, DeliveryList, Webhook, WebhookList, type WebhookDelivery,
} from '../schemas/webhooks.ts';
import { checkWebhook } from '../webhooks/webhook-input.ts';

const EVENTS_TEXT = WEBHOOK_EVENT_TYPES.map((e) => `\`${e}\``).join(', ');

export const webhookRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.post('/api/webhooks', {
    schema: {
      operationId: 'createWebhook',
      summary: 'Register a URL to receive events',
      description: `Registers \`url\` (http or https, no credentials or fragment) for \`events\` (${EVENTS_TEXT}) and answers 201 `
        + 'with the signing `secret` — shown only in this answer. Every delivery is a POST of `{ id, type, created_at, data }` '
        + 'signed with `X-Wakeplan-Timestamp` and `X-Wakeplan-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`; '
        + 'delivered at least once (deduplicate by `id`), in order per call, retried with backoff for 24 hours.',
      tags: ['webhooks'],
      body: CreateWebhookBody,
      response: { 201: Envelope(CreatedWebhook) },
    },
  }, async (request, reply) => {
    const values = checkWebhook(request.body as { url: string; events: WebhookEventType[] });
    const row = await insertWebhook(deps.sql, values, deps.now());
    void reply.status(201).header('location', `/api/webhooks/${row.id}`);
    return ok({ ...presentWebhook(row), secret: row.secret });
  });

  app.get('/api/webhooks', {
    schema: {
      operationId: 'listWebhooks',
      summary: 'The registered webhooks',
      description: 'Every registered webhook, oldest first (without secrets).',
      tags: ['webhooks'],
      response: { 200: Envelope(WebhookList) },
    },
  }, async () => ok({ webhooks: (await listWebhooks(deps.sql)).map(presentWebhook) }));

  app.get('/api/webhooks/:id', {
    schema: {
      operationId: 'getWebhook',
      summary: 'A registered webhook',
      description: 'The webhook (without its secret).',
      tags: ['webhooks'],
      params: IdParams,
      response: { 200: Envelope(Webhook) },
    },
  }, async (request) => ok(presentWebhook(await mustFind(deps, request.params.id))));

  app.delete('/api/webhooks/:id', {
    schema: {
      operationId: 'deleteWebhook',
      summary: 'Stop sending events to a webhook',
      description: 'Deletes the webhook and its delivery log; its pending deliveries are never sent. Answers the deleted webhook.',
      tags: ['webhooks'],
      params: IdParams,
      response: { 200: Envelope(Webhook) },
    },
  }, async (request) => {
    const row = await mustFind(deps, request.params.id);
    if (!(await deleteWebhook(deps.sql, row.id))) throw notFound('webhook', row.id);
    return ok(presentWebhook(row));
  });

  app.get('/api/webhooks/:id/deliveries', {
    schema: {
      operationId: 'listWebhookDeliveries',
      summary: "A webhook's deliveries, newest first",
      description: 'One row per event sent (or to be sent) to this webhook: `pending` (with its next attempt), `delivered`, '
        + 'or `failed` (no 2xx within 24 hours; not retried), with attempts and the last status code or error. Filter by '
        + '`status`; pages of `limit` (default 100, at most 1,000) follow `next_cursor` (null on the last page).',
      tags: ['webhooks'],
      params: IdParams,
      querystring: DeliveriesQuery,
      response: { 200: Envelope(DeliveryList) },
    },
  }, async (request) => {
    await mustFind(deps, request.params.id);
    const limit = request.query.limit ?? 100;
    const rows = await listDeliveries(deps.sql, request.params.id, {
      limit: limit + 1,
      ...(request.query.status ? { status: request.query.status } : {}),
      ...(request.query.cursor ? { before: request.query.cursor } : {}),
    });
    const page = rows.slice(0, limit);
    return ok({ deliveries: page.map(presentDelivery), next_cursor: rows.length > limit ? page.at(-1)!.id : null });
  });
};

async function mustFind(deps: RouteDeps, id: string): Promise<WebhookRow> {
  const row = await findWebhook(deps.sql, id);
  if (!row) throw notFound('webhook', id);
  return row;
}

function presentWebhook(row: WebhookRow): Webhook {
  return { id: row.id, url: row.url, events: row.events as WebhookEventType[], created_at: row.created_at.toISOString() };
}

function presentDelivery(row: DeliveryRow): WebhookDelivery {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: row.id,
    event_id: row.event_id,
    event_type: row.event_type as WebhookEventType,
    status: row.status as WebhookDelivery['status'],
    attempts: row.attempts,
    next_attempt_at: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    give_up_at: row.give_up_at.toISOString(),
    last_attempt_at: iso(row.last_attempt_at),
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    delivered_at: iso(row.delivered_at),
    created_at: row.created_at.toISOString(),
  };
}
