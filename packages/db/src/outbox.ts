// The transactional outbox of webhook events (migration 005): events are written
// by the transaction that makes the change they report, one delivery row per
// subscription that asked for the event's type.
//
// Invariants: call these with the writing transaction, never a pool, so an event
// exists exactly when its change committed; one statement per call (an event
// nobody subscribed to writes nothing, so webhooks cost nothing until used);
// every instant comes from the caller's `at` (no now()). Delivery itself is
// webhook-delivery.ts.
import type { WebhookEventType } from '@wakeplan/contract';
import type { Queryable } from './client.ts';

/** Retries stop, and the delivery is `failed`, this long after the event. */
export const WEBHOOK_GIVE_UP_MS = 24 * 60 * 60_000;

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const iso = (column: string) => `to_char(${column} at time zone 'UTC', ${ISO})`;

/** The `data` of every call.* event: the call as it is after the change, and the attempt that ended. */
const CALL_DATA = `json_build_object(
  'call_id', c.id, 'campaign_id', c.campaign_id, 'phone', c.phone, 'status', c.status,
  'attempt', a.attempt, 'outcome', a.status, 'attempts_made', c.attempt, 'last_outcome', c.last_outcome,
  'next_attempt_at', ${iso('c.next_attempt_at')}, 'provider_call_id', coalesce(a.provider_call_id, c.provider_call_id),
  'duration_seconds', a.duration_seconds, 'ended_at', ${iso('a.ended_at')}, 'error', a.error)`;

const CAMPAIGN_DATA = `json_build_object(
  'campaign_id', k.id, 'name', k.name, 'status', k.status, 'completed_at', ${iso('k.completed_at')})`;

/**
 * Events about one call's attempt `attempt`, in the order given (call.attempt_ended
 * before call.completed): the data is read from the call and attempt rows as the
 * transaction has left them.
 */
export async function enqueueCallEvents(tx: Queryable, types: WebhookEventType[], callId: string, attempt: number, at: Date): Promise<void> {
  await enqueue(tx, types, `call:${callId}`, at,
    `select ${CALL_DATA} as data from calls c left join call_attempts a on a.call_id = c.id and a.attempt = ${'$4'}::int where c.id = ${'$5'}::uuid`,
    [attempt, callId]);
}

/** A campaign.* event: the data is the campaign row as the transaction has left it. */
export async function enqueueCampaignEvent(tx: Queryable, type: WebhookEventType, campaignId: string, at: Date): Promise<void> {
  await enqueue(tx, [type], `campaign:${campaignId}`, at,
    `select ${CAMPAIGN_DATA} as data from campaigns k where k.id = ${'$4'}::uuid`, [campaignId]);
}

async function enqueue(tx: Queryable, types: WebhookEventType[], key: string, at: Date, dataQuery: string, args: unknown[]): Promise<void> {
  if (types.length === 0) return;
  // $1 types, $2 ordering key, $3 the instant; $4, $5 the data query's own.
  await tx.unsafe(`
    with wanted as (
      select t.type, t.n, gen_random_uuid() as id from json_array_elements_text($1::text::json) with ordinality as t(type, n)
      where exists (select 1 from webhook_subscriptions s where t.type = any(s.events))
    ), d as (${dataQuery}),
    events as (
      insert into outbox_events (id, type, ordering_key, body, created_at)
      select w.id, w.type, $2, json_build_object('id', w.id, 'type', w.type,
               'created_at', ${iso('$3::timestamptz')}, 'data', d.data)::text, $3::timestamptz
      from wanted w cross join d order by w.n
      returning id, type, seq
    )
    insert into webhook_deliveries (event_id, subscription_id, ordering_key, next_attempt_at, give_up_at, created_at)
    select e.id, s.id, $2, $3::timestamptz, $3::timestamptz + ${WEBHOOK_GIVE_UP_MS / 1000} * interval '1 second', $3::timestamptz
    from events e join webhook_subscriptions s on e.type = any(s.events)
    order by e.seq, s.id`, [JSON.stringify(types), key, at, ...args] as never[]);
}

/**
 * The earliest instant a pending delivery may be sent: the head of each
 * (subscription, key) queue only (a later one waits for it), a leased one
 * (being sent by someone) not before its lease ends, none before its
 * receiver's own retry time (a failing receiver is backed off as a whole). Null when none is pending.
 * One input of the worker's wake plan: a pending retry is a reason to wake at
 * its time, nothing more.
 */
export async function readEarliestPendingDelivery(sql: Queryable): Promise<Date | null> {
  const [row] = await sql<{ at: Date | null }[]>`select ${earliestPendingDeliveryQuery(sql)} as at`;
  return row?.at ?? null;
}

/** The same instant as a scalar subquery, for a statement that reads it beside other things (the plan's totals). */
export function earliestPendingDeliveryQuery(sql: Queryable) {
  return sql`(
    select min(greatest(d.next_attempt_at, coalesce(d.lease_until, d.next_attempt_at), coalesce(s.retry_at, d.next_attempt_at)))
    from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id
    where d.status = 'pending'
      and not exists (select 1 from webhook_deliveries e
                      where e.subscription_id = d.subscription_id and e.ordering_key = d.ordering_key
                        and e.status = 'pending' and e.id < d.id))`;
}
