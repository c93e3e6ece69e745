// Delivers provider events to `POST /api/provider/events` over HTTP, signed
// with PROVIDER_EVENTS_SECRET, as a real provider would: used by the simulated
// dialer in a running system. A failure is retried a few times with backoff
// (on the clock port), then reported by rejecting.
import { signedHeaders, type ProviderEvent } from '@wakeplan/contract';
import type { Clock } from '../clock/clock.ts';
import { sleepFor } from '../clock/clock.ts';
import type { OutcomeSink } from './dialer.ts';

export interface HttpOutcomeSinkOptions {
  url: string;
  secret: string;
  clock: Clock;
  attempts?: number;
  timeoutMs?: number;
}

export function createHttpOutcomeSink(o: HttpOutcomeSinkOptions): OutcomeSink {
  const attempts = o.attempts ?? 5;
  return async (event: ProviderEvent) => {
    const body = JSON.stringify(event);
    let last = '';
    for (let i = 1; i <= attempts; i++) {
      try {
        const response = await fetch(o.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...signedHeaders(o.secret, body, o.clock.now()) },
          body,
          signal: AbortSignal.timeout(o.timeoutMs ?? 5000),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.status < 300 || response.status === 404) return; // 404: the call is gone; nothing to retry
        last = `HTTP ${response.status}`;
        if (response.status < 500 && response.status !== 429) break;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      if (i < attempts) await sleepFor(o.clock, 250 * 2 ** (i - 1));
    }
    throw new Error(`could not deliver the ${event.status} event of call ${event.call_id}: ${last}`);
  };
}
