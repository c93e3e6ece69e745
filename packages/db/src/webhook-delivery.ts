// Sending the outbox (outbox.ts): claim what is due, POST it signed, record the
// result. Shared by the API (right after the commit that enqueued, in the
// background), the worker (while it is awake anyway) and `simulate`.
//
// Invariants:
//   * a delivery is claimed in a short committed transaction with FOR UPDATE
//     SKIP LOCKED and a lease (lease_until, lease_token) before its request
//     leaves, so the API and any number of workers never send one at the same
//     time; a result is recorded only under the lease token it was claimed with;
//   * per (subscription, ordering key) — one call, one campaign — only the
//     oldest pending delivery is claimable: events arrive in order, at least once;
//   * a failure is retried with backoff (30 s doubling, at most 1 h) until
//     give_up_at (24 h after the event), then the delivery is `failed`; the
//     receiver is backed off as a whole too (subscription retry_at: a round with
//     failures and no success), so a receiver that is down costs one retry wake
//     per step, not one per event — and its first success sends the backlog now;
//   * this module never decides *when* to run: callers run it while the database
//     is awake anyway, and the worker plans the next retry as a wake
//     (outbox.ts readEarliestPendingDelivery). Instants come from the caller.
import { randomUUID } from 'node:crypto';
import { signedHeaders, WEBHOOK_EVENT_ID_HEADER } from '@wakeplan/contract';
import type { Sql, TransactionSql } from './client.ts';

/** How long a claimed delivery is reserved for the process sending it. */
export const DELIVERY_LEASE_MS = 30_000;
/** Per-request timeout of the HTTP sender (below the lease). */
export const DELIVERY_TIMEOUT_MS = 10_000;

export interface OutgoingDelivery {
  deliveryId: string;
  eventId: string;
  url: string;
  secret: string;
  body: string;
  /** Requests sent for it so far, this one included. */
  attempts: number;
  subscriptionId: string;
  /** The receiver's failures in a row before this request. */
  subscriptionFailures: number;
}

export type SendResult = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

/** Sends one signed delivery. `at` is the instant it leaves (the signature's timestamp). */
export type WebhookSender = (d: OutgoingDelivery, at: Date) => Promise<SendResult>;

export interface DeliverOptions {
  now: () => Date;
  send: WebhookSender;
  /** Deliveries claimed per round (each round: one claim, the requests in parallel, one record). */
  batch?: number;
  /** Rounds before giving the rest to the next run (bounded work per call). */
  maxRounds?: number;
}

export interface DeliverReport {
  attempted: number;
  delivered: number;
  failed: number;
}

/** Retry delay after the n-th failed attempt: 30 s, 1 min, 2 min, … capped at one hour. */
export function deliveryBackoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/** Claims, sends and records due deliveries, round after round, until none is due or the rounds run out. */
export async function deliverDueWebhooks(sql: Sql, o: DeliverOptions): Promise<DeliverReport> {
  const report: DeliverReport = { attempted: 0, delivered: 0, failed: 0 };
  for (let round = 0; round < (o.maxRounds ?? 10); round++) {
    const token = randomUUID();
    const claimed = await claimDueDeliveries(sql, o.now(), token, o.batch ?? 50);
    if (claimed.length === 0) break;
    const results = await Promise.all(claimed.map(async (d) => ({ d, result: await safeSend(o.send, d, o.now()) })));
    const recorded = await recordDeliveryResults(sql, results, token, o.now());
    report.attempted += claimed.length;
    report.delivered += results.filter((r) => r.result.ok).length;
    report.failed += recorded.failedForGood;
  }
  return report;
}

async function safeSend(send: WebhookSender, d: OutgoingDelivery, at: Date): Promise<SendResult> {
  try {
    return await send(d, at);
  } catch (error) {
    return { ok: false, statusCode: null, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function claimDueDeliveries(sql: Sql, at: Date, token: string, limit: number): Promise<OutgoingDelivery[]> {
  const leaseUntil = new Date(at.getTime() + DELIVERY_LEASE_MS);
  // One statement, so one implicit transaction: the row locks live only until the lease is written.
  const rows = await sql<{
    id: string; event_id: string; url: string; secret: string; body: string; attempts: number; subscription_id: string; failures: number;
  }[]>`
    with due as (
      select d.id from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id
      where d.status = 'pending' and d.next_attempt_at <= ${at} and (s.retry_at is null or s.retry_at <= ${at})
        and (d.lease_until is null or d.lease_until <= ${at})
        and not exists (select 1 from webhook_deliveries e
                        where e.subscription_id = d.subscription_id and e.ordering_key = d.ordering_key
                          and e.status = 'pending' and e.id < d.id)
      order by d.next_attempt_at, d.id
      limit ${limit}
      for update of d skip locked
    )
    update webhook_deliveries d
    set lease_until = ${leaseUntil}, lease_token = ${token}, attempts = d.attempts + 1, last_attempt_at = ${at}
    from due, outbox_events ev, webhook_subscriptions s
    where d.id = due.id and ev.id = d.event_id and s.id = d.subscription_id
    returning d.id::text as id, d.event_id, s.url, s.secret, ev.body, d.attempts,
              s.id as subscription_id, s.consecutive_failures as failures`;
  return rows.map((r) => ({
    deliveryId: r.id, eventId: r.event_id, url: r.url, secret: r.secret, body: r.body, attempts: r.attempts,
    subscriptionId: r.subscription_id, subscriptionFailures: r.failures,
  }));
}

/**
 * Records results under the claim's lease token (a failure past give_up_at is
 * `failed` for good), then each receiver's health: a success of a receiver that
 * was failing resets its backoff and makes its whole backlog due now; failures
 * with no success back it off.
 */
async function recordDeliveryResults(
  sql: Sql, results: { d: OutgoingDelivery; result: SendResult }[], token: string, at: Date,
): Promise<{ failedForGood: number }> {
  if (results.length === 0) return { failedForGood: 0 };
  const json = JSON.stringify(results.map(({ d, result }) => ({
    id: d.deliveryId, ok: result.ok, status_code: result.statusCode, error: result.ok ? null : result.error.slice(0, 500),
    retry_at: new Date(at.getTime() + deliveryBackoffMs(d.attempts)).toISOString(),
  })));
  const receivers = new Map<string, { ok: boolean; failures: number }>();
  for (const { d, result } of results) {
    const r = receivers.get(d.subscriptionId) ?? { ok: false, failures: d.subscriptionFailures };
    receivers.set(d.subscriptionId, { ok: r.ok || result.ok, failures: r.failures });
  }
  // A receiver that answered and was not failing changes nothing: the common case is one statement.
  const recovered = [...receivers].filter(([, r]) => r.ok && r.failures > 0).map(([id]) => id);
  if (recovered.length === 0 && [...receivers.values()].every((r) => r.ok)) return recordEach(sql, json, token, at);
  const failing = JSON.stringify([...receivers].filter(([, r]) => !r.ok).map(([id, r]) => ({
    id, failures: r.failures + 1, retry_at: new Date(at.getTime() + deliveryBackoffMs(r.failures + 1)).toISOString(),
  })));
  const all = [...receivers.keys()].sort();
  return sql.begin(async (tx) => {
    // Receivers first, in id order (as a DELETE of one does): two processes recording at once
    // serialise here instead of deadlocking over each other's deliveries.
    await tx`select id from webhook_subscriptions where id = any(${all}::uuid[]) order by id for no key update`;
    const recorded = await recordEach(tx, json, token, at);
    if (recovered.length > 0) {
      await tx`update webhook_subscriptions set consecutive_failures = 0, retry_at = null where id = any(${recovered}::uuid[])`;
      await tx`update webhook_deliveries set next_attempt_at = ${at}
               where subscription_id = any(${recovered}::uuid[]) and status = 'pending' and next_attempt_at > ${at}`;
    }
    await tx`
      update webhook_subscriptions s set consecutive_failures = v.failures, retry_at = v.retry_at
      from json_to_recordset(${failing}::text::json) as v(id uuid, failures int, retry_at timestamptz) where s.id = v.id`;
    return recorded;
  });
}

async function recordEach(sql: Sql | TransactionSql, json: string, token: string, at: Date): Promise<{ failedForGood: number }> {
  const rows = await sql<{ status: string }[]>`
    with v as (select * from json_to_recordset(${json}::text::json)
               as v(id bigint, ok boolean, status_code int, error text, retry_at timestamptz)),
    next as (
      select v.*, d.id as did, d.give_up_at
      from v join webhook_deliveries d on d.id = v.id
      where d.lease_token = ${token} and d.status = 'pending'
    )
    update webhook_deliveries d set
      status = case when n.ok then 'delivered' when n.retry_at > n.give_up_at then 'failed' else 'pending' end,
      delivered_at = case when n.ok then ${at}::timestamptz end,
      next_attempt_at = case when n.ok or n.retry_at > n.give_up_at then d.next_attempt_at else n.retry_at end,
      last_status_code = n.status_code, last_error = n.error, lease_until = null, lease_token = null
    from next n where d.id = n.did
    returning d.status`;
  return { failedForGood: rows.filter((r) => r.status === 'failed').length };
}

/** The HTTP sender: POST the body with the signature headers; 2xx is delivered, anything else (redirects too) is not. */
export function httpWebhookSender(timeoutMs = DELIVERY_TIMEOUT_MS): WebhookSender {
  return async (d, at) => {
    try {
      const response = await fetch(d.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Wakeplan-Webhooks/1',
          [WEBHOOK_EVENT_ID_HEADER]: d.eventId,
          ...signedHeaders(d.secret, d.body, at),
        },
        body: d.body,
      });
      await response.body?.cancel().catch(() => {});
      if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status };
      return { ok: false, statusCode: response.status, error: `answered ${response.status}` };
    } catch (error) {
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      return { ok: false, statusCode: null, error: reason };
    }
  };
}
