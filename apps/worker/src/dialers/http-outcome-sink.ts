// Delivers provider events to `POST /api/provider/events` over HTTP, signed
// with PROVIDER_EVENTS_SECRET, as a real provider would: used by the simulated
// dialer in a running system. A failure is retried a few times with backoff
// (on the clock port), then reported by rejecting.
import { signedHeaders, type ProviderEvent } from '@wakeplan/contract';
import { describeFailure, retryWithBackoff, sleepFor, type Clock, type TryResult } from '@wakeplan/runtime';
import type { OutcomeSink } from './dialer.ts';

export interface HttpOutcomeSinkOptions {
  url: string;
  secret: string;
  clock: Clock;
  attempts?: number;
  timeoutMs?: number;
}

export function createHttpOutcomeSink(o: HttpOutcomeSinkOptions): OutcomeSink {
  const post = async (event: ProviderEvent): Promise<TryResult<void>> => {
    const body = JSON.stringify(event);
    try {
      const response = await fetch(o.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedHeaders(o.secret, body, o.clock.now()) },
        body,
        signal: AbortSignal.timeout(o.timeoutMs ?? 5000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.status < 300 || response.status === 404) return { ok: true, value: undefined }; // 404: the call is gone; nothing to retry
      return { ok: false, reason: `HTTP ${response.status}`, final: response.status < 500 && response.status !== 429 };
    } catch (error) {
      return { ok: false, reason: describeFailure(error) };
    }
  };
  return async (event: ProviderEvent) => {
    const delivered = await retryWithBackoff(() => post(event), { attempts: o.attempts ?? 5, backoffMs: 250, sleep: (ms) => sleepFor(o.clock, ms) });
    if (!delivered.ok) throw new Error(`could not deliver the ${event.status} event of call ${event.call_id}: ${delivered.reason}`);
  };
}
