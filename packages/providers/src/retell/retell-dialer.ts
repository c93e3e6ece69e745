// Retell: create a phone call (`POST /v2/create-phone-call`, Bearer key) and
// find one again. The campaign's agent_id is `override_agent_id`; per-contact
// variables become `retell_llm_dynamic_variables` (strings, as Retell requires);
// our call id, attempt and key go to `metadata`, returned in every webhook.
//
// find(): `POST /v3/list-calls` with `filter_criteria.metadata` = our key (the
// filter of the official SDK's CallListParams), so the match is exact.
import type { DialRequest } from '@wakeplan/contract';
import { attemptTag, variableText, type AdapterTiming, type CallLookup, type DialResult, type ProviderDialer } from '../dialer-port.ts';
import { classifyCreate, classifyLookup, exchange, lookupOf, mentionsConcurrency, stringField } from '../provider-http.ts';

export interface RetellDialerOptions extends AdapterTiming {
  apiKey: string;
  fromNumber: string;
  apiBaseUrl: string;
}

export class RetellDialer implements ProviderDialer {
  readonly name = 'retell';
  readonly resend = 'reconciles' as const;

  constructor(private readonly o: RetellDialerOptions) {}

  async dial(request: DialRequest): Promise<DialResult> {
    const body = JSON.stringify({
      from_number: this.o.fromNumber,
      to_number: request.to,
      override_agent_id: request.agentId,
      retell_llm_dynamic_variables: Object.fromEntries(Object.entries(request.variables).map(([k, v]) => [k, variableText(v)])),
      metadata: attemptTag(request),
    });
    const answer = await exchange({ method: 'POST', url: `${this.o.apiBaseUrl}/v2/create-phone-call`, headers: this.headers(), body, timeoutMs: this.o.timeoutMs });
    return classifyCreate(answer, { idOf: (b) => stringField(b, 'call_id'), isConcurrencyLimit: ({ text }) => mentionsConcurrency(text) });
  }

  async find(request: DialRequest): Promise<CallLookup> {
    const body = JSON.stringify({
      filter_criteria: { metadata: [{ key: 'wakeplan_key', type: 'string', op: 'eq', value: request.idempotencyKey }] },
      limit: 10,
    });
    const answer = await exchange({ method: 'POST', url: `${this.o.apiBaseUrl}/v3/list-calls`, headers: this.headers(), body, timeoutMs: this.o.timeoutMs });
    return classifyLookup(answer, (b) => {
      const items = (b as { items?: unknown } | null)?.items;
      if (!Array.isArray(items)) return { kind: 'unknown', reason: 'the call list has no `items` array' };
      const ours = items.filter((call) => stringField((call as { metadata?: unknown }).metadata, 'wakeplan_key') === request.idempotencyKey);
      return lookupOf(ours.map((call) => stringField(call, 'call_id')).filter((id): id is string => id !== null));
    });
  }

  async close(): Promise<void> {}

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.o.apiKey}`, 'content-type': 'application/json' };
  }
}
