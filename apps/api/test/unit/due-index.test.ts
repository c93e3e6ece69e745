// The incremental due order (scheduler/due-index.ts) against the whole
// computation the status made before issue 11, property-style: random campaign
// rows (zones with DST, overnight windows, recipient hours with contact zones,
// caps, pacing, ended windows, a bad zone), then random steps — time moving on
// by a millisecond to a day, rows changed, added or dropped — and after each
// step the index answers exactly what evaluating every campaign from scratch
// gives: the order and next due of every tracked campaign, the next wakes, and
// (over its head only) schedule-core's wake plan.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dispatchablePlanCampaign, planInputFromSnapshot, type CampaignPlanRow, type PlanTotals } from '@wakeplan/db';
import { computeWakePlan, nextCampaignDue, windowLabel } from '@wakeplan/schedule-core';
import { DueIndex } from '../../src/scheduler/due-index.ts';

const T0 = Date.parse('2026-03-06T12:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const ZONES = ['America/New_York', 'UTC', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Europe/Dublin'];
const TIMES = ['00:00', '06:30', '09:00', '12:00', '17:00', '22:00', '23:30'];
const TOTALS: PlanTotals = { directEarliestDueAt: null, inFlightTotal: 0, earliestResultDeadline: null, earliestResendAt: null };

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const arbRow = (n: number): fc.Arbitrary<CampaignPlanRow> => fc.record({
  zone: fc.constantFrom(...ZONES, 'Mars/Olympus'),
  first: fc.constantFrom(...TIMES),
  last: fc.constantFrom(...TIMES),
  days: fc.option(fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }), { nil: undefined }),
  endInDays: fc.option(fc.integer({ min: -2, max: 10 }), { nil: null }),
  hours: fc.option(fc.record({ start: fc.constantFrom(...TIMES), end: fc.constantFrom(...TIMES) }), { nil: null }),
  cap: fc.integer({ min: 1, max: 3 }),
  inFlight: fc.integer({ min: 0, max: 3 }),
  perMinute: fc.option(fc.constantFrom(1, 2, 7), { nil: null }),
  lastDial: fc.option(fc.integer({ min: -5 * MIN, max: 10 * DAY }), { nil: null }),
  pending: fc.array(fc.record({ zone: fc.constantFrom(...ZONES, null), due: fc.integer({ min: -2 * DAY, max: 14 * DAY }) }), { maxLength: 3 }),
}).map((r) => ({
  id: id(n),
  window: {
    timezone: r.zone === 'Mars/Olympus' && n % 7 !== 0 ? 'UTC' : r.zone, // now and then a zone schedule-core refuses
    firstCallTime: r.first, lastCallTime: r.last, daysOfWeek: r.days,
    startDate: null, endDate: r.endInDays === null ? null : isoDay(T0 + r.endInDays * DAY), blackoutDates: [],
  },
  recipientHours: r.hours,
  maxConcurrentCalls: r.cap,
  callsPerMinute: r.perMinute,
  lastDialAt: r.lastDial === null ? null : new Date(T0 + r.lastDial),
  inFlight: r.inFlight,
  pending: r.hours
    ? r.pending.map((p) => ({ timezone: p.zone ?? r.zone, earliestDueAt: new Date(T0 + p.due) }))
    : r.pending.slice(0, 1).map((p) => ({ timezone: null, earliestDueAt: new Date(T0 + p.due) })),
}));

type Step = { kind: 'time'; ms: number } | { kind: 'put'; n: number; row: CampaignPlanRow } | { kind: 'drop'; n: number };

const arbStep: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('time' as const), ms: fc.constantFrom(0, 1, 999, 59 * MIN, 30 * MIN, 3 * HOUR, 7 * HOUR, DAY, 3 * DAY) }),
  fc.integer({ min: 0, max: 24 }).chain((n) => arbRow(n).map((row) => ({ kind: 'put' as const, n, row }))),
  fc.record({ kind: fc.constant('drop' as const), n: fc.integer({ min: 0, max: 24 }) }),
);

/**
 * The status's computation before issue 11: every campaign evaluated, then sorted
 * soonest due first, never-due last, then by id — as its comment said; its
 * localeCompare actually put '~' (never due) before the digits of an instant.
 */
function fromScratch(rows: CampaignPlanRow[], at: number) {
  const listed = rows.map((row) => {
    let due: Date | null = null;
    try {
      due = nextCampaignDue(dispatchablePlanCampaign(row), new Date(at));
    } catch {
      due = null;
    }
    return { id: row.id, window: windowLabel(row.window), inFlight: row.inFlight, nextDueAt: due?.toISOString() ?? null };
  });
  const key = (c: { nextDueAt: string | null }) => c.nextDueAt ?? '~';
  const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return listed.sort((a, b) => byCodeUnit(key(a), key(b)) || byCodeUnit(a.id, b.id));
}

describe('DueIndex', () => {
  it('after any steps, answers what evaluating every campaign from scratch answers', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 24 }).chain((n) => arbRow(n)), { maxLength: 20 }),
      fc.array(arbStep, { maxLength: 25 }),
      fc.integer({ min: 0, max: 2 * DAY }),
      (initial, steps, start) => {
        const rows = new Map(initial.map((r) => [r.id, r]));
        const rowOf = (key: string) => rows.get(key);
        const index = new DueIndex();
        let at = T0 + start;
        index.rebuild(rows.values(), at);
        const check = () => {
          const expected = fromScratch([...rows.values()], at);
          expect(index.size).toBe(expected.length);
          expect(index.page(0, 1000)).toEqual(expected);
          expect(index.page(3, 2)).toEqual(expected.slice(3, 5));
          expect(index.nextWakes(4)).toEqual(expected.filter((c) => c.nextDueAt !== null).slice(0, 4).map((c) => ({ at: c.nextDueAt, campaignId: c.id })));
          // The wake plan over the head equals the wake plan over every campaign (in the same order).
          const ordered = expected.map((c) => rows.get(c.id)!);
          const whole = computeWakePlan(planInputFromSnapshot({ ...TOTALS, campaigns: ordered }), new Date(at));
          const head = computeWakePlan(planInputFromSnapshot({ ...TOTALS, campaigns: index.head().map(rowOf).map((r) => r!) }), new Date(at));
          expect(head.nextWake).toEqual(whole.nextWake);
          expect([...head.dueNowCampaignIds].sort()).toEqual([...whole.dueNowCampaignIds].sort());
        };
        check();
        for (const step of steps) {
          const changed: string[] = [];
          if (step.kind === 'time') at += step.ms;
          else if (step.kind === 'put') {
            rows.set(step.row.id, step.row);
            changed.push(step.row.id);
          } else {
            rows.delete(id(step.n));
            changed.push(id(step.n));
          }
          index.advance(at, rowOf, changed);
          check();
        }
      },
    ), { numRuns: 300 });
  }, 30_000);

  it('refuses to go back in time (the caller rebuilds)', () => {
    const index = new DueIndex();
    index.rebuild([], T0);
    expect(() => index.advance(T0 - 1, () => undefined)).toThrow(RangeError);
  });

  it('moves many changed campaigns at once by sorting again, with the same answer', () => {
    const rows = new Map<string, CampaignPlanRow>();
    const row = (n: number, dueIn: number): CampaignPlanRow => ({
      id: id(n), window: { timezone: 'UTC', firstCallTime: '00:00', lastCallTime: '00:00' }, recipientHours: null,
      maxConcurrentCalls: 1, callsPerMinute: null, lastDialAt: null, inFlight: 0, pending: [{ timezone: null, earliestDueAt: new Date(T0 + dueIn) }],
    });
    for (let n = 0; n < 40; n++) rows.set(id(n), row(n, n * MIN));
    const index = new DueIndex();
    index.rebuild(rows.values(), T0);
    for (let n = 0; n < 20; n++) rows.set(id(n), row(n, (100 - n) * MIN));
    index.advance(T0, (k) => rows.get(k), [...rows.keys()].slice(0, 20));
    expect(index.page(0, 100)).toEqual(fromScratch([...rows.values()], T0));
  });
});
