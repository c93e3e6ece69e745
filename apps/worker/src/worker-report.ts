// How the worker describes itself: GET /health (from memory only, never the
// database) and the row it publishes to worker_state (only while connected
// anyway). The row is the API's fallback when /health does not answer, so it
// is written when the state changes, always before sleeping (it then holds the
// next wake), and otherwise at most every REST_PUBLISH_EVERY_MS while the
// worker keeps waiting between dials — not once per pass (issue 11: statements
// per dialed call); its updated_at says how old it is.
import type { WorkerHealthBody } from '@wakeplan/contract';
import type { Queryable } from '@wakeplan/db';
import type { WorkerCounters } from './counters.ts';
import type { PlanEvaluation } from './plan-evaluation.ts';
import type { SchedulingMode } from './scheduling-mode.ts';
import { publishWorkerState, type WorkerStateName } from './sql/worker-state.ts';

export interface PlannedWake {
  at: Date;
  reason: string;
}

/** The /health body of the contract, with this worker's own names for mode, state and counters. */
export interface WorkerHealth extends WorkerHealthBody {
  mode: SchedulingMode['kind'];
  state: WorkerStateName;
  counters: WorkerCounters;
}

export function toHealth(s: {
  mode: SchedulingMode; state: WorkerStateName; planned: PlannedWake | null; evaluation: PlanEvaluation | null;
  listening: boolean; counters: WorkerCounters; startedAt: Date; now: Date;
}): WorkerHealth {
  return {
    status: 'ok',
    mode: s.mode.kind,
    state: s.state,
    nextWakeAt: s.planned?.at.toISOString() ?? null,
    nextWakeReason: s.planned?.reason ?? null,
    callsInFlight: s.evaluation?.inFlight ?? 0,
    listening: s.listening,
    counters: { ...s.counters },
    startedAt: s.startedAt.toISOString(),
    uptimeS: Math.round((s.now.getTime() - s.startedAt.getTime()) / 1000),
  };
}

export interface RestReport {
  workerId: string;
  state: WorkerStateName;
  wake: PlannedWake | null;
  inFlight: number;
  counters: WorkerCounters;
}

/** While the state stays the same (and is not asleep), the row is written again after this long at most. */
export const REST_PUBLISH_EVERY_MS = 30_000;

/** Whether a rest must be written now, given the last one written (null: none yet). */
export function restNeedsPublishing(last: { state: WorkerStateName; at: Date } | null, state: WorkerStateName, at: Date): boolean {
  if (!last || last.state !== state || state === 'asleep') return true;
  const age = at.getTime() - last.at.getTime();
  return age < 0 || age >= REST_PUBLISH_EVERY_MS;
}

export async function publishRest(sql: Queryable, at: Date, r: RestReport): Promise<void> {
  await publishWorkerState(sql, {
    workerId: r.workerId,
    state: r.state,
    nextWakeAt: r.wake?.at ?? null,
    nextWakeReason: r.wake?.reason ?? null,
    callsInFlight: r.inFlight,
    counters: { ...r.counters },
    updatedAt: at,
  });
}
