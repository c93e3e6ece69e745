// Retrying an operation that may fail for a while (an HTTP request to a process
// that is restarting): up to `attempts` tries, waiting backoffMs, then twice
// that, four times… between them. The wait is the caller's `sleep`, so the
// worker backs off on its clock port (virtual time in tests and `simulate`) and
// the API and CLI in real time.
//
// Invariants: a failed try is a value, never a throw; a try that says `final`
// (a 401, a 4xx that will not get better) ends the retries at once; there is no
// wait after the last try.
export type TryResult<T> = { ok: true; value: T } | { ok: false; reason: string; final?: boolean };

export type RetryResult<T> = { ok: true; value: T; attempts: number } | { ok: false; reason: string; attempts: number };

export interface RetryOptions {
  attempts: number;
  backoffMs: number;
  sleep: (ms: number) => Promise<void>;
}

export async function retryWithBackoff<T>(tryOnce: (attempt: number) => Promise<TryResult<T>>, o: RetryOptions): Promise<RetryResult<T>> {
  let reason = 'no attempt made';
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    const result = await tryOnce(attempt);
    if (result.ok) return { ok: true, value: result.value, attempts: attempt };
    reason = result.reason;
    if (result.final) return { ok: false, reason, attempts: attempt };
    if (attempt < o.attempts) await o.sleep(o.backoffMs * 2 ** (attempt - 1));
  }
  return { ok: false, reason, attempts: o.attempts };
}

/** A thrown fetch error as one line: "TimeoutError: The operation was aborted due to timeout". */
export function describeFailure(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
