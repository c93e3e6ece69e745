// Retell's wire, as the chaos suite's reconciling provider speaks it (the worker
// runs DIALER=retell against it). Written from PROVIDERS.md and Retell's docs —
// not from the adapter in packages/providers, so the run checks one against the
// other:
//
//   create   POST /v2/create-phone-call, `Authorization: Bearer <API key>`, JSON
//            { from_number, to_number, override_agent_id, metadata, … } → 201
//            { call_id, call_status: "registered" }; NO idempotency: every
//            accepted create is a new call;
//   lookup   POST /v3/list-calls { filter_criteria: { metadata: [{ key, op: "eq", value }] } }
//            → 200 { items: [{ call_id, call_status, metadata }], has_more };
//   webhook  POST <agent's webhook URL> { event, call }, `x-retell-signature:
//            v=<ms>,d=<hex HMAC-SHA256(API key, raw body + ms)>`; call_started
//            only for calls that connected; call_ended and call_analyzed carry
//            `disconnection_reason`.
//
// Invariant: pure functions of their input; the fake provider keeps the calls.
import { createHmac } from 'node:crypto';
import type { ProviderEventStatus } from '@wakeplan/contract';

export const RETELL_CREATE_PATH = '/v2/create-phone-call';
export const RETELL_LIST_PATH = '/v3/list-calls';

/** What the fake needs from a create request. */
export interface RetellCreate {
  callId: string;
  attempt: number;
  /** Our attempt key, from `metadata.wakeplan_key` (the same `call_id:attempt` as the webhook's Idempotency-Key). */
  key: string;
  to: string;
  metadata: Record<string, unknown>;
}

export function bearerOk(authorization: string | undefined, apiKey: string): boolean {
  return authorization === `Bearer ${apiKey}`;
}

/** The create body, or why it is not one Retell would accept (a 400). */
export function readRetellCreate(raw: string): RetellCreate | string {
  let body: Record<string, any>;
  try {
    body = JSON.parse(raw) as Record<string, any>;
  } catch {
    return 'body is not JSON';
  }
  if (typeof body.from_number !== 'string' || typeof body.to_number !== 'string') return 'from_number and to_number are required';
  const metadata = body.metadata as Record<string, unknown> | undefined;
  const key = metadata?.wakeplan_key;
  const callId = metadata?.wakeplan_call_id;
  const attempt = Number(metadata?.wakeplan_attempt);
  if (!metadata || typeof key !== 'string' || typeof callId !== 'string' || !Number.isInteger(attempt)) return 'the chaos provider needs metadata.wakeplan_key, _call_id and _attempt';
  return { callId, attempt, key, to: body.to_number, metadata };
}

export function createdAnswer(retellCallId: string, metadata: Record<string, unknown>): unknown {
  return { call_id: retellCallId, call_status: 'registered', metadata };
}

/** The metadata filter of a list-calls body: [key, value] pairs, or why it is not one. */
export function readListFilter(raw: string): [string, string][] | string {
  try {
    const filter = (JSON.parse(raw) as { filter_criteria?: { metadata?: { key: string; op: string; value: string }[] } }).filter_criteria?.metadata;
    if (!Array.isArray(filter) || filter.some((f) => f.op !== 'eq')) return 'filter_criteria.metadata must be a list of { key, op: "eq", value }';
    return filter.map((f) => [f.key, f.value]);
  } catch {
    return 'body is not JSON';
  }
}

export interface ListedCall {
  retellCallId: string;
  metadata: Record<string, unknown>;
  ended: boolean;
  outcome: ProviderEventStatus;
}

export function listAnswer(calls: ListedCall[]): unknown {
  return {
    items: calls.map((c) => ({ call_id: c.retellCallId, call_status: c.ended ? (connected(c.outcome) ? 'ended' : 'not_connected') : 'ongoing', metadata: c.metadata })),
    has_more: false,
  };
}

/** The disconnection_reason Retell gives for each outcome the fake draws. */
const REASON: Partial<Record<ProviderEventStatus, string>> = {
  completed: 'user_hangup', no_answer: 'dial_no_answer', busy: 'dial_busy', voicemail: 'voicemail_reached', failed: 'dial_failed', canceled: 'manual_stopped',
};

/** Retell sends call_started only for a call that connected (an answered call, or a voicemail greeting). */
function connected(outcome: ProviderEventStatus): boolean {
  return outcome === 'completed' || outcome === 'voicemail';
}

export interface WebhookCall {
  retellCallId: string;
  to: string;
  metadata: Record<string, unknown>;
  startedAt: number;
  endedAt: number | null;
  outcome: ProviderEventStatus;
}

export type RetellEvent = 'call_started' | 'call_ended' | 'call_analyzed';

/** The event carrying `status`, or null when Retell has none for it (ringing; progress of a call that never connected). */
export function eventFor(status: ProviderEventStatus, outcome: ProviderEventStatus): RetellEvent | null {
  if (status === 'in_progress') return connected(outcome) ? 'call_started' : null;
  if (status === 'ringing') return null;
  return 'call_ended';
}

export function webhookBody(event: RetellEvent, c: WebhookCall): string {
  const base = {
    call_id: c.retellCallId, call_type: 'phone_call', agent_id: 'agent-chaos', direction: 'outbound', to_number: c.to, metadata: c.metadata,
    start_timestamp: c.startedAt,
  };
  if (event === 'call_started') return JSON.stringify({ event, call: { ...base, call_status: 'ongoing' } });
  const end = c.endedAt ?? Date.now();
  const ended = {
    ...base, call_status: connected(c.outcome) ? 'ended' : 'not_connected', end_timestamp: end, duration_ms: end - c.startedAt,
    disconnection_reason: REASON[c.outcome] ?? 'error_unknown',
  };
  if (event === 'call_ended') return JSON.stringify({ event, call: ended });
  return JSON.stringify({ event, call: { ...ended, call_analysis: { in_voicemail: c.outcome === 'voicemail', call_successful: c.outcome === 'completed' } } });
}

/** `x-retell-signature` as Retell signs: v=<ms>,d=<hex HMAC-SHA256(API key, raw body + ms)>. */
export function retellSignatureHeader(apiKey: string, body: string, nowMs: number): string {
  return `v=${nowMs},d=${createHmac('sha256', apiKey).update(body + String(nowMs)).digest('hex')}`;
}
