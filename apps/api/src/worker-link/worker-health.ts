// What the worker is doing, seen from the API: its live `GET /health` answer
// (the @wakeplan/contract WorkerHealthBody) when it answers within a short
// timeout; the caller falls back to the state the worker last published.
//
// Invariants: probing never throws and never waits longer than its timeout; the
// worker's /health never touches the database, and neither does the probe.

export type WorkerStateSource = 'live' | 'published' | 'unknown';

export interface WorkerObservation {
  state: string;
  source: WorkerStateSource;
  /** Seconds since the state was true: 0 when live, null when unknown. */
  ageSeconds: number | null;
  callsInFlight: number | null;
  nextWakeAt: string | null;
  /** The worker's activity counters (wakes, plan reads, dialed, …); null when unknown. */
  counters: Record<string, number> | null;
}

export const UNKNOWN_WORKER: WorkerObservation = Object.freeze({
  state: 'unknown', source: 'unknown', ageSeconds: null, callsInFlight: null, nextWakeAt: null, counters: null,
});

/** The worker's base URL (where /health is) from its doorbell URL (`…/wake`); undefined when there is no doorbell. */
export function workerBaseUrl(wakeUrl: string | undefined): string | undefined {
  return wakeUrl ? new URL('/', wakeUrl).toString().replace(/\/$/, '') : undefined;
}

/** GET {baseUrl}/health; null when unset, unreachable, slow or not understood. */
export async function probeWorkerHealth(baseUrl: string | undefined, timeoutMs = 500): Promise<WorkerObservation | null> {
  if (!baseUrl) return null;
  try {
    const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) {
      await response.arrayBuffer().catch(() => undefined);
      return null;
    }
    return readHealthBody(await response.json());
  } catch {
    return null;
  }
}

/** The worker's body as it sends it (WorkerHealthBody); null when it is not that. */
export function readHealthBody(body: unknown): WorkerObservation | null {
  const o = asRecord(body);
  if (!o || typeof o.state !== 'string') return null;
  return {
    state: o.state,
    source: 'live',
    ageSeconds: 0,
    callsInFlight: typeof o.callsInFlight === 'number' ? o.callsInFlight : null,
    nextWakeAt: typeof o.nextWakeAt === 'string' ? o.nextWakeAt : null,
    counters: numbersOnly(o.counters),
  };
}

/** Keeps the numeric entries of a counters object; null when there are none. */
export function numbersOnly(value: unknown): Record<string, number> | null {
  const o = asRecord(value);
  if (!o) return null;
  const entries = Object.entries(o).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]));
  return entries.length > 0 ? Object.fromEntries(entries) : null;
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
