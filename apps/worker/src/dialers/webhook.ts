// The webhook dialer (DESIGN.md §6): POST $DIALER_WEBHOOK_URL with
// { call_id, attempt, to, agent_id, campaign_id, variables, callback_url },
// headers Idempotency-Key (`callId:attempt`), X-Wakeplan-Timestamp and
// X-Wakeplan-Signature (HMAC-SHA256 of "<timestamp>.<body>").
//
//   2xx with { provider_call_id } → confirmed;   4xx → rejected (attempt failed);
//   5xx, a timeout or a network error → re-sent with backoff, same body, same
//   key (re-signed with a fresh timestamp); still nothing → unconfirmed.
//
// Invariant: the body of every send of one attempt is byte-identical, and the
// receiver promises to treat a repeated key as the same call (deduplicates).
import { signedHeaders, webhookDialBody, type DialRequest } from '@wakeplan/contract';
import { describeFailure, retryWithBackoff, sleepFor, type Clock, type TryResult } from '@wakeplan/runtime';
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
}

export class WebhookDialer implements Dialer {
  readonly name = 'webhook';
  readonly resend = 'deduplicates' as const;

  constructor(private readonly o: WebhookDialerOptions) {}

  async dial(request: DialRequest): Promise<DialResult> {
    const body = webhookDialBody(request);
    const sends = this.o.sends ?? 4;
    const sent = await retryWithBackoff(() => this.send(request.idempotencyKey, body), {
      attempts: sends, backoffMs: this.o.backoffMs ?? 500, sleep: (ms) => sleepFor(this.o.clock, ms),
    });
    if (sent.ok) return sent.value;
    return { kind: 'unconfirmed', reason: `${sends} sends without an answer (last: ${sent.reason})` };
  }

  async close(): Promise<void> {}

  /** An answer (confirmed or rejected) ends the sends; no answer is worth another. */
  private async send(idempotencyKey: string, body: string): Promise<TryResult<DialResult>> {
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
      if (response.status >= 200 && response.status < 300) return { ok: true, value: { kind: 'confirmed', providerCallId: providerCallIdOf(text) } };
      if (response.status >= 400 && response.status < 500) return { ok: true, value: { kind: 'rejected', reason: `HTTP ${response.status}: ${text.slice(0, 200)}` } };
      return { ok: false, reason: `HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, reason: describeFailure(error) };
    }
  }
}

function providerCallIdOf(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as { provider_call_id?: unknown };
    return typeof parsed.provider_call_id === 'string' && parsed.provider_call_id !== '' ? parsed.provider_call_id : null;
  } catch {
    return null;
  }
}
