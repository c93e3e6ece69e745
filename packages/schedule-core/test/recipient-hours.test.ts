// Recipient calling hours: window ∩ the contact's local hours, by table and
// against the minute-by-minute oracle.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isContactCallable, nextContactCallable, type CallingWindow, type RecipientHours } from '../src/index.ts';
import { ZONES, arbHours, arbWindowCase } from './arbitraries.ts';
import { hoursAsWindow, oracleOpen, scanNextOpen } from './oracle.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;
// 2026-01-05 is a Monday: New York UTC-5, Los Angeles UTC-8, Kolkata UTC+5:30.
const campaign: CallingWindow = { timezone: 'America/New_York', firstCallTime: '09:00', lastCallTime: '21:00' };
const federal: RecipientHours = { start: '08:00', end: '21:00' };

describe('recipient calling hours (table)', () => {
  test('a Los Angeles contact waits for 08:00 Pacific', () => {
    const at = new Date('2026-01-05T14:30:00Z'); // 09:30 New York, 06:30 Los Angeles
    expect(isContactCallable(campaign, federal, 'America/Los_Angeles', at)).toBe(false);
    expect(iso(nextContactCallable(campaign, federal, 'America/Los_Angeles', at))).toBe('2026-01-05T16:00:00.000Z');
  });

  test('no contact zone means the campaign zone; no hours means the window alone', () => {
    const at = new Date('2026-01-05T14:30:00Z');
    expect(isContactCallable(campaign, federal, null, at)).toBe(true);
    expect(isContactCallable(campaign, null, 'America/Los_Angeles', at)).toBe(true);
    expect(isContactCallable(campaign, undefined, undefined, at)).toBe(true);
  });

  test('a Kolkata contact overlaps New York hours only 14:00Z-15:30Z', () => {
    const from = new Date('2026-01-05T03:00:00Z');
    expect(iso(nextContactCallable(campaign, federal, 'Asia/Kolkata', from))).toBe('2026-01-05T14:00:00.000Z');
    expect(isContactCallable(campaign, federal, 'Asia/Kolkata', new Date('2026-01-05T15:29:59.999Z'))).toBe(true);
    expect(isContactCallable(campaign, federal, 'Asia/Kolkata', new Date('2026-01-05T15:30:00.000Z'))).toBe(false);
    expect(iso(nextContactCallable(campaign, federal, 'Asia/Kolkata', new Date('2026-01-05T15:30:00Z')))).toBe(
      '2026-01-06T14:00:00.000Z',
    );
  });

  test('overnight hours and disjoint windows: never', () => {
    const office: CallingWindow = { timezone: 'Europe/Paris', firstCallTime: '09:00', lastCallTime: '17:00' };
    const nights: RecipientHours = { start: '21:00', end: '08:00' };
    expect(nextContactCallable(office, nights, null, new Date('2026-01-05T00:00:00Z'))).toBeNull();
  });

  test('hours with start = end allow the whole day', () => {
    const at = new Date('2026-01-05T14:30:00Z');
    expect(isContactCallable(campaign, { start: '00:00', end: '00:00' }, 'Asia/Tokyo', at)).toBe(true);
  });

  test('invalid hours or contact zone throw', () => {
    const at = new Date('2026-01-05T14:30:00Z');
    expect(() => isContactCallable(campaign, { start: '8:00', end: '21:00' }, null, at)).toThrow(/start must be HH:mm/);
    expect(() => isContactCallable(campaign, federal, 'Mars/Base', at)).toThrow(/Mars\/Base/);
  });
});

const arbContactCase = fc.record({
  c: arbWindowCase,
  hours: arbHours,
  zone: fc.option(fc.constantFrom(...ZONES), { nil: null }),
});

describe('recipient calling hours match the oracle', () => {
  const callable = (w: CallingWindow, hours: RecipientHours, zone: string | null) => (t: number) =>
    oracleOpen(w, t) && oracleOpen(hoursAsWindow(hours, zone ?? w.timezone), t);

  test('isContactCallable', () => {
    fc.assert(
      fc.property(arbContactCase, ({ c, hours, zone }) => {
        expect(isContactCallable(c.w, hours, zone, new Date(c.t))).toBe(callable(c.w, hours, zone)(c.t));
      }),
      { numRuns: 1000 },
    );
  });

  test('nextContactCallable', () => {
    const scanMinutes = 3 * 24 * 60;
    fc.assert(
      fc.property(arbContactCase, ({ c, hours, zone }) => {
        const open = callable(c.w, hours, zone);
        const expected = scanNextOpen(open, c.t, scanMinutes);
        const got = nextContactCallable(c.w, hours, zone, new Date(c.t))?.getTime() ?? null;
        if (expected !== undefined) expect(got).toBe(expected);
        else if (got !== null) {
          expect(got).toBeGreaterThan(c.t + scanMinutes * 60_000);
          expect(open(got) && !open(got - 1)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
