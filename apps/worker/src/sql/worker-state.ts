// What a worker publishes about itself (DESIGN.md §3), for `GET
// /api/scheduler/status` when the worker's /health does not answer (the API
// reads the row back: apps/api scheduler/published-worker-state.ts).
//
// Invariant: the worker calls this only while it is connected anyway (after
// dispatching, just before ending its connections to sleep): publishing never
// opens a connection to a sleeping database by itself.
import type { Queryable } from '@wakeplan/db';

export const WORKER_STATES = ['starting', 'dispatching', 'waiting', 'asleep', 'stopping'] as const;
export type WorkerStateName = (typeof WORKER_STATES)[number];

export interface PublishedWorkerState {
  workerId: string;
  state: WorkerStateName;
  nextWakeAt: Date | null;
  nextWakeReason: string | null;
  callsInFlight: number;
  counters: Record<string, number>;
  updatedAt: Date;
}

export async function publishWorkerState(sql: Queryable, s: PublishedWorkerState): Promise<void> {
  const counters = JSON.stringify(s.counters);
  await sql`
    insert into worker_state (worker_id, state, next_wake_at, next_wake_reason, calls_in_flight, counters, updated_at)
    values (${s.workerId}, ${s.state}, ${s.nextWakeAt}, ${s.nextWakeReason}, ${s.callsInFlight}, ${counters}::text::jsonb, ${s.updatedAt})
    on conflict (worker_id) do update set state = excluded.state, next_wake_at = excluded.next_wake_at,
      next_wake_reason = excluded.next_wake_reason, calls_in_flight = excluded.calls_in_flight,
      counters = excluded.counters, updated_at = excluded.updated_at`;
}
