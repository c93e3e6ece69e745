// The Neon-like compute model: the database is awake from any statement or new
// connection until `suspendAfterMs` passes with neither. From the instants the
// database was touched it derives the awake intervals, the compute hours inside the
// simulated period, and the wakes (suspended → awake transitions).
//
// Invariant: pure and order-independent: the same multiset of touches gives the
// same result.
export interface Interval { start: number; end: number }

export interface ComputeUsage {
  awake: Interval[];
  computeHours: number;
  wakes: number;
}

export function computeUsage(touchesMs: Iterable<number>, suspendAfterMs: number, periodStartMs: number, periodEndMs: number): ComputeUsage {
  const sorted = Float64Array.from(touchesMs).sort();
  const awake: Interval[] = [];
  for (const t of sorted) {
    const last = awake[awake.length - 1];
    if (last && t <= last.end) last.end = Math.max(last.end, t + suspendAfterMs);
    else awake.push({ start: t, end: t + suspendAfterMs });
  }
  let ms = 0;
  for (const i of awake) ms += Math.max(0, Math.min(i.end, periodEndMs) - Math.max(i.start, periodStartMs));
  const wakes = awake.filter((i) => i.start < periodEndMs && i.end > periodStartMs).length;
  return { awake, computeHours: ms / 3_600_000, wakes };
}
