// The webhook dialer (DESIGN.md §6): POST $DIALER_WEBHOOK_URL with
// { call_id, attempt, to, agent_id, campaign_id, variables, callback_url },
// headers Idempotency-Key (`callId:attempt`), X-Wakeplan-Timestamp and
// X-Wakeplan-Signature (HMAC-SHA256 of "<timestamp>.<body>").
//
//   2xx (with { provider_call_id } when the receiver has one) → confirmed;
//   409 → confirmed without a provider id: "already in progress" for that key
//         (a progress or outcome event brings the id);
//   408, 425, 429, 5xx, a timeout or a network error → sent again, same body,
//         same key (re-signed with a fresh timestamp), after backoff or the
//         answer's Retry-After (capped); still nothing → `refused` when the last
//         answer was a 429 (nothing was placed: the worker sends it again not
//         before its Retry-After), else `unconfirmed` (the worker re-sends);
//   any other 4xx → rejected (the attempt failed; the retry policy decides).
//
// Invariant: the body of every send of one attempt is byte-identical, and the
// receiver promises to treat a repeated key as the same call (deduplicates).
import { signedHeaders, webhookDialBody, type DialRequest } from '@wakeplan/contract';
import { describeFailure, sleepFor, type Clock } from '@wakeplan/runtime';
import type { Dialer, DialResult } from './dialer.ts';

export interface WebhookDialerOptions {
  url: string;
  secret: string;
  clock: Clock;
  /** Per request. */
  timeoutMs?: number;
  /** Sends of one attempt in all (first try included). */
  sends?: number;
  backoffMs?: number;
  /** The longest wait between two sends, whatever Retry-After asks (default 30 s). */
  maxRetryAfterMs?: number;
}

/** Statuses that mean "not now, try again": the request may not have been processed. */
const TRANSIENT_4XX = new Set([408, 425, 429]);

type SendOutcome =
  | { final: true; result: DialResult }
  | { final: false; reason: string; status: number | null; retryAfterMs: number | null };

export class WebhookDialer implements Dialer {
  readonly name = 'webhook';
  readonly resend = 'deduplicates' as const;

  constructor(private readonly o: WebhookDialerOptions) {}

  async dial(request: DialRequest): Promise<DialResult> {
    const body = webhookDialBody(request);
    const sends = this.o.sends ?? 4;
    const backoffMs = this.o.backoffMs ?? 500;
    const maxWaitMs = this.o.maxRetryAfterMs ?? 30_000;
    let last: Extract<SendOutcome, { final: false }> = { final: false, reason: 'no send made', status: null, retryAfterMs: null };
    for (let n = 1; n <= sends; n++) {
      const sent = await this.send(request.idempotencyKey, body);
      if (sent.final) return sent.result;
      last = sent;
      if (n < sends) await sleepFor(this.o.clock, Math.min(Math.max(backoffMs * 2 ** (n - 1), sent.retryAfterMs ?? 0), maxWaitMs));
    }
    if (last.status === 429) return { kind: 'refused', reason: `${sends} sends refused (last: ${last.reason})`, retryAfterMs: last.retryAfterMs };
    return { kind: 'unconfirmed', reason: `${sends} sends without an answer (last: ${last.reason})` };
  }

  async close(): Promise<void> {}

  private async send(idempotencyKey: string, body: string): Promise<SendOutcome> {
    try {
      const response = await fetch(this.o.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
          ...signedHeaders(this.o.secret, body, this.o.clock.now()),
        },
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
      const text = await response.text().catch(() => '');
      const status = response.status;
      if (status >= 200 && status < 300) return { final: true, result: { kind: 'confirmed', providerCallId: providerCallIdOf(text) } };
      if (status === 409) return { final: true, result: { kind: 'confirmed', providerCallId: null } };
      if (status >= 400 && status < 500 && !TRANSIENT_4XX.has(status)) {
        return { final: true, result: { kind: 'rejected', reason: `HTTP ${status}: ${text.slice(0, 200)}` } };
      }
      const retryAfterMs = retryAfterOf(response.headers.get('retry-after'), this.o.clock.now());
      return { final: false, reason: `HTTP ${status}`, status, retryAfterMs };
    } catch (error) {
      return { final: false, reason: describeFailure(error), status: null, retryAfterMs: null };
    }
  }
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
