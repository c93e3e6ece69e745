// SQL of the webhook routes: subscriptions and the delivery log (migration 005).
// Writing events and sending them is @wakeplan/db outbox.ts / webhook-delivery.ts.
import type { Queryable } from '@wakeplan/db';
import type { WebhookValues } from '../webhooks/webhook-input.ts';

export interface WebhookRow {
  id: string;
  url: string;
  events: string[];
  secret: string;
  created_at: Date;
}

export interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  give_up_at: Date;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

export async function insertWebhook(sql: Queryable, v: WebhookValues, at: Date): Promise<WebhookRow> {
  const [row] = await sql<WebhookRow[]>`
    insert into webhook_subscriptions (url, events, secret, created_at) values (${v.url}, ${v.events}, ${v.secret}, ${at})
    returning id, url, events, secret, created_at`;
  return row!;
}

export async function listWebhooks(sql: Queryable): Promise<WebhookRow[]> {
  return sql<WebhookRow[]>`select id, url, events, secret, created_at from webhook_subscriptions order by created_at, id`;
}

export async function findWebhook(sql: Queryable, id: string): Promise<WebhookRow | null> {
  const [row] = await sql<WebhookRow[]>`select id, url, events, secret, created_at from webhook_subscriptions where id = ${id}`;
  return row ?? null;
}

/** Deletes the subscription and its deliveries (pending ones are never sent). True when it existed. */
export async function deleteWebhook(sql: Queryable, id: string): Promise<boolean> {
  const rows = await sql`delete from webhook_subscriptions where id = ${id} returning id`;
  return rows.length > 0;
}

/** Newest first; `before` is the last id of the previous page (keyset: stable while deliveries change state). */
export async function listDeliveries(
  sql: Queryable, webhookId: string, filter: { status?: string; before?: string; limit: number },
): Promise<DeliveryRow[]> {
  return sql<DeliveryRow[]>`
    select d.id::text as id, d.event_id, e.type as event_type, d.status, d.attempts, d.next_attempt_at, d.give_up_at,
           d.last_attempt_at, d.last_status_code, d.last_error, d.delivered_at, d.created_at
    from webhook_deliveries d join outbox_events e on e.id = d.event_id
    where d.subscription_id = ${webhookId}
      ${filter.status ? sql`and d.status = ${filter.status}` : sql``}
      ${filter.before ? sql`and d.id < ${filter.before}::bigint` : sql``}
    order by d.id desc
    limit ${filter.limit}`;
}
