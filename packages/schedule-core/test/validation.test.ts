// Validation: every problem at once, each naming the field and the bad value,
// and valid windows normalised.
import { describe, expect, test } from 'vitest';
import {
  isValidTimeZone,
  validateRecipientHours,
  validateRecipientHoursDetailed,
  validateWindow,
  validateWindowDetailed,
} from '../src/index.ts';

const valid = { timezone: 'America/New_York', firstCallTime: '09:00', lastCallTime: '17:00' };

function errorsOf(input: unknown): string[] {
  const result = validateWindow(input);
  return result.ok ? [] : result.errors;
}

describe('validateWindow', () => {
  test('a minimal window is normalised with defaults', () => {
    expect(validateWindow(valid)).toEqual({
      ok: true,
      value: { ...valid, daysOfWeek: [1, 2, 3, 4, 5, 6, 7], startDate: null, endDate: null, blackoutDates: [] },
    });
  });

  test('weekdays and blackouts are sorted and deduplicated; zone case is canonical; unknown fields dropped', () => {
    const result = validateWindow({
      ...valid,
      timezone: 'america/new_york',
      daysOfWeek: [5, 1, 5, 3],
      blackoutDates: ['2026-12-25', '2026-01-01', '2026-12-25'],
      startDate: '2026-01-01',
      endDate: '2026-01-01',
      extra: true,
    });
    expect(result).toEqual({
      ok: true,
      value: {
        ...valid,
        daysOfWeek: [1, 3, 5],
        startDate: '2026-01-01',
        endDate: '2026-01-01',
        blackoutDates: ['2026-01-01', '2026-12-25'],
      },
    });
  });

  test('an alias zone is kept as written', () => {
    const result = validateWindow({ ...valid, timezone: 'Asia/Calcutta' });
    expect(result.ok && result.value.timezone).toBe('Asia/Calcutta');
  });

  test.each([
    [{ lastCallTime: '17:61' }, 'lastCallTime must be HH:mm (24-hour), got "17:61"'],
    [{ firstCallTime: '9:00' }, 'firstCallTime must be HH:mm (24-hour), got "9:00"'],
    [{ firstCallTime: '24:00' }, 'firstCallTime must be HH:mm (24-hour), got "24:00"'],
    [{ firstCallTime: '09:00:00' }, 'firstCallTime must be HH:mm (24-hour), got "09:00:00"'],
    [{ lastCallTime: 900 }, 'lastCallTime must be HH:mm (24-hour), got 900'],
    [{ timezone: 'Mars/Base' }, 'timezone must be a valid IANA time zone, got "Mars/Base"'],
    [{ timezone: '+05:00' }, 'timezone must be a valid IANA time zone, got "+05:00"'],
    [{ startDate: '2026-02-30' }, 'startDate must be a real calendar date, got "2026-02-30"'],
    [{ endDate: '2100-02-29' }, 'endDate must be a real calendar date, got "2100-02-29"'],
    [{ endDate: '2026-1-5' }, 'endDate must be a date written YYYY-MM-DD, got "2026-1-5"'],
    [{ startDate: '2026-05-01', endDate: '2026-04-01' }, 'startDate must be on or before endDate, got startDate "2026-05-01" after endDate "2026-04-01"'],
    [{ daysOfWeek: [0] }, 'daysOfWeek must contain only ISO weekdays 1–7 (1 = Monday, 7 = Sunday), got 0'],
    [{ daysOfWeek: [1.5] }, 'daysOfWeek must contain only ISO weekdays 1–7 (1 = Monday, 7 = Sunday), got 1.5'],
    [{ daysOfWeek: ['1'] }, 'daysOfWeek must contain only ISO weekdays 1–7 (1 = Monday, 7 = Sunday), got "1"'],
    [{ daysOfWeek: [] }, 'daysOfWeek must name at least one day, got []'],
    [{ daysOfWeek: 'weekdays' }, 'daysOfWeek must be a list of ISO weekdays 1–7 (1 = Monday, 7 = Sunday), got "weekdays"'],
    [{ blackoutDates: ['2026-13-01'] }, 'blackoutDates must contain only real calendar dates, got "2026-13-01"'],
    [{ blackoutDates: '2026-01-01' }, 'blackoutDates must be a list of dates written YYYY-MM-DD, got "2026-01-01"'],
  ])('%j', (patch, message) => {
    expect(errorsOf({ ...valid, ...patch })).toEqual([message]);
  });

  test('leap days are real in leap years', () => {
    expect(validateWindow({ ...valid, startDate: '2024-02-29', endDate: '2000-02-29' }).ok).toBe(false); // order only
    expect(validateWindow({ ...valid, startDate: '2000-02-29', endDate: '2024-02-29' }).ok).toBe(true);
  });

  test('every problem is reported at once', () => {
    const errors = errorsOf({
      timezone: 'Mars/Base',
      firstCallTime: '9:00',
      lastCallTime: '17:61',
      daysOfWeek: [0, 8],
      startDate: '2026-02-30',
      blackoutDates: ['nope'],
    });
    expect(errors).toHaveLength(7);
    expect(errors.map((e) => e.split(' ')[0])).toEqual([
      'timezone',
      'firstCallTime',
      'lastCallTime',
      'daysOfWeek',
      'daysOfWeek',
      'startDate',
      'blackoutDates',
    ]);
  });

  test('missing fields and non-objects', () => {
    expect(errorsOf({})).toEqual([
      'timezone is required, as an IANA time zone such as "America/New_York"',
      'firstCallTime is required, as HH:mm (24-hour)',
      'lastCallTime is required, as HH:mm (24-hour)',
    ]);
    expect(errorsOf(null)).toHaveLength(3);
    expect(errorsOf('09:00-17:00')).toHaveLength(3);
  });

  test('the detailed variant names fields for the HTTP layer', () => {
    const result = validateWindowDetailed({ ...valid, lastCallTime: '17:61', endDate: 'x' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.field)).toEqual(['lastCallTime', 'endDate']);
  });
});

describe('validateRecipientHours', () => {
  test('valid hours pass through', () => {
    expect(validateRecipientHours({ start: '08:00', end: '21:00' })).toEqual({ ok: true, value: { start: '08:00', end: '21:00' } });
  });
  test('bad and missing fields are all reported', () => {
    expect(validateRecipientHours({ start: '8:00' })).toEqual({
      ok: false,
      errors: ['start must be HH:mm (24-hour), got "8:00"', 'end is required, as HH:mm (24-hour)'],
    });
    const detailed = validateRecipientHoursDetailed({ start: '08:00', end: '25:00' });
    expect(!detailed.ok && detailed.errors.map((e) => e.field)).toEqual(['end']);
  });
});

describe('isValidTimeZone', () => {
  test.each([
    ['America/New_York', true],
    ['Asia/Kathmandu', true],
    ['UTC', true],
    ['Mars/Base', false],
    ['', false],
    ['+05:00', false],
  ])('%s → %s', (zone, expected) => {
    expect(isValidTimeZone(zone)).toBe(expected);
  });
});
