// Table tests for the window rules away from DST: end-exclusive edges to the
// millisecond, overnight and 24-hour windows, weekdays, start/end dates,
// blackouts, far-away openings and windows that never open again.
import { describe, expect, test } from 'vitest';
import {
  MAX_INSTANT_MS,
  isWindowOpen,
  nextWindowOpen,
  openIntervals,
  windowCloseAfter,
  windowLabel,
  type CallingWindow,
} from '../src/index.ts';

const at = (text: string) => new Date(text);
const iso = (d: Date | null) => d?.toISOString() ?? null;

// 2026-01-05 is a Monday; New York is UTC-5 in January, Paris UTC+1.
const nineToFive: CallingWindow = { timezone: 'America/New_York', firstCallTime: '09:00', lastCallTime: '17:00' };

describe('half-open edges to the millisecond', () => {
  test.each([
    ['2026-01-05T13:59:59.999Z', false],
    ['2026-01-05T14:00:00.000Z', true],
    ['2026-01-05T21:59:59.999Z', true],
    ['2026-01-05T22:00:00.000Z', false],
  ])('09:00-17:00 New York at %s is %s', (instant, open) => {
    expect(isWindowOpen(nineToFive, at(instant))).toBe(open);
  });

  test('nextWindowOpen returns `from` itself when open, to the millisecond', () => {
    const from = at('2026-01-05T15:17:42.123Z');
    const got = nextWindowOpen(nineToFive, from);
    expect(got?.getTime()).toBe(from.getTime());
    expect(got).not.toBe(from);
  });

  test('the close instant is the first closed one, and the next opening is the next morning', () => {
    expect(iso(windowCloseAfter(nineToFive, at('2026-01-05T21:59:59.999Z')))).toBe('2026-01-05T22:00:00.000Z');
    expect(windowCloseAfter(nineToFive, at('2026-01-05T22:00:00.000Z'))).toBeNull();
    expect(iso(nextWindowOpen(nineToFive, at('2026-01-05T22:00:00.000Z')))).toBe('2026-01-06T14:00:00.000Z');
    expect(iso(nextWindowOpen(nineToFive, at('2026-01-05T13:59:59.999Z')))).toBe('2026-01-05T14:00:00.000Z');
  });

  test('windowLabel', () => {
    expect(windowLabel(nineToFive)).toBe('09:00-17:00');
  });
});

describe('overnight windows belong to the date they open on', () => {
  const fridayNight: CallingWindow = { timezone: 'Europe/Paris', firstCallTime: '22:00', lastCallTime: '02:00', daysOfWeek: [5] };
  test.each([
    ['Friday 21:59:59.999', '2026-01-09T20:59:59.999Z', false],
    ['Friday 22:00', '2026-01-09T21:00:00.000Z', true],
    ['Saturday 00:30', '2026-01-09T23:30:00.000Z', true],
    ['Saturday 01:59:59.999', '2026-01-10T00:59:59.999Z', true],
    ['Saturday 02:00', '2026-01-10T01:00:00.000Z', false],
    ['Friday 01:00 (Thursday night)', '2026-01-09T00:00:00.000Z', false],
    ['Saturday 23:00', '2026-01-10T22:00:00.000Z', false],
  ])('%s', (_label, instant, open) => {
    expect(isWindowOpen(fridayNight, at(instant))).toBe(open);
  });

  test('runs over a week', () => {
    const runs = openIntervals(fridayNight, at('2026-01-05T00:00:00Z'), at('2026-01-19T00:00:00Z'));
    expect(runs.map((r) => [iso(r.start), iso(r.end)])).toEqual([
      ['2026-01-09T21:00:00.000Z', '2026-01-10T01:00:00.000Z'],
      ['2026-01-16T21:00:00.000Z', '2026-01-17T01:00:00.000Z'],
    ]);
  });

  test('an endDate keeps the overnight part after midnight', () => {
    const w: CallingWindow = { timezone: 'Europe/Paris', firstCallTime: '22:00', lastCallTime: '02:00', endDate: '2026-01-09' };
    expect(isWindowOpen(w, at('2026-01-10T00:30:00Z'))).toBe(true);
    expect(nextWindowOpen(w, at('2026-01-10T01:00:00Z'))).toBeNull();
  });
});

describe('24-hour windows (first = last)', () => {
  const monTue: CallingWindow = { timezone: 'Asia/Kolkata', firstCallTime: '09:00', lastCallTime: '09:00', daysOfWeek: [1, 2] };
  test('touching days form one run that closes where it ends', () => {
    // Monday 2026-01-05 09:00 IST = 03:30Z; the run ends Wednesday 09:00 IST.
    expect(isWindowOpen(monTue, at('2026-01-05T03:29:59.999Z'))).toBe(false);
    expect(iso(nextWindowOpen(monTue, at('2026-01-04T00:00:00Z')))).toBe('2026-01-05T03:30:00.000Z');
    expect(iso(windowCloseAfter(monTue, at('2026-01-05T03:30:00Z')))).toBe('2026-01-07T03:30:00.000Z');
    expect(iso(windowCloseAfter(monTue, at('2026-01-07T03:29:59.999Z')))).toBe('2026-01-07T03:30:00.000Z');
  });

  test('a run broken by a blackout date closes at the blackout', () => {
    const w: CallingWindow = { timezone: 'UTC', firstCallTime: '00:00', lastCallTime: '00:00', blackoutDates: ['2029-06-01'] };
    expect(iso(windowCloseAfter(w, at('2026-01-01T00:00:00Z')))).toBe('2029-06-01T00:00:00.000Z');
  });

  test('an unrestricted 24-hour window never closes', () => {
    const w: CallingWindow = { timezone: 'America/New_York', firstCallTime: '00:00', lastCallTime: '00:00' };
    expect(windowCloseAfter(w, at('2026-03-08T06:59:59.999Z'))?.getTime()).toBe(MAX_INSTANT_MS);
    const runs = openIntervals(w, at('2026-03-01T00:00:00Z'), at('2026-04-01T00:00:00Z'));
    expect(runs.map((r) => [iso(r.start), iso(r.end)])).toEqual([['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']]);
  });
});

describe('dates and blackouts filter by the opening date', () => {
  const base: CallingWindow = { timezone: 'America/New_York', firstCallTime: '09:00', lastCallTime: '17:00' };
  test('startDate and endDate are inclusive', () => {
    const w = { ...base, startDate: '2026-01-07', endDate: '2026-01-08' };
    expect(iso(nextWindowOpen(w, at('2026-01-01T00:00:00Z')))).toBe('2026-01-07T14:00:00.000Z');
    expect(iso(nextWindowOpen(w, at('2026-01-07T22:00:00Z')))).toBe('2026-01-08T14:00:00.000Z');
    expect(nextWindowOpen(w, at('2026-01-08T22:00:00Z'))).toBeNull();
  });

  test('blackouts and weekdays are skipped', () => {
    // Monday/Wednesday only, with Wednesday the 7th and Monday the 12th blacked out.
    const w = { ...base, daysOfWeek: [1, 3], blackoutDates: ['2026-01-07', '2026-01-12'] };
    expect(iso(nextWindowOpen(w, at('2026-01-05T22:00:00Z')))).toBe('2026-01-14T14:00:00.000Z');
  });

  test('every remaining date blacked out: never again', () => {
    const w = { ...base, endDate: '2026-01-09', blackoutDates: ['2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09'] };
    expect(nextWindowOpen(w, at('2026-01-05T22:00:00Z'))).toBeNull();
  });

  test('far startDate and months of blackouts: found without scanning', () => {
    const blackoutDates: string[] = [];
    for (let d = Date.UTC(2028, 0, 1); d < Date.UTC(2028, 6, 1); d += 86_400_000) {
      blackoutDates.push(new Date(d).toISOString().slice(0, 10));
    }
    const w = { ...base, daysOfWeek: [2], startDate: '2028-01-01', blackoutDates };
    // First Tuesday on or after 2028-07-01 is 2028-07-04 (EDT, UTC-4).
    expect(iso(nextWindowOpen(w, at('2026-01-01T00:00:00Z')))).toBe('2028-07-04T13:00:00.000Z');
  });

  test('single weekday and no endDate terminates and finds next week', () => {
    const w = { ...base, daysOfWeek: [7] };
    expect(iso(nextWindowOpen(w, at('2026-01-05T00:00:00Z')))).toBe('2026-01-11T14:00:00.000Z');
  });
});

describe('windows are cached by contents', () => {
  test('equal contents in fresh objects agree, and a changed object is seen as changed', () => {
    const w: CallingWindow = { ...nineToFive, daysOfWeek: [1, 2, 3, 4, 5], blackoutDates: ['2026-01-06'] };
    const tuesday = at('2026-01-06T15:00:00Z');
    expect(isWindowOpen(w, tuesday)).toBe(false);
    expect(isWindowOpen({ ...w, daysOfWeek: [1, 2, 3, 4, 5], blackoutDates: ['2026-01-06'] }, tuesday)).toBe(false);
    w.blackoutDates!.pop();
    expect(isWindowOpen(w, tuesday)).toBe(true);
    w.lastCallTime = '09:30';
    expect(isWindowOpen(w, tuesday)).toBe(false);
  });

  test('null weekdays and blackouts (as JSON may carry) mean the defaults', () => {
    const w = { ...nineToFive, daysOfWeek: null, blackoutDates: null } as unknown as CallingWindow;
    expect(isWindowOpen(w, at('2026-01-10T15:00:00Z'))).toBe(true);
  });
});

describe('invalid input', () => {
  test('an invalid window throws a RangeError naming each problem', () => {
    const bad = { timezone: 'Mars/Base', firstCallTime: '9:00', lastCallTime: '17:00' };
    expect(() => isWindowOpen(bad, at('2026-01-05T14:00:00Z'))).toThrow(/timezone must be a valid IANA time zone, got "Mars\/Base"; firstCallTime/);
  });

  test('an invalid Date, or one outside years 0001-9999, throws', () => {
    expect(() => nextWindowOpen(nineToFive, new Date(Number.NaN))).toThrow(RangeError);
    expect(() => isWindowOpen(nineToFive, new Date(8.64e15))).toThrow(/years 0001–9999/);
  });
});
