// Vapi: create an outbound phone call (`POST /call`, Bearer key) and find one
// again. The campaign's agent_id is the assistant id; per-contact variables go
// to `assistantOverrides.variableValues`; our call id, attempt and key go to
// `assistantOverrides.metadata`, which Vapi returns with the call and in every
// server message, so both find() and the callbacks match an attempt exactly.
//
// find(): `GET /call?createdAtGt=<look-back>` and match the metadata key.
// A 201 whose subscriptionLimits say concurrencyBlocked still created a call
// (it will end with a call.start.error-… reason): that is `confirmed`, never
// re-sent; only a 429 or a concurrency answer to the create itself is `refused`.
import type { DialRequest } from '@wakeplan/contract';
import type { Clock } from '@wakeplan/runtime';
import { attemptTag, type AdapterTiming, type CallLookup, type DialResult, type ProviderDialer } from '../dialer-port.ts';
import { classifyCreate, classifyLookup, exchange, lookupOf, mentionsConcurrency, stringField } from '../provider-http.ts';

export interface VapiDialerOptions extends AdapterTiming {
  apiKey: string;
  phoneNumberId: string;
  apiBaseUrl: string;
  clock: Clock;
}

export class VapiDialer implements ProviderDialer {
  readonly name = 'vapi';
  readonly resend = 'reconciles' as const;

  constructor(private readonly o: VapiDialerOptions) {}

  async dial(request: DialRequest): Promise<DialResult> {
    const body = JSON.stringify({
      assistantId: request.agentId,
      phoneNumberId: this.o.phoneNumberId,
      customer: { number: request.to },
      assistantOverrides: { variableValues: request.variables, metadata: attemptTag(request) },
    });
    const answer = await exchange({ method: 'POST', url: `${this.o.apiBaseUrl}/call`, headers: this.headers(), body, timeoutMs: this.o.timeoutMs });
    return classifyCreate(answer, { idOf: (b) => stringField(b, 'id'), isConcurrencyLimit: ({ text }) => mentionsConcurrency(text) });
  }

  async find(request: DialRequest): Promise<CallLookup> {
    const since = new Date(this.o.clock.now().getTime() - this.o.lookbackMs).toISOString();
    const query = new URLSearchParams({ createdAtGt: since, limit: '1000' });
    const answer = await exchange({ method: 'GET', url: `${this.o.apiBaseUrl}/call?${query}`, headers: this.headers(), timeoutMs: this.o.timeoutMs });
    return classifyLookup(answer, (body) => {
      if (!Array.isArray(body)) return { kind: 'unknown', reason: 'the call list is not an array' };
      const ours = body.filter((call) => vapiAttemptKey(call) === request.idempotencyKey);
      return lookupOf(ours.map((call) => stringField(call, 'id')).filter((id): id is string => id !== null));
    });
  }

  async close(): Promise<void> {}

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.o.apiKey}`, 'content-type': 'application/json' };
  }
}

/** The `wakeplan_key` a Vapi call carries (assistantOverrides.metadata, or the call's own metadata). */
function vapiAttemptKey(call: unknown): string | null {
  const c = call as { assistantOverrides?: { metadata?: unknown }; metadata?: unknown } | null;
  return stringField(c?.assistantOverrides?.metadata, 'wakeplan_key') ?? stringField(c?.metadata, 'wakeplan_key');
}
