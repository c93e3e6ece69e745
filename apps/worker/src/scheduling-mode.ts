// How the worker rests between passes, by scheduling mode, as a pure decision:
//
//   wakeplan       — the product: LISTEN while awake; wait (keep what is alive)
//                    while calls are in flight or the next wake is near; else
//                    sleep with no connection until the planned instant.
//   polling        — the seed's fallback (ENABLE_IN_MEMORY_SCHEDULER=false): a
//                    pass every intervalMs, always, whatever the plan says; no
//                    LISTEN (the doorbell still works).
//   window_polling — the seed's own approach, for `simulate`: asleep outside
//                    windows; a pass every intervalMs while a window with
//                    queued work is open (or calls are in flight); no LISTEN.
//
// Invariant: a planned wake is always strictly after `now` (a wake at or before
// now with nothing dispatchable would spin; the worker refuses it earlier).
import type { PlanEvaluation } from './plan-evaluation.ts';

export type SchedulingMode =
  | { kind: 'wakeplan' }
  | { kind: 'polling'; intervalMs: number }
  | { kind: 'window_polling'; intervalMs: number };

export interface RestDecision {
  state: 'waiting' | 'asleep';
  wake: { at: Date; reason: string } | null;
}

/** A next wake closer than this is waited for with connections kept rather than slept through. */
export const NEAR_WAKE_MS = 60_000;

export function modeListens(mode: SchedulingMode): boolean {
  return mode.kind === 'wakeplan';
}

export function decideRest(mode: SchedulingMode, ev: PlanEvaluation, now: Date): RestDecision {
  const planned = ev.nextWake
    ? { at: ev.nextWake.at, reason: ev.nextWake.campaignId ? `${ev.nextWake.reason} ${ev.nextWake.campaignId}` : ev.nextWake.reason }
    : null;
  const poll = (interval: number) => ({ at: new Date(now.getTime() + interval), reason: 'poll' });
  switch (mode.kind) {
    case 'polling':
      return { state: 'waiting', wake: poll(mode.intervalMs) };
    case 'window_polling':
      if (ev.openWindowWithWork || ev.inFlight > 0) return { state: 'waiting', wake: poll(mode.intervalMs) };
      return { state: 'asleep', wake: planned };
    case 'wakeplan': {
      const near = planned !== null && planned.at.getTime() - now.getTime() <= NEAR_WAKE_MS;
      return { state: ev.inFlight > 0 || near ? 'waiting' : 'asleep', wake: planned };
    }
  }
}

/**
 * A planned wake at or before the plan's own now, with nothing dispatchable,
 * would spin and keep the database awake: it is refused and replaced by a
 * back-off (1 min, doubling per refusal, at most 1 h). schedule-core never
 * plans one (its next wake is strictly after now); this is the guard.
 */
export function refuseSpinningWake(
  wake: RestDecision['wake'], planAt: Date, now: Date, refusedSoFar: number,
): { wake: RestDecision['wake']; refused: { at: Date; reason: string } | null } {
  if (!wake || wake.at.getTime() > planAt.getTime()) return { wake, refused: null };
  const backoffMs = Math.min(60_000 * 2 ** Math.min(refusedSoFar, 6), 3_600_000);
  return { wake: { at: new Date(now.getTime() + backoffMs), reason: `backoff after a refused wake (${wake.reason})` }, refused: wake };
}
