// Table tests: DST in both directions in zones with DST at 02:00, at midnight,
// a 30-minute shift, a 2-hour shift, negative DST, a +5:45 offset change and
// whole days skipped at the date line. Expected instants were worked out by
// hand from each zone's transition (noted per row).
import { describe, expect, test } from 'vitest';
import {
  MAX_INSTANT_MS,
  isWindowOpen,
  nextWindowOpen,
  openIntervals,
  windowCloseAfter,
  type CallingWindow,
} from '../src/index.ts';

const win = (timezone: string, firstCallTime: string, lastCallTime: string, extra: Partial<CallingWindow> = {}) => ({
  timezone,
  firstCallTime,
  lastCallTime,
  ...extra,
});
const iso = (d: Date | null) => d?.toISOString() ?? null;

interface NextRow {
  name: string;
  w: CallingWindow;
  from: string;
  opens: string | null;
  closes?: string;
}

const nextRows: NextRow[] = [
  // New York springs forward 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z).
  { name: 'NY gap: 02:30 opens at 03:00 EDT', w: win('America/New_York', '02:30', '05:00'), from: '2026-03-08T05:00:00Z', opens: '2026-03-08T07:00:00.000Z', closes: '2026-03-08T09:00:00.000Z' },
  { name: 'NY gap swallows 02:00-02:30 that day', w: win('America/New_York', '02:00', '02:30'), from: '2026-03-08T05:00:00Z', opens: '2026-03-09T06:00:00.000Z', closes: '2026-03-09T06:30:00.000Z' },
  // Santiago springs forward at midnight 2026-09-06 00:00 -04 -> 01:00 -03 (04:00Z).
  { name: 'Santiago: the day starts at 01:00', w: win('America/Santiago', '00:00', '06:00'), from: '2026-09-06T03:00:00Z', opens: '2026-09-06T04:00:00.000Z', closes: '2026-09-06T09:00:00.000Z' },
  { name: 'Santiago: overnight run cut by the gap', w: win('America/Santiago', '22:00', '00:30', { daysOfWeek: [6] }), from: '2026-09-05T12:00:00Z', opens: '2026-09-06T02:00:00.000Z', closes: '2026-09-06T04:00:00.000Z' },
  // Havana springs forward at midnight 2026-03-08 00:00 -05 -> 01:00 -04 (05:00Z).
  { name: 'Havana: 00:00-00:45 never happens that day', w: win('America/Havana', '00:00', '00:45'), from: '2026-03-08T04:00:00Z', opens: '2026-03-09T04:00:00.000Z', closes: '2026-03-09T04:45:00.000Z' },
  { name: 'Havana: 00:30 opens at 01:00 CDT', w: win('America/Havana', '00:30', '02:00'), from: '2026-03-08T04:00:00Z', opens: '2026-03-08T05:00:00.000Z', closes: '2026-03-08T06:00:00.000Z' },
  // Beirut: 2026-03-29 00:00 +02 -> 01:00 +03 (2026-03-28T22:00Z); 2026-10-25 00:00 +03 -> 2026-10-24 23:00 +02 (21:00Z).
  { name: 'Beirut: Saturday overnight ends at the gap', w: win('Asia/Beirut', '23:00', '01:00', { daysOfWeek: [6] }), from: '2026-03-28T12:00:00Z', opens: '2026-03-28T21:00:00.000Z', closes: '2026-03-28T22:00:00.000Z' },
  { name: 'Beirut: Saturday overnight lasts 3 h over the repeat', w: win('Asia/Beirut', '23:00', '01:00', { daysOfWeek: [6] }), from: '2026-10-24T12:00:00Z', opens: '2026-10-24T20:00:00.000Z', closes: '2026-10-24T23:00:00.000Z' },
  // Lord Howe springs forward 30 minutes: 2026-10-04 02:00 +10:30 -> 02:30 +11 (2026-10-03T15:30Z).
  { name: 'Lord Howe: 02:10 opens at 02:30', w: win('Australia/Lord_Howe', '02:10', '03:00'), from: '2026-10-03T12:00:00Z', opens: '2026-10-03T15:30:00.000Z', closes: '2026-10-03T16:00:00.000Z' },
  // Kathmandu is +5:45; on 1986-01-01 it moved from +5:30, skipping 00:00-00:15.
  { name: 'Kathmandu +5:45', w: win('Asia/Kathmandu', '09:00', '17:00'), from: '2026-01-05T00:00:00Z', opens: '2026-01-05T03:15:00.000Z', closes: '2026-01-05T11:15:00.000Z' },
  { name: 'Kathmandu 1986: 00:05 opens at 00:15', w: win('Asia/Kathmandu', '00:05', '01:00'), from: '1985-12-31T18:00:00Z', opens: '1985-12-31T18:30:00.000Z', closes: '1985-12-31T19:15:00.000Z' },
  // Apia skipped 2011-12-30: 2011-12-29 24:00 -10 -> 2011-12-31 00:00 +14 (2011-12-30T10:00Z).
  { name: 'Apia: no window on the skipped Friday', w: win('Pacific/Apia', '09:00', '17:00'), from: '2011-12-30T03:00:00Z', opens: '2011-12-30T19:00:00.000Z', closes: '2011-12-31T03:00:00.000Z' },
  // Kiritimati skipped 1994-12-31: 1994-12-30 24:00 -10 -> 1995-01-01 00:00 +14 (1994-12-31T10:00Z).
  { name: 'Kiritimati: no window on the skipped day', w: win('Pacific/Kiritimati', '09:00', '17:00'), from: '1994-12-31T03:00:00Z', opens: '1994-12-31T19:00:00.000Z', closes: '1995-01-01T03:00:00.000Z' },
  // Dublin (negative DST in the tz source): 2026-03-29 01:00 +00 -> 02:00 +01 (01:00Z).
  { name: 'Dublin: 01:00-02:00 skipped in spring', w: win('Europe/Dublin', '01:00', '02:00'), from: '2026-03-29T00:00:00Z', opens: '2026-03-30T00:00:00.000Z', closes: '2026-03-30T01:00:00.000Z' },
  // Sydney: 2026-10-04 02:00 +10 -> 03:00 +11 (2026-10-03T16:00Z); 2026-04-05 03:00 +11 -> 02:00 +10 (2026-04-04T16:00Z).
  { name: 'Sydney: 02:00-03:00 skipped in spring', w: win('Australia/Sydney', '02:00', '03:00'), from: '2026-10-03T14:00:00Z', opens: '2026-10-04T15:00:00.000Z', closes: '2026-10-04T16:00:00.000Z' },
  { name: 'Sydney: 02:00-03:00 lasts two hours in autumn', w: win('Australia/Sydney', '02:00', '03:00'), from: '2026-04-04T12:00:00Z', opens: '2026-04-04T15:00:00.000Z', closes: '2026-04-04T17:00:00.000Z' },
  // Troll jumps two hours: 2026-03-29 01:00 +00 -> 03:00 +02 (01:00Z).
  { name: 'Troll: two-hour gap', w: win('Antarctica/Troll', '01:30', '02:30'), from: '2026-03-29T00:00:00Z', opens: '2026-03-29T23:30:00.000Z', closes: '2026-03-30T00:30:00.000Z' },
];

describe('nextWindowOpen and windowCloseAfter across DST', () => {
  test.each(nextRows)('$name', ({ w, from, opens, closes }) => {
    const opened = nextWindowOpen(w, new Date(from));
    expect(iso(opened)).toBe(opens);
    if (opened && closes) expect(iso(windowCloseAfter(w, opened))).toBe(closes);
  });
});

interface IntervalRow {
  name: string;
  w: CallingWindow;
  from: string;
  to: string;
  runs: [string, string][];
}

const intervalRows: IntervalRow[] = [
  // New York falls back 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z).
  { name: 'NY: 01:30-02:00 opens twice', w: win('America/New_York', '01:30', '02:00'), from: '2026-11-01T04:00:00Z', to: '2026-11-02T04:00:00Z', runs: [['2026-11-01T05:30:00.000Z', '2026-11-01T06:00:00.000Z'], ['2026-11-01T06:30:00.000Z', '2026-11-01T07:00:00.000Z']] },
  { name: 'NY: 00:00-01:30 reopens for the repeated 01:00-01:30', w: win('America/New_York', '00:00', '01:30'), from: '2026-11-01T04:00:00Z', to: '2026-11-02T04:00:00Z', runs: [['2026-11-01T04:00:00.000Z', '2026-11-01T05:30:00.000Z'], ['2026-11-01T06:00:00.000Z', '2026-11-01T06:30:00.000Z']] },
  // Santiago falls back at midnight: 2026-04-04 24:00 -03 -> 23:00 -04 (2026-04-05T03:00Z); Saturday's 23:00 happens twice.
  { name: 'Santiago: Saturday 23:00-23:30 twice', w: win('America/Santiago', '23:00', '23:30', { daysOfWeek: [6] }), from: '2026-04-04T12:00:00Z', to: '2026-04-05T12:00:00Z', runs: [['2026-04-05T02:00:00.000Z', '2026-04-05T02:30:00.000Z'], ['2026-04-05T03:00:00.000Z', '2026-04-05T03:30:00.000Z']] },
  // Havana falls back 2026-11-01 01:00 -04 -> 00:00 -05 (05:00Z).
  { name: 'Havana: 00:15-00:45 twice', w: win('America/Havana', '00:15', '00:45'), from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z', runs: [['2026-11-01T04:15:00.000Z', '2026-11-01T04:45:00.000Z'], ['2026-11-01T05:15:00.000Z', '2026-11-01T05:45:00.000Z']] },
  // Lord Howe falls back 30 minutes: 2026-04-05 02:00 +11 -> 01:30 +10:30 (2026-04-04T15:00Z).
  { name: 'Lord Howe: 01:40-01:50 twice', w: win('Australia/Lord_Howe', '01:40', '01:50'), from: '2026-04-04T12:00:00Z', to: '2026-04-05T12:00:00Z', runs: [['2026-04-04T14:40:00.000Z', '2026-04-04T14:50:00.000Z'], ['2026-04-04T15:10:00.000Z', '2026-04-04T15:20:00.000Z']] },
  // Dublin falls back 2026-10-25 02:00 +01 -> 01:00 +00 (01:00Z).
  { name: 'Dublin: 01:15-01:45 twice', w: win('Europe/Dublin', '01:15', '01:45'), from: '2026-10-25T00:00:00Z', to: '2026-10-26T00:00:00Z', runs: [['2026-10-25T00:15:00.000Z', '2026-10-25T00:45:00.000Z'], ['2026-10-25T01:15:00.000Z', '2026-10-25T01:45:00.000Z']] },
  // Apia overnight 22:00-02:00: Thursday's window runs into Saturday 00:00-02:00, which belongs to the skipped Friday.
  { name: 'Apia: overnight across the skipped day', w: win('Pacific/Apia', '22:00', '02:00'), from: '2011-12-30T00:00:00Z', to: '2011-12-30T18:00:00Z', runs: [['2011-12-30T08:00:00.000Z', '2011-12-30T12:00:00.000Z']] },
  { name: 'Apia: skipped Friday blacked out', w: win('Pacific/Apia', '22:00', '02:00', { blackoutDates: ['2011-12-30'] }), from: '2011-12-30T00:00:00Z', to: '2011-12-30T18:00:00Z', runs: [['2011-12-30T08:00:00.000Z', '2011-12-30T10:00:00.000Z']] },
];

describe('openIntervals across DST', () => {
  test.each(intervalRows)('$name', ({ w, from, to, runs }) => {
    const got = openIntervals(w, new Date(from), new Date(to)).map((i) => [iso(i.start), iso(i.end)]);
    expect(got).toEqual(runs);
  });
});

describe('24-hour windows across transitions', () => {
  test('Apia: a 24-hour window skipping Fridays runs straight over the skipped Friday', () => {
    const w = win('Pacific/Apia', '00:00', '00:00', { daysOfWeek: [1, 2, 3, 4, 6, 7] });
    // Friday 2012-01-06 00:00 +14 is the first local instant of a forbidden date.
    expect(iso(windowCloseAfter(w, new Date('2011-12-29T20:00:00Z')))).toBe('2012-01-05T10:00:00.000Z');
  });

  test('New York: a Sunday-only 24-hour window lasts 25 real hours on fall-back Sunday', () => {
    // 2026-11-01 is a Sunday: 00:00 EDT (04:00Z) to Monday 00:00 EST (05:00Z).
    const w = win('America/New_York', '00:00', '00:00', { daysOfWeek: [7] });
    const opened = nextWindowOpen(w, new Date('2026-10-31T12:00:00Z'));
    expect(iso(opened)).toBe('2026-11-01T04:00:00.000Z');
    expect(iso(windowCloseAfter(w, opened!))).toBe('2026-11-02T05:00:00.000Z');
  });
});

// A 24-hour window opens on date D at D first and runs until the next
// permitted date's window ends. When D - 1 is blocked, a fall-back night that
// repeats local times just before D first hands those repeated instants back
// to D - 1, so the window closes there and reopens at D first the second time.
const blockedEveRows: IntervalRow[] = [
  // New York falls back 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z); 01:30 EDT is 05:30Z, 01:30 EST 06:30Z.
  { name: 'NY: startDate is the fall-back Sunday', w: win('America/New_York', '01:30', '01:30', { startDate: '2026-11-01' }), from: '2026-10-31T12:00:00Z', to: '2026-11-03T00:00:00Z', runs: [['2026-11-01T05:30:00.000Z', '2026-11-01T06:00:00.000Z'], ['2026-11-01T06:30:00.000Z', '2026-11-03T00:00:00.000Z']] },
  { name: 'NY: the Saturday before is blacked out', w: win('America/New_York', '01:30', '01:30', { blackoutDates: ['2026-10-31'] }), from: '2026-10-31T00:00:00Z', to: '2026-11-03T00:00:00Z', runs: [['2026-10-31T00:00:00.000Z', '2026-10-31T05:30:00.000Z'], ['2026-11-01T05:30:00.000Z', '2026-11-01T06:00:00.000Z'], ['2026-11-01T06:30:00.000Z', '2026-11-03T00:00:00.000Z']] },
  { name: 'NY: Sundays only', w: win('America/New_York', '01:30', '01:30', { daysOfWeek: [7] }), from: '2026-10-31T12:00:00Z', to: '2026-11-03T00:00:00Z', runs: [['2026-11-01T05:30:00.000Z', '2026-11-01T06:00:00.000Z'], ['2026-11-01T06:30:00.000Z', '2026-11-02T06:30:00.000Z']] },
  // Havana falls back at 01:00: 2026-11-01 01:00 -04 -> 00:00 -05 (05:00Z).
  { name: 'Havana: startDate, 00:30 twice', w: win('America/Havana', '00:30', '00:30', { startDate: '2026-11-01' }), from: '2026-10-31T12:00:00Z', to: '2026-11-02T12:00:00Z', runs: [['2026-11-01T04:30:00.000Z', '2026-11-01T05:00:00.000Z'], ['2026-11-01T05:30:00.000Z', '2026-11-02T12:00:00.000Z']] },
  // Santiago falls back at midnight: 2026-04-05 00:00 -03 -> 2026-04-04 23:00 -04 (03:00Z).
  { name: 'Santiago: the repeated 23:00 belongs to the blocked Friday', w: win('America/Santiago', '23:30', '23:30', { startDate: '2026-04-04' }), from: '2026-04-04T12:00:00Z', to: '2026-04-06T12:00:00Z', runs: [['2026-04-05T02:30:00.000Z', '2026-04-05T03:00:00.000Z'], ['2026-04-05T03:30:00.000Z', '2026-04-06T12:00:00.000Z']] },
  // Lord Howe falls back 30 minutes: 2026-04-05 02:00 +11 -> 01:30 +10:30 (2026-04-04T15:00Z).
  { name: 'Lord Howe: a 15-minute gap in a 24-hour window', w: win('Australia/Lord_Howe', '01:45', '01:45', { startDate: '2026-04-05' }), from: '2026-04-04T12:00:00Z', to: '2026-04-06T12:00:00Z', runs: [['2026-04-04T14:45:00.000Z', '2026-04-04T15:00:00.000Z'], ['2026-04-04T15:15:00.000Z', '2026-04-06T12:00:00.000Z']] },
  // Troll falls back two hours: 2026-10-25 03:00 +02 -> 01:00 +00 (01:00Z).
  { name: 'Troll: blackout the day before a two-hour fall-back', w: win('Antarctica/Troll', '02:00', '02:00', { blackoutDates: ['2026-10-24'] }), from: '2026-10-23T12:00:00Z', to: '2026-10-26T12:00:00Z', runs: [['2026-10-23T12:00:00.000Z', '2026-10-24T00:00:00.000Z'], ['2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z'], ['2026-10-25T02:00:00.000Z', '2026-10-26T12:00:00.000Z']] },
];

describe('24-hour window whose previous date is blocked, across a fall-back night', () => {
  test.each(blockedEveRows)('$name', ({ w, from, to, runs }) => {
    const got = openIntervals(w, new Date(from), new Date(to)).map((i) => [iso(i.start), iso(i.end)]);
    expect(got).toEqual(runs);
    let cursor = new Date(from);
    for (const [start, end] of runs) {
      expect(iso(nextWindowOpen(w, cursor))).toBe(start);
      const closes = windowCloseAfter(w, new Date(start))!;
      cursor = new Date(end);
      if (end === iso(new Date(to))) {
        expect(closes.getTime()).toBeGreaterThanOrEqual(cursor.getTime()); // the run goes on past `to`
        continue;
      }
      expect(iso(closes)).toBe(end);
      expect(iso(windowCloseAfter(w, new Date(cursor.getTime() - 1)))).toBe(end);
      expect(isWindowOpen(w, cursor)).toBe(false);
    }
  });

  test('with no date filter after the gap, the last run never closes', () => {
    const w = win('America/New_York', '01:30', '01:30', { startDate: '2026-11-01' });
    expect(windowCloseAfter(w, new Date('2026-11-01T06:30:00Z'))?.getTime()).toBe(MAX_INSTANT_MS);
    expect(windowCloseAfter(w, new Date('2026-11-01T06:15:00Z'))).toBeNull();
  });
});

