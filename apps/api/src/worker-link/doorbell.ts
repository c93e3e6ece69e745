// The doorbell: `POST $WORKER_WAKE_URL` with `Bearer $WAKE_TOKEN`, rung after a
// plan-changing write commits (and by `wakeplan notify --ring`), because a
// sleeping worker does not LISTEN.
//
// Invariants: ringing never throws and never holds up its caller's response (the
// API does not await it on the request path); a failure is retried a few times
// with backoff (a 401/403 is not: a wrong token will not get better) and then
// reported to `onFailure`. It is a hint only. It carries the ids of the API
// requests whose writes it announces (header X-Request-Id: the latest; body
// `request_ids`: all of them, coalesced rings included), which the worker logs on
// the wake they cause.
import { bearerHeader, REQUEST_ID_HEADER } from '@wakeplan/contract';
import { describeFailure, retryWithBackoff, sleep, type TryResult } from '@wakeplan/runtime';

export interface DoorbellOptions {
  url: string | undefined;
  token: string | undefined;
  attempts?: number;
  timeoutMs?: number;
  backoffMs?: number;
  /** How to wait between tries; real time by default. */
  sleep?: (ms: number) => Promise<void>;
  onFailure?: (reason: string) => void;
  /** The API requests whose writes this ring announces, oldest first. */
  requestIds?: string[];
}

export type RingResult = { ok: true; attempts: number } | { ok: false; attempts: number; reason: string };

export async function ringDoorbell(reason: string, options: DoorbellOptions): Promise<RingResult> {
  const url = options.url;
  if (!url) return { ok: false, attempts: 0, reason: 'no doorbell configured' };
  const requestIds = options.requestIds ?? [];
  const headers: Record<string, string> = { authorization: bearerHeader(options.token ?? ''), 'content-type': 'application/json' };
  if (requestIds.length > 0) headers[REQUEST_ID_HEADER] = requestIds.at(-1)!;
  const body = JSON.stringify(requestIds.length > 0 ? { reason, request_ids: requestIds } : { reason });
  const ring = async (): Promise<TryResult<void>> => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 2000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.status < 300) return { ok: true, value: undefined };
      return { ok: false, reason: `HTTP ${response.status}`, final: response.status === 401 || response.status === 403 };
    } catch (error) {
      return { ok: false, reason: describeFailure(error) };
    }
  };
  const rung = await retryWithBackoff(ring, { attempts: options.attempts ?? 4, backoffMs: options.backoffMs ?? 200, sleep: options.sleep ?? sleep });
  if (rung.ok) return { ok: true, attempts: rung.attempts };
  options.onFailure?.(rung.reason);
  return { ok: false, attempts: rung.attempts, reason: rung.reason };
}
