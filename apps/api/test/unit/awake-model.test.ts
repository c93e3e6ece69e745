// One awake-time model, one table: for the same activity, `wakeplan simulate`'s
// model (computeUsage over touch instants) and the activity report's (the ledger's
// intervals through buildActivityReport) give the same awake hours — each ledger
// entry here is a single touch [t, t], what simulate records per statement — and
// intervals longer than an instant keep the database awake until their end + suspend.
import { describe, expect, it } from 'vitest';
import { computeUsage } from '@wakeplan/schedule-core';
import type { LedgerEntry } from '@wakeplan/db';
import { buildActivityReport } from '../../src/activity/activity-report.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = new Date('2026-03-09T00:00:00Z');
const T = (offsetMs: number) => NOW.getTime() - 7 * 24 * HOUR + offsetMs; // from the start of a 7-day report
const settings = { suspendMinutes: 5, cuHourPrice: 0.14, computeUnits: 0.25 };

function entry(start: number, end = start, i = 0): LedgerEntry {
  return { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, process: 'worker', startedAt: new Date(start), endedAt: new Date(end), reason: 'timer', statements: 1, details: {} };
}

// [name, touch instants (ms from the period's start), expected awake minutes]
const TABLE: [string, number[], number][] = [
  ['nothing', [], 0],
  ['one touch', [HOUR], 5],
  ['touches closer than the suspend delay merge', [HOUR, HOUR + 2 * MIN], 7],
  ['touches exactly the suspend delay apart merge', [HOUR, HOUR + 5 * MIN], 10],
  ['touches further apart are two wakes', [HOUR, HOUR + 6 * MIN], 10],
  ['order does not matter', [HOUR + 2 * MIN, HOUR, 3 * HOUR], 12],
  ['a touch before the period counts only inside it', [-2 * MIN], 3],
  ['a touch near the end is clipped at now', [7 * 24 * HOUR - MIN], 1],
  ['a poll every 10 s for an hour', Array.from({ length: 360 }, (_, i) => 2 * HOUR + i * 10_000), 60 - 1 / 6 + 5],
];

describe('the awake model, shared by simulate and the activity report', () => {
  it.each(TABLE)('%s', (_name, offsets, minutes) => {
    const touches = offsets.map(T);
    const simulate = computeUsage(touches, 5 * MIN, T(0), NOW.getTime());
    const report = buildActivityReport(touches.map((t, i) => entry(t, t, i)), NOW, 7, settings);
    expect(simulate.computeHours * 60).toBeCloseTo(minutes, 6);
    expect(report.awake_hours).toBeCloseTo(simulate.computeHours, 3);
  });

  it('an interval of activity is awake from its start to its end + suspend', () => {
    const report = buildActivityReport([entry(T(HOUR), T(HOUR + 20 * MIN))], NOW, 7, settings);
    expect(report.awake_hours).toBeCloseTo(25 / 60, 3);
    const touches = Array.from({ length: 21 }, (_, i) => T(HOUR + i * MIN)); // the same activity as a statement a minute
    expect(computeUsage(touches, 5 * MIN, T(0), NOW.getTime()).computeHours * 60).toBeCloseTo(25, 6);
  });

  it('polling keeps the observed period awake; savings and cost follow from the settings', () => {
    const report = buildActivityReport([entry(T(0)), entry(T(24 * HOUR), T(24 * HOUR), 1)], NOW, 7, { ...settings, cuHourPrice: 0.2, computeUnits: 2 });
    expect(report.polling_hours).toBe(168);
    expect(report.awake_hours).toBeCloseTo(10 / 60, 3);
    expect(report.saved_hours).toBeCloseTo(168 - 10 / 60, 3);
    expect(report.saved_cost.usd).toBeCloseTo((168 - 10 / 60) * 2 * 0.2, 3);
    expect(report.asleep_percent).toBeCloseTo(99.9, 1);
    expect(report.cannot_see[0]).toMatch(/other clients of the same database/);
  });

  it('hours before anything was recorded are neither awake nor saved', () => {
    const report = buildActivityReport([entry(T(6 * 24 * HOUR))], NOW, 7, settings);
    expect(report.observed_from).toBe(new Date(T(6 * 24 * HOUR)).toISOString());
    expect(report.observed_hours).toBe(24);
    expect(report.polling_hours).toBe(24);
    expect(buildActivityReport([], NOW, 7, settings)).toMatchObject({ observed_from: null, awake_hours: 0, polling_hours: 0, saved_hours: 0 });
  });
});
