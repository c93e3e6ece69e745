// The webhook dialer (DESIGN.md §6): POST $DIALER_WEBHOOK_URL with
// { call_id, attempt, to, agent_id, campaign_id, variables, callback_url },
// headers Idempotency-Key (`callId:attempt`), X-Wakeplan-Timestamp and
// X-Wakeplan-Signature (HMAC-SHA256 of "<timestamp>.<body>").
//
//   2xx (with { provider_call_id } when the receiver has one) → confirmed;
//   409 → confirmed without a provider id: "already in progress" for that key
//         (a progress or outcome event brings the id);
//   429, or a connection refused before anything was sent → refused: nothing
//         was placed; the worker sends it again not before the answer's
//         Retry-After (capped);
//   408, 425, 5xx, a timeout or any other network error → unconfirmed: the
//         worker sends it again later under the same key;
//   any other 4xx → rejected (the attempt failed; the retry policy decides).
//
// Invariants: one dial() is exactly one request. Sending again is the worker's
// job (dispatch.ts, sql/resends.ts), because every request that leaves must pass
// the dial rule right before it does — a retry loop in here would send after the
// campaign was paused, its window closed or the attempt's outcome arrived. The
// body of every send of one attempt is byte-identical (re-signed with a fresh
// timestamp), and the receiver promises to treat a repeated key as the same
// call (deduplicates).
import { signedHeaders, webhookDialBody, type DialRequest } from '@wakeplan/contract';
import { describeFailure, type Clock } from '@wakeplan/runtime';
import type { Dialer, DialResult } from './dialer.ts';

export interface WebhookDialerOptions {
  url: string;
  secret: string;
  clock: Clock;
  /** Per request. */
  timeoutMs?: number;
  /** The longest wait a 429's Retry-After can ask for before the next send (default 10 minutes). */
  maxRetryAfterMs?: number;
}

const DEFAULT_MAX_RETRY_AFTER_MS = 10 * 60_000;

/** 4xx statuses that mean "not now" and say nothing of whether the request was processed. */
const TRANSIENT_4XX = new Set([408, 425]);

export class WebhookDialer implements Dialer {
  readonly name = 'webhook';
  readonly resend = 'deduplicates' as const;

  constructor(private readonly o: WebhookDialerOptions) {}

  async dial(request: DialRequest): Promise<DialResult> {
    const body = webhookDialBody(request);
    try {
      const response = await fetch(this.o.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': request.idempotencyKey,
          ...signedHeaders(this.o.secret, body, this.o.clock.now()),
        },
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
      const text = await response.text().catch(() => '');
      const status = response.status;
      if (status >= 200 && status < 300) return { kind: 'confirmed', providerCallId: providerCallIdOf(text) };
      if (status === 409) return { kind: 'confirmed', providerCallId: null };
      if (status === 429) {
        const retryAfterMs = retryAfterOf(response.headers.get('retry-after'), this.o.clock.now());
        const cap = this.o.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
        return { kind: 'refused', reason: `HTTP 429: ${text.slice(0, 200)}`, retryAfterMs: retryAfterMs === null ? null : Math.min(retryAfterMs, cap) };
      }
      if (status >= 400 && status < 500 && !TRANSIENT_4XX.has(status)) return { kind: 'rejected', reason: `HTTP ${status}: ${text.slice(0, 200)}` };
      return { kind: 'unconfirmed', reason: `HTTP ${status}` };
    } catch (error) {
      if (refusedBeforeSending(error)) return { kind: 'refused', reason: describeFailure(error), retryAfterMs: null };
      return { kind: 'unconfirmed', reason: describeFailure(error) };
    }
  }

  async close(): Promise<void> {}
}

/** The connection was refused: the receiver never saw the request. */
function refusedBeforeSending(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return cause?.code === 'ECONNREFUSED';
}

/** Retry-After as milliseconds from now: delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterOf(header: string | null, now: Date): number | null {
  if (header === null || header.trim() === '') return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

function providerCallIdOf(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as { provider_call_id?: unknown };
    return typeof parsed.provider_call_id === 'string' && parsed.provider_call_id !== '' ? parsed.provider_call_id : null;
  } catch {
    return null;
  }
}
