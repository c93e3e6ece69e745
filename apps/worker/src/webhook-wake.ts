// The webhook outbox's share of the worker's life (packages/db outbox.ts,
// webhook-delivery.ts): the earliest pending delivery is one more, separate
// input of the wake plan — a pending retry is a reason to wake at its time,
// nothing more — and whatever is due is sent while the worker is awake anyway.
//
// Invariants: this never opens a connection or plans a wake on its own account
// beyond that earliest instant; a delivery due now that could not be claimed
// (another process holds its lease) is looked at again after a lease, never in a
// spin; sending is bounded per pass (deliverDueWebhooks rounds × batch).
import { DELIVERY_LEASE_MS, deliverDueWebhooks, type Sql, type WebhookSender } from '@wakeplan/db';
import type { Logger } from '@wakeplan/runtime';
import type { WorkerCounters } from './counters.ts';
import type { PlanEvaluation } from './plan-evaluation.ts';

/** The wake a pending webhook retry asks for. */
export interface WebhookWake {
  at: Date;
  reason: 'webhook_retry';
  campaignId?: undefined;
}

/** The plan with the earliest pending delivery folded in: due now, or a candidate for the next wake. */
export function withEarliestDelivery(ev: PlanEvaluation, earliestDeliveryAt: Date | null): PlanEvaluation {
  if (!earliestDeliveryAt) return { ...ev, webhookDeliveryDue: false };
  const due = earliestDeliveryAt.getTime() <= ev.at.getTime();
  // Due now: sent in this pass; if it cannot be claimed, look again after a lease (not at once: no spin).
  const at = due ? new Date(ev.at.getTime() + DELIVERY_LEASE_MS) : earliestDeliveryAt;
  const wake: WebhookWake = { at, reason: 'webhook_retry' };
  const nextWake = ev.nextWake && ev.nextWake.at.getTime() <= at.getTime() ? ev.nextWake : wake;
  return { ...ev, webhookDeliveryDue: due, nextWake };
}

/** Sends what is due; the number of requests sent (the caller reads the plan again when it is > 0). */
export async function deliverWhileAwake(sql: Sql, now: () => Date, send: WebhookSender, counters: WorkerCounters, logger: Logger): Promise<number> {
  const report = await deliverDueWebhooks(sql, { now, send, maxRounds: 5 });
  counters.webhooksSent += report.attempted;
  counters.webhooksDelivered += report.delivered;
  if (report.attempted > report.delivered) logger.info(report, 'webhook deliveries not accepted; retried with backoff');
  return report.attempted;
}
