// Outbound webhook events (events pushed to the user's system): their names and
// the JSON body every delivery carries. Signed like every Wakeplan webhook
// (signing.ts): `X-Wakeplan-Timestamp` and `X-Wakeplan-Signature:
// sha256=HMAC(secret, "<ts>.<body>")`.
//
// Invariants: an event's `id` is unique and the same on every re-delivery, so a
// receiver deduplicates by it; the body bytes are identical on every attempt
// (only the timestamp and signature headers change).
export const WEBHOOK_EVENT_TYPES = [
  'call.attempt_ended',
  'call.completed',
  'call.failed',
  'campaign.completed',
  'campaign.paused',
  'campaign.resumed',
  'campaign.cancelled',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** The JSON body of a delivery. */
export interface WebhookEventBody {
  id: string;
  type: WebhookEventType;
  created_at: string;
  data: Record<string, unknown>;
}

/** The header naming the event on every delivery (the body says it too). */
export const WEBHOOK_EVENT_ID_HEADER = 'x-wakeplan-event-id';
