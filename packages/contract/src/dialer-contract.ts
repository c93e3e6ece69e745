// The wire contract between Wakeplan and a telephony provider (DESIGN.md §6):
// what a dial request carries, the JSON body the webhook dialer POSTs, and the
// provider event posted back to `POST /api/provider/events`.
//
// Invariant: the idempotency key of a dial is always `callId:attempt`, so a
// re-sent request is recognisably the same call. The API checks an incoming
// event against its own TypeBox schema, built from PROVIDER_EVENT_STATUSES.
export interface DialRequest {
  callId: string;
  attempt: number;
  /** `callId:attempt`: a receiver treats a repeated key as the same call. */
  idempotencyKey: string;
  to: string;
  agentId: string;
  campaignId: string | null;
  variables: Record<string, unknown>;
  callbackUrl: string;
}

export function idempotencyKeyOf(callId: string, attempt: number): string {
  return `${callId}:${attempt}`;
}

/** The body of the webhook dialer's POST, snake_case as on the wire. */
export function webhookDialBody(req: DialRequest): string {
  return JSON.stringify({
    call_id: req.callId,
    attempt: req.attempt,
    to: req.to,
    agent_id: req.agentId,
    campaign_id: req.campaignId,
    variables: req.variables,
    callback_url: req.callbackUrl,
  });
}

/**
 * `refused`: the provider did not start the call — nothing reached the recipient
 * (e.g. it ended the call at once because its own concurrency limit was
 * reached). A transient refusal of that attempt, not a failed call: the outcome
 * logic queues the contact again with a backoff and does not count the attempt.
 */
export const PROVIDER_EVENT_STATUSES = [
  'ringing', 'in_progress', 'completed', 'no_answer', 'busy', 'voicemail', 'failed', 'canceled', 'refused',
] as const;
export type ProviderEventStatus = (typeof PROVIDER_EVENT_STATUSES)[number];
export const PROGRESS_STATUSES = ['ringing', 'in_progress'] as const satisfies readonly ProviderEventStatus[];

export interface ProviderEvent {
  call_id: string;
  attempt: number;
  provider_call_id?: string | null;
  status: ProviderEventStatus;
  duration_seconds?: number | null;
  /** ISO instant at which the provider saw this happen. */
  occurred_at: string;
}

export function isProgressStatus(status: ProviderEventStatus): status is (typeof PROGRESS_STATUSES)[number] {
  return (PROGRESS_STATUSES as readonly string[]).includes(status);
}
