// What the worker is doing, seen from outside: its live `/health` answer when it
// answers within a short timeout, else the state it last published in the
// `worker_state` table (with its age), else "unknown".
//
// Invariants: probing never throws and never waits longer than its timeout; the
// worker's /health never touches the database, and neither does the probe. The
// published row is read only by a caller that is querying the database anyway.
import type { Queryable } from './client.ts';

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

/** Accepts the worker's body flat or inside the `{ success, data }` envelope, snake or camel case. */
export function readHealthBody(body: unknown): WorkerObservation | null {
  const outer = asRecord(body);
  const o = asRecord(outer?.data) ?? outer;
  if (!o || typeof o.state !== 'string') return null;
  const inFlight = o.callsInFlight ?? o.calls_in_flight ?? o.inFlight;
  const nextWake = o.nextWakeAt ?? o.next_wake_at ?? o.nextWake;
  return {
    state: o.state,
    source: 'live',
    ageSeconds: 0,
    callsInFlight: typeof inFlight === 'number' ? inFlight : null,
    nextWakeAt: typeof nextWake === 'string' ? nextWake : stringOrNull(asRecord(nextWake)?.at),
    counters: numbersOnly(o.counters),
  };
}

/** The most recently published worker state, aged against `at`; null when no worker ever published. */
export async function readPublishedWorkerState(sql: Queryable, at: Date): Promise<WorkerObservation | null> {
  const [row] = await sql<{ state: string; next_wake_at: Date | null; calls_in_flight: number; counters: unknown; updated_at: Date }[]>`
    select state, next_wake_at, calls_in_flight, counters, updated_at from worker_state
    order by updated_at desc limit 1`;
  if (!row) return null;
  return {
    state: row.state,
    source: 'published',
    ageSeconds: Math.max(0, Math.round((at.getTime() - row.updated_at.getTime()) / 1000)),
    callsInFlight: row.calls_in_flight,
    nextWakeAt: row.next_wake_at ? row.next_wake_at.toISOString() : null,
    counters: numbersOnly(row.counters),
  };
}

/** Keeps the numeric entries of a counters object; null when there are none. */
function numbersOnly(value: unknown): Record<string, number> | null {
  const o = asRecord(value);
  if (!o) return null;
  const entries = Object.entries(o).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]));
  return entries.length > 0 ? Object.fromEntries(entries) : null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
