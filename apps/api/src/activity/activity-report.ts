// The activity report (`GET /api/scheduler/activity`): from the ledger's
// intervals, the database's modelled awake time (schedule-core's awake model —
// the one `wakeplan simulate` uses), the polling baseline over the same period,
// and what the difference saves.
//
// Invariants: pure; the period observed starts at the earliest recorded entry
// (or the requested start, if later) — hours before Wakeplan recorded anything
// are neither awake nor saved; polling (a statement every few seconds, always)
// keeps the database awake the whole observed period under the same model.
import { awakeFromActivity, type AwakeInterval } from '@wakeplan/schedule-core';
import type { LedgerEntry } from '@wakeplan/db';

/** What the ledger cannot know: said in every report. */
const CANNOT_SEE = [
  'other clients of the same database (psql, migrations, dashboards, other applications): they wake it too, and are not in this ledger',
  'entries a process had not yet written when it was killed (the worker writes at the end of each wake, the API with its next request that touches the database)',
] as const;

export interface ActivitySettings { suspendMinutes: number; cuHourPrice: number; computeUnits: number }

export interface ActivityReport {
  from: string;
  to: string;
  observed_from: string | null;
  period_hours: number;
  observed_hours: number;
  intervals: { process: 'worker' | 'api'; start: string; end: string; reason: string; statements: number; details: Record<string, number> }[];
  awake: { start: string; end: string }[];
  awake_hours: number;
  asleep_hours: number;
  asleep_percent: number;
  polling_hours: number;
  saved_hours: number;
  saved_cost: { usd: number; cu_hour_price: number; compute_units: number };
  suspend_minutes: number;
  cannot_see: string[];
}

export function buildActivityReport(entries: readonly LedgerEntry[], now: Date, days: number, s: ActivitySettings): ActivityReport {
  const toMs = now.getTime();
  const fromMs = toMs - days * 86_400_000;
  const suspendMs = s.suspendMinutes * 60_000;
  // An entry that ended shortly before the period still keeps the database awake into it.
  const inPeriod = entries.filter((e) => e.endedAt.getTime() + suspendMs > fromMs && e.startedAt.getTime() < toMs)
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.id.localeCompare(b.id));
  const earliest = inPeriod.length > 0 ? Math.min(...inPeriod.map((e) => e.startedAt.getTime())) : null;
  const observedFromMs = earliest === null ? toMs : Math.max(fromMs, earliest);
  const activity: AwakeInterval[] = inPeriod.map((e) => ({ start: e.startedAt.getTime(), end: e.endedAt.getTime() }));
  const usage = awakeFromActivity(activity, suspendMs, fromMs, toMs);
  const polling = awakeFromActivity(observedFromMs < toMs ? [{ start: observedFromMs, end: toMs }] : [], suspendMs, observedFromMs, toMs);
  const observedHours = (toMs - observedFromMs) / 3_600_000;
  const savedHours = Math.max(0, polling.computeHours - usage.computeHours);
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    from: iso(fromMs),
    to: iso(toMs),
    observed_from: earliest === null ? null : iso(observedFromMs),
    period_hours: round(days * 24),
    observed_hours: round(observedHours),
    intervals: inPeriod.map((e) => ({
      process: e.process, start: e.startedAt.toISOString(), end: e.endedAt.toISOString(), reason: e.reason, statements: e.statements, details: e.details,
    })),
    awake: usage.awake
      .filter((i) => i.end > fromMs && i.start < toMs)
      .map((i) => ({ start: iso(Math.max(i.start, fromMs)), end: iso(Math.min(i.end, toMs)) })),
    awake_hours: round(usage.computeHours),
    asleep_hours: round(Math.max(0, observedHours - usage.computeHours)),
    asleep_percent: observedHours > 0 ? round(100 * Math.max(0, 1 - usage.computeHours / observedHours), 1) : 0,
    polling_hours: round(polling.computeHours),
    saved_hours: round(savedHours),
    saved_cost: { usd: round(savedHours * s.computeUnits * s.cuHourPrice, 4), cu_hour_price: s.cuHourPrice, compute_units: s.computeUnits },
    suspend_minutes: s.suspendMinutes,
    cannot_see: [...CANNOT_SEE],
  };
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
