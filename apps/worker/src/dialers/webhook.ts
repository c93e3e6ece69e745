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
import type { Clock } from '../clock/clock.ts';
import { sleepFor } from '../clock/clock.ts';
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
  readonly deduplicates = true;

  constructor(private readonly o: WebhookDialerOptions) {}

  async dial(request: DialRequest): Promise<DialResult> {
    const body = webhookDialBody(request);
    const sends = this.o.sends ?? 4;
    let last = '';
    for (let i = 1; i <= sends; i++) {
      const result = await this.send(request.idempotencyKey, body);
      if (result.kind !== 'unconfirmed') return result;
      last = result.reason;
      if (i < sends) await sleepFor(this.o.clock, (this.o.backoffMs ?? 500) * 2 ** (i - 1));
    }
    return { kind: 'unconfirmed', reason: `${sends} sends without an answer (last: ${last})` };
  }

  async close(): Promise<void> {}

  private async send(idempotencyKey: string, body: string): Promise<DialResult> {
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
      if (response.status >= 200 && response.status < 300) return { kind: 'confirmed', providerCallId: providerCallIdOf(text) };
      if (response.status >= 400 && response.status < 500) return { kind: 'rejected', reason: `HTTP ${response.status}: ${text.slice(0, 200)}` };
      return { kind: 'unconfirmed', reason: `HTTP ${response.status}` };
    } catch (error) {
      return { kind: 'unconfirmed', reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
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
