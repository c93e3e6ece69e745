// The Neon compute model (DESIGN.md §2, §8): the database is awake from any
// statement or new connection until `suspendAfterMs` passes with neither. One
// implementation for `wakeplan simulate` (touch instants) and the activity report
// (intervals of recorded activity: a wake, a burst of requests).
//
// Invariants: pure and order-independent — the same multiset of touches or
// activity intervals gives the same result; an activity interval [s, e] counts as
// touches throughout it, so it keeps the database awake until e + suspend; a
// touch instant t is the interval [t, t]. Hours and wakes are clipped to the period.
export interface AwakeInterval { start: number; end: number }

export interface ComputeUsage {
  /** Merged awake intervals, unclipped, in order. */
  awake: AwakeInterval[];
  /** Hours awake inside [periodStart, periodEnd). */
  computeHours: number;
  /** Suspended → awake transitions that overlap the period. */
  wakes: number;
}

/** Awake time from intervals of activity (each [start, end], start ≤ end, in ms). */
export function awakeFromActivity(activity: Iterable<AwakeInterval>, suspendAfterMs: number, periodStartMs: number, periodEndMs: number): ComputeUsage {
  const sorted = [...activity].sort((a, b) => a.start - b.start || a.end - b.end);
  const awake: AwakeInterval[] = [];
  for (const a of sorted) {
    const last = awake[awake.length - 1];
    const end = Math.max(a.start, a.end) + suspendAfterMs;
    if (last && a.start <= last.end) last.end = Math.max(last.end, end);
    else awake.push({ start: a.start, end });
  }
  let ms = 0;
  for (const i of awake) ms += Math.max(0, Math.min(i.end, periodEndMs) - Math.max(i.start, periodStartMs));
  const wakes = awake.filter((i) => i.start < periodEndMs && i.end > periodStartMs).length;
  return { awake, computeHours: ms / 3_600_000, wakes };
}

/** Awake time from the instants the database was touched (statements, new connections). */
export function computeUsage(touchesMs: Iterable<number>, suspendAfterMs: number, periodStartMs: number, periodEndMs: number): ComputeUsage {
  const activity: AwakeInterval[] = [];
  for (const t of touchesMs) activity.push({ start: t, end: t });
  return awakeFromActivity(activity, suspendAfterMs, periodStartMs, periodEndMs);
}
