// The state the worker last published to `worker_state` (apps/worker
// sql/worker-state.ts writes it), read by the scheduler status when the
// worker's /health does not answer. Read only by a caller that is querying the
// database anyway: it never wakes a sleeping database by itself.
import type { Queryable } from '@wakeplan/db';
import { numbersOnly, type WorkerObservation } from '../worker-link/worker-health.ts';

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
