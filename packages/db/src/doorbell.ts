// The doorbell: `POST $WORKER_WAKE_URL` with `Bearer $WAKE_TOKEN`, rung after a
// plan-changing write commits, because a sleeping worker does not LISTEN.
//
// Invariants: ringing never throws and never holds up its caller's response (the
// caller does not await it on the request path); a failure is retried a few times
// with backoff and then reported to `onFailure`. It is a hint only.
import { bearerHeader } from '@wakeplan/contract';

export interface DoorbellOptions {
  url: string | undefined;
  token: string | undefined;
  attempts?: number;
  timeoutMs?: number;
  backoffMs?: number;
  onFailure?: (reason: string) => void;
}

export type RingResult = { ok: true; attempts: number } | { ok: false; attempts: number; reason: string } | { ok: false; attempts: 0; reason: 'no doorbell configured' };

export async function ringDoorbell(reason: string, options: DoorbellOptions): Promise<RingResult> {
  if (!options.url) return { ok: false, attempts: 0, reason: 'no doorbell configured' };
  const attempts = options.attempts ?? 4;
  let last = '';
  for (let i = 1; i <= attempts; i++) {
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { authorization: bearerHeader(options.token ?? ''), 'content-type': 'application/json' },
        body: JSON.stringify({ reason }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 2000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.status < 300) return { ok: true, attempts: i };
      last = `HTTP ${response.status}`;
      if (response.status === 401 || response.status === 403) break; // a wrong token will not get better
    } catch (error) {
      last = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    if (i < attempts) await sleep((options.backoffMs ?? 200) * 2 ** (i - 1));
  }
  options.onFailure?.(last);
  return { ok: false, attempts, reason: last };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
