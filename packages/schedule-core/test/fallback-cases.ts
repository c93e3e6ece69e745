// Every fall-back transition of 2025–2028 in 30 zones, and windows drawn
// around each one, for the fall-back property tests.
//
// Zones: US/Canada rules at 02:00, St John's (-2:30), DST at midnight or
// across it (Havana, Santiago, Easter, Beirut, Cairo, Nuuk, Azores), the
// southern hemisphere, 30-minute (Lord Howe) and two-hour (Troll) shifts,
// Chatham's +13:45, Casablanca's Ramadan shift. Within SPAN_MS of a fall-back
// the zone has no other transition (checked at load), so there an instant's
// offset is `before` or `after`: the oracle gets exact offsets without luxon,
// and membership can only change at the instants changePoints lists.
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import type { CallingWindow, RecipientHours } from '../src/index.ts';
import { findTransitions, oracleOpen } from './oracle.ts';

const MINUTE = 60_000;
export const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Instants under test, and every effect of the dates they block, lie within this of the transition. */
export const SPAN_MS = 6 * DAY;

const ZONES = [
  'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Anchorage',
  'America/Halifax', 'America/St_Johns', 'America/Havana', 'America/Santiago', 'Pacific/Easter',
  'America/Nuuk', 'America/Miquelon', 'America/Port-au-Prince', 'Atlantic/Azores', 'Europe/London',
  'Europe/Paris', 'Europe/Helsinki', 'Europe/Chisinau', 'Asia/Beirut', 'Asia/Jerusalem',
  'Asia/Gaza', 'Africa/Cairo', 'Africa/Casablanca', 'Australia/Sydney', 'Australia/Adelaide',
  'Australia/Lord_Howe', 'Pacific/Auckland', 'Pacific/Chatham', 'Pacific/Norfolk', 'Antarctica/Troll',
];

export interface FallBack {
  zone: string;
  at: number; // first instant on the later (smaller) offset
  before: number; // offset in ms just before `at`
  after: number;
  /** The local date of the last instant before `at`: the date the repeated times are shown on. */
  date: string;
}

function fallBacksOf(zone: string): FallBack[] {
  const iana = IANAZone.create(zone);
  const offset = (t: number) => iana.offset(t) * MINUTE;
  // Offsets change months apart (weeks for Casablanca), so a weekly sample sees each change.
  const changes = findTransitions(zone, 2025, 2028, 7 * DAY);
  changes.forEach((t, i) => {
    if (i > 0 && t - changes[i - 1]! <= 2 * SPAN_MS) throw new Error(`${zone}: transitions too close for SPAN_MS`);
  });
  return changes
    .filter((t) => offset(t) < offset(t - 1))
    .map((at) => {
      const fb = { zone, at, before: offset(at - 1), after: offset(at) };
      if (offset(at - SPAN_MS) !== fb.before || offset(at + SPAN_MS) !== fb.after) throw new Error(`${zone}: offsets vary near ${at}`);
      return { ...fb, date: DateTime.fromMillis(at - 1, { zone }).toISODate()! };
    });
}

export const FALL_BACKS: FallBack[] = ZONES.flatMap(fallBacksOf);

/** The zone's offset in minutes, exact within SPAN_MS of the fall-back. */
const offsetNear = (fb: FallBack) => (t: number) => (t < fb.at ? fb.before : fb.after) / MINUTE;

/** Zones with one fixed offset, for recipient hours in another zone than the window's. */
const FIXED_ZONES: Record<string, number> = { UTC: 0, 'Asia/Kolkata': 330, 'Asia/Kathmandu': 345, 'Asia/Tokyo': 540 };

function wallMs(hhmm: string): number {
  return (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * MINUTE;
}

/**
 * Instants in [from, to) where membership may change, plus `from`, ascending:
 * where the local time shown with either offset crosses the window's first or
 * last time, and the transition. Membership is constant from one to the next.
 */
function changePoints(w: CallingWindow, offsets: readonly number[], transitions: readonly number[], from: number, to: number): number[] {
  const points = new Set([from]);
  for (const t of transitions) if (t > from && t < to) points.add(t);
  for (const offset of offsets) {
    for (const edge of [wallMs(w.firstCallTime), wallMs(w.lastCallTime)]) {
      for (let day = Math.floor((from + offset) / DAY) - 1; day * DAY + edge - offset < to; day++) {
        const x = day * DAY + edge - offset;
        if (x > from) points.add(x);
      }
    }
  }
  return [...points].sort((a, b) => a - b);
}

/** Open runs in [from, to) of a membership that is constant between consecutive change points. */
export function runsFromPoints(points: readonly number[], to: number, open: (t: number) => boolean): [number, number][] {
  const runs: [number, number][] = [];
  points.forEach((p, i) => {
    if (!open(p)) return;
    const end = points[i + 1] ?? to;
    const last = runs.at(-1);
    if (last && last[1] === p) last[1] = end;
    else runs.push([p, end]);
  });
  return runs;
}

export interface FallBackCase {
  fb: FallBack;
  w: CallingWindow;
  t: number;
  hours: RecipientHours | null;
  hoursZone: string | null; // null: the window's zone
  /** Fractions of a run or gap at which to sample instants between change points. */
  samples: number[];
}

const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (ms: number) => {
  const minute = Math.floor((((ms % DAY) + DAY) % DAY) / MINUTE);
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
};
const shiftDate = (isoDate: string, days: number) => DateTime.fromISO(isoDate, { zone: 'utc' }).plus({ days }).toISODate()!;

/** Windows and instants around one fall-back; edges sit on or near the repeated local times. */
export function arbFallBackCase(fb: FallBack): fc.Arbitrary<FallBackCase> {
  const jumpFrom = fb.at + fb.before; // local time the clock leaves
  const jumpTo = fb.at + fb.after; // local time it shows next (earlier)
  const arbWall = fc.oneof(
    fc.integer({ min: 0, max: 1439 }).map((m) => hhmm(m * MINUTE)),
    fc.constantFrom(hhmm(jumpFrom), hhmm(jumpTo), '00:00'),
    fc.integer({ min: 0, max: (fb.before - fb.after) / MINUTE - 1 }).map((m) => hhmm(jumpTo + m * MINUTE)), // repeated times
    fc.integer({ min: -120, max: 120 }).map((m) => hhmm(jumpTo + m * MINUTE)),
  );
  return fc
    .record({
      first: arbWall,
      last: arbWall,
      shape: fc.constantFrom('24-hour', '24-hour', 'overnight', 'any'),
      // Dates relative to fb.date; 0 and -1 most often (the date the repeated times open, and its eve).
      start: fc.option(fc.constantFrom(-2, -1, 0, 0, 0, 1, 2), { nil: undefined }),
      span: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      blackouts: fc.array(fc.constantFrom(-2, -1, -1, -1, 0, 1, 2, 3), { maxLength: 3 }),
      days: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 3 },
        { arbitrary: fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }), weight: 1 },
      ),
      // Half the windows block only the eve of fb.date, so a run that opens on fb.date has no later end.
      eveOnly: fc.constantFrom('startDate', 'blackout', null, null),
      near: fc.boolean(),
      offset: fc.integer({ min: -36 * 60, max: 36 * 60 }),
      nudge: fc.constantFrom(0, 0, 1, -1, 1234),
      hours: fc.option(fc.record({ start: arbWall, end: arbWall }), { nil: null }),
      hoursZone: fc.option(fc.constantFrom(...Object.keys(FIXED_ZONES)), { nil: null }),
      samples: fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 3, maxLength: 6 }),
    })
    .map((r) => {
      let { first, last } = r;
      if (r.shape === '24-hour') last = first;
      if (r.shape === 'overnight' && last > first) [first, last] = [last, first];
      const w: CallingWindow = { timezone: fb.zone, firstCallTime: first, lastCallTime: last };
      if (r.eveOnly === 'startDate') w.startDate = fb.date;
      else if (r.eveOnly === 'blackout') w.blackoutDates = [shiftDate(fb.date, -1)];
      else {
        if (r.start !== undefined) w.startDate = shiftDate(fb.date, r.start);
        if (r.span !== undefined) w.endDate = shiftDate(w.startDate ?? fb.date, r.span);
        if (r.blackouts.length > 0) w.blackoutDates = r.blackouts.map((d) => shiftDate(fb.date, d));
        if (r.days) w.daysOfWeek = r.days;
      }
      // Minutes from the transition: within 3 hours half the time, else within 36.
      const minutes = r.near ? Math.round(r.offset / 12) : r.offset;
      const t = fb.at + minutes * MINUTE + r.nudge;
      return { fb, w, t, hours: r.hours, hoursZone: r.hoursZone, samples: r.samples };
    });
}

/** The oracle's membership of the window, and of window ∩ hours, near the case's fall-back. */
export function caseOracle(c: FallBackCase) {
  const windowOffset = offsetNear(c.fb);
  const hoursOffset = c.hoursZone === null ? windowOffset : () => FIXED_ZONES[c.hoursZone!]!;
  const hoursWindow: CallingWindow | null = c.hours && { timezone: c.hoursZone ?? c.fb.zone, firstCallTime: c.hours.start, lastCallTime: c.hours.end };
  const open = (t: number) => oracleOpen(c.w, t, windowOffset);
  const callable = (t: number) => open(t) && (hoursWindow === null || oracleOpen(hoursWindow, t, hoursOffset));
  const offsets = [c.fb.before, c.fb.after];
  const hoursOffsets = c.hoursZone === null ? offsets : [FIXED_ZONES[c.hoursZone]! * MINUTE];
  /** Change points of window ∩ hours in [from, to). */
  const callablePoints = (from: number, to: number) => {
    const points = changePoints(c.w, offsets, [c.fb.at], from, to);
    if (hoursWindow) points.push(...changePoints(hoursWindow, hoursOffsets, [], from, to));
    return [...new Set(points)].sort((a, b) => a - b);
  };
  return { open, callable, windowPoints: (from: number, to: number) => changePoints(c.w, offsets, [c.fb.at], from, to), callablePoints };
}
