// The wire contract between Wakeplan and a telephony provider (DESIGN.md §6):
// what a dial request carries, the JSON body the webhook dialer POSTs, and the
// provider event posted back to `POST /api/provider/events`.
//
// Invariants: the idempotency key of a dial is always `callId:attempt`, so a
// re-sent request is recognisably the same call; parseProviderEvent never
// throws and reports every problem at once.
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

export const PROVIDER_EVENT_STATUSES = [
  'ringing', 'in_progress', 'completed', 'no_answer', 'busy', 'voicemail', 'failed', 'canceled',
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ParsedProviderEvent = { ok: true; value: ProviderEvent } | { ok: false; errors: string[] };

export function parseProviderEvent(body: unknown): ParsedProviderEvent {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, errors: ['body must be a JSON object'] };
  const o = body as Record<string, unknown>;
  const errors: string[] = [];
  if (typeof o.call_id !== 'string' || !UUID.test(o.call_id)) errors.push('call_id must be a UUID');
  if (typeof o.attempt !== 'number' || !Number.isInteger(o.attempt) || o.attempt < 1 || o.attempt > 1000) errors.push('attempt must be an integer >= 1');
  if (typeof o.status !== 'string' || !(PROVIDER_EVENT_STATUSES as readonly string[]).includes(o.status)) {
    errors.push(`status must be one of ${PROVIDER_EVENT_STATUSES.join(', ')}`);
  }
  if (o.provider_call_id !== undefined && o.provider_call_id !== null
    && (typeof o.provider_call_id !== 'string' || o.provider_call_id.length === 0 || o.provider_call_id.length > 200)) {
    errors.push('provider_call_id must be a string of 1-200 characters');
  }
  if (o.duration_seconds !== undefined && o.duration_seconds !== null
    && (typeof o.duration_seconds !== 'number' || !Number.isInteger(o.duration_seconds) || o.duration_seconds < 0)) {
    errors.push('duration_seconds must be an integer >= 0');
  }
  if (typeof o.occurred_at !== 'string' || Number.isNaN(Date.parse(o.occurred_at))) errors.push('occurred_at must be an ISO instant');
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: o as unknown as ProviderEvent };
}
