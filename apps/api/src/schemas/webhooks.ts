// Webhook subscription and delivery schemas: `POST/GET/DELETE /api/webhooks…`
// and `GET /api/webhooks/:id/deliveries`.
import { Type, type Static } from 'typebox';
import { WEBHOOK_EVENT_TYPES } from '@wakeplan/contract';
import { Instant, NullableInstant, Uuid } from './common.ts';

const EventType = Type.Enum([...WEBHOOK_EVENT_TYPES], {
  'x-expected': `one of ${WEBHOOK_EVENT_TYPES.join(', ')}`, description: 'an event name',
} as never);

export const CreateWebhookBody = Type.Object({
  url: Type.String({
    minLength: 1, maxLength: 2000,
    description: 'where events are POSTed: an absolute http:// or https:// URL, without user:password@ or #fragment (https recommended)',
  }),
  events: Type.Array(EventType, { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, description: 'the events to send; repeats are ignored' }),
}, { additionalProperties: false, title: 'WebhookCreate' });
export type CreateWebhookBody = Static<typeof CreateWebhookBody>;

const webhookFields = {
  id: Uuid,
  url: Type.String(),
  events: Type.Array(EventType),
  created_at: Instant,
};

export const Webhook = Type.Object(webhookFields, { title: 'Webhook' });
export type Webhook = Static<typeof Webhook>;

export const CreatedWebhook = Type.Object({
  ...webhookFields,
  secret: Type.String({ description: 'the HMAC-SHA256 signing secret; shown only in this answer — store it now' }),
}, { title: 'WebhookCreated' });

export const WebhookList = Type.Object({ webhooks: Type.Array(Webhook) }, { title: 'WebhookList' });

export const WebhookDelivery = Type.Object({
  id: Type.String({ description: 'the delivery (one event to one webhook)' }),
  event_id: Uuid,
  event_type: EventType,
  status: Type.Enum(['pending', 'delivered', 'failed'], { description: 'failed: no 2xx within 24 hours of the event; not retried' }),
  attempts: Type.Integer({ description: 'requests sent so far' }),
  next_attempt_at: NullableInstant,
  give_up_at: Instant,
  last_attempt_at: NullableInstant,
  last_status_code: Type.Union([Type.Integer(), Type.Null()]),
  last_error: Type.Union([Type.String(), Type.Null()]),
  delivered_at: NullableInstant,
  created_at: Instant,
}, { title: 'WebhookDelivery' });
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const DeliveryList = Type.Object({
  deliveries: Type.Array(WebhookDelivery),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as `cursor` for the next page; null on the last page' }),
}, { title: 'WebhookDeliveryList' });

export const DeliveriesQuery = Type.Object({
  status: Type.Optional(Type.Enum(['pending', 'delivered', 'failed'])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$', 'x-expected': 'a next_cursor from a previous page' } as never)),
}, { additionalProperties: false });
