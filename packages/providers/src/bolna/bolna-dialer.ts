// Bolna: start a call (`POST /call`, Bearer key; no official SDK) and find one
// again. The campaign's agent_id is Bolna's agent id; per-contact variables and
// our call id, attempt and key go to `user_data` (the prompt's variables, kept
// in the execution's context details).
//
// find(): `GET /v2/agent/{agent_id}/executions` (newest page) and match our key
// in the execution's context; an execution without it matches by
// `telephony_data.to_number` within the look-back. One → found; none →
// not_found; several → unknown (never a guess, never a second call).
import type { DialRequest } from '@wakeplan/contract';
import type { Clock } from '@wakeplan/runtime';
import { attemptTag, type AdapterTiming, type CallLookup, type DialResult, type ProviderDialer } from '../dialer-port.ts';
import { classifyCreate, classifyLookup, exchange, lookupOf, mentionsConcurrency, stringField } from '../provider-http.ts';

export interface BolnaDialerOptions extends AdapterTiming {
  apiKey: string;
  fromNumber: string | undefined;
  apiBaseUrl: string;
  clock: Clock;
}

export class BolnaDialer implements ProviderDialer {
  readonly name = 'bolna';
  readonly resend = 'reconciles' as const;

  constructor(private readonly o: BolnaDialerOptions) {}

  async dial(request: DialRequest): Promise<DialResult> {
    const body = JSON.stringify({
      agent_id: request.agentId,
      recipient_phone_number: request.to,
      ...(this.o.fromNumber ? { from_phone_number: this.o.fromNumber } : {}),
      user_data: { ...request.variables, ...attemptTag(request) },
    });
    const answer = await exchange({ method: 'POST', url: `${this.o.apiBaseUrl}/call`, headers: this.headers(), body, timeoutMs: this.o.timeoutMs });
    return classifyCreate(answer, { idOf: (b) => stringField(b, 'execution_id'), isConcurrencyLimit: ({ text }) => mentionsConcurrency(text) });
  }

  async find(request: DialRequest): Promise<CallLookup> {
    const url = `${this.o.apiBaseUrl}/v2/agent/${encodeURIComponent(request.agentId)}/executions?page_number=1&page_size=50`;
    const answer = await exchange({ method: 'GET', url, headers: this.headers(), timeoutMs: this.o.timeoutMs });
    const sinceMs = this.o.clock.now().getTime() - this.o.lookbackMs;
    return classifyLookup(answer, (body) => {
      const executions = executionsOf(body);
      if (!executions) return { kind: 'unknown', reason: 'the execution list has no `data` array' };
      const tagged = executions.filter((e) => bolnaAttemptKey(e) === request.idempotencyKey);
      const untaggedRecent = executions.filter((e) => bolnaAttemptKey(e) === null
        && stringField((e as { telephony_data?: unknown }).telephony_data, 'to_number') === request.to
        && Date.parse(stringField(e, 'created_at') ?? '') >= sinceMs);
      return lookupOf([...tagged, ...untaggedRecent].map((e) => stringField(e, 'id')).filter((id): id is string => id !== null));
    });
  }

  async close(): Promise<void> {}

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.o.apiKey}`, 'content-type': 'application/json' };
  }
}

function executionsOf(body: unknown): unknown[] | null {
  if (Array.isArray(body)) return body;
  const data = (body as { data?: unknown } | null)?.data;
  return Array.isArray(data) ? data : null;
}

/** Our key in an execution's context (user_data is kept as the recipient data), else null. */
function bolnaAttemptKey(execution: unknown): string | null {
  const context = (execution as { context_details?: { recipient_data?: unknown } } | null)?.context_details;
  return stringField(context?.recipient_data, 'wakeplan_key');
}
