// fast-check generators shared by the property tests: random windows in zones
// chosen for their odd offsets and DST rules, and instants clustered within a
// few days of each zone's real transitions (found by the test's own scan).
import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { CallingWindow, RecipientHours } from '../src/index.ts';
import { findTransitions } from './oracle.ts';

const DAY = 86_400_000;

/** Zones and the years whose transitions instants cluster around. */
const ZONE_YEARS: [string, number, number][] = [
  ['America/New_York', 2025, 2026],
  ['America/Santiago', 2025, 2026],
  ['America/Havana', 2025, 2026],
  ['Asia/Beirut', 2025, 2026],
  ['Australia/Lord_Howe', 2025, 2026],
  ['Asia/Kathmandu', 1985, 1986],
  ['Pacific/Apia', 2011, 2012],
  ['Pacific/Kiritimati', 1994, 1995],
  ['Europe/Dublin', 2025, 2026],
  ['Australia/Sydney', 2025, 2026],
  ['Pacific/Chatham', 2025, 2026],
  ['America/St_Johns', 2025, 2026],
  ['Antarctica/Troll', 2025, 2026],
  ['Africa/Casablanca', 2025, 2026],
  ['Asia/Kolkata', 2025, 2026],
  ['UTC', 2025, 2026],
];

export const ZONES = ZONE_YEARS.map(([zone]) => zone);

const transitions = new Map<string, number[]>(
  ZONE_YEARS.map(([zone, from, to]) => {
    const found = findTransitions(zone, from, to);
    return [zone, found.length > 0 ? found : [Date.UTC(2026, 2, 1)]];
  }),
);

const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (minute: number) => `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;

/** Times near where transitions happen, plus anything at all. */
const arbWallTime = fc.oneof(
  fc.integer({ min: 0, max: 1439 }).map(hhmm),
  fc.constantFrom('00:00', '00:15', '00:30', '01:00', '01:30', '01:45', '02:00', '02:30', '03:00', '12:00', '22:00', '23:00', '23:30'),
);

export const arbHours: fc.Arbitrary<RecipientHours> = fc.record({ start: arbWallTime, end: arbWallTime });

function shiftDate(isoDate: string, days: number): string {
  return DateTime.fromISO(isoDate, { zone: 'utc' }).plus({ days }).toISODate()!;
}

export interface WindowCase {
  w: CallingWindow;
  t: number;
}

/** A window and an instant within three days of one of its zone's transitions. */
export const arbWindowCase: fc.Arbitrary<WindowCase> = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    first: arbWallTime,
    last: arbWallTime,
    days: fc.option(fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }), { nil: undefined }),
    transition: fc.nat(),
    offset: fc.integer({ min: -3 * DAY, max: 3 * DAY }),
    align: fc.constantFrom('ms', 'minute', 'minute-1ms', 'minute+1ms'),
    start: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }),
    span: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    blackouts: fc.array(fc.integer({ min: -2, max: 5 }), { maxLength: 3 }),
  })
  .map((r) => {
    const list = transitions.get(r.zone)!;
    let t = list[r.transition % list.length]! + r.offset;
    const minute = Math.floor(t / 60_000) * 60_000;
    if (r.align === 'minute') t = minute;
    if (r.align === 'minute-1ms') t = minute - 1;
    if (r.align === 'minute+1ms') t = minute + 1;
    const localDate = DateTime.fromMillis(t, { zone: r.zone }).toISODate()!;
    const w: CallingWindow = { timezone: r.zone, firstCallTime: r.first, lastCallTime: r.last };
    if (r.days) w.daysOfWeek = r.days;
    if (r.start !== undefined) w.startDate = shiftDate(localDate, r.start);
    if (r.span !== undefined) w.endDate = shiftDate(w.startDate ?? localDate, r.span);
    if (r.blackouts.length > 0) w.blackoutDates = r.blackouts.map((d) => shiftDate(localDate, d));
    return { w, t };
  });
