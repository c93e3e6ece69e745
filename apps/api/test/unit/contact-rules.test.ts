// The row checks every contact goes through, CSV row or JSON object: numbers
// with an extension refused, validity by the full (`max`) metadata, time zones in
// their canonical case, reserved variable names refused.
import { describe, expect, it } from 'vitest';
import { checkContact } from '../../src/contacts/contact-check.ts';
import { normalizePhone } from '../../src/contacts/phone.ts';

describe('phone extensions', () => {
  it.each([
    ['+1 212 200 0001 x101', null],
    ['+1 212 200 0001 X101', null],
    ['+1 212 200 0001 ext. 101', null],
    ['+1 212 200 0001 ext 101', null],
    ['+1 212 200 0001 extension 101', null],
    ['+1 212 200 0001 #101', null],
    ['+1 212 200 0001;ext=101', null],
    ['(212) 200-0001 x101', 'US'],
  ])('%j is refused, naming the extension', (raw, country) => {
    expect(normalizePhone(raw, country)).toEqual({ ok: false, message: expect.stringMatching(/has an extension \(101\), which a dialer cannot dial/) });
  });

  it('never merges two numbers that differ only by extension: both are refused', () => {
    expect(normalizePhone('+1 212 200 0001 x101', null).ok).toBe(false);
    expect(normalizePhone('+1 212 200 0001 x102', null).ok).toBe(false);
    expect(normalizePhone('+1 212 200 0001', null)).toEqual({ ok: true, e164: '+12122000001' });
  });
});

describe('validity by the full metadata', () => {
  it.each([
    ['+33 7 00 00 00 00', 'an unassigned French mobile range'],
    ['+55 11 1234 5678', 'a São Paulo number with an impossible first digit'],
    ['+49 151 0000000', 'a German mobile one digit short'],
  ])('refuses %s (%s), which length checks alone pass', (raw) => {
    expect(normalizePhone(raw, null)).toEqual({ ok: false, message: expect.stringContaining('is not a valid phone number') });
  });

  it.each([
    ['+33 6 12 34 56 78', '+33612345678'],
    ['+55 11 2345 6789', '+551123456789'],
    ['+49 151 23456789', '+4915123456789'],
    ['+44 7400 123456', '+447400123456'],
  ])('still accepts %s', (raw, e164) => {
    expect(normalizePhone(raw, null)).toEqual({ ok: true, e164 });
  });
});

describe('checkContact', () => {
  it.each([
    ['america/new_york', 'America/New_York'],
    ['AMERICA/CHICAGO', 'America/Chicago'],
    ['  europe/london ', 'Europe/London'],
    ['utc', 'UTC'],
    ['America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
  ])('stores the time zone %j as %j, the way campaign zones are', (timezone, stored) => {
    const checked = checkContact({ phone: '+12122000001', timezone }, null);
    expect(checked).toEqual({ ok: true, value: expect.objectContaining({ timezone: stored }) });
  });

  it('refuses a time zone that is not an IANA name', () => {
    expect(checkContact({ phone: '+12122000001', timezone: 'Eastern' }, null)).toEqual({
      ok: false, problems: [{ field: 'timezone', message: 'must be a valid IANA time zone such as "America/New_York", got "Eastern"' }],
    });
  });

  it.each(['constructor', 'prototype'])('refuses the variable name %s, as a CSV column of that name is', (key) => {
    expect(checkContact({ phone: '+12122000001', variables: { [key]: 'x', plan: 'gold' } }, null)).toEqual({
      ok: false, problems: [{ field: 'variables', message: `must not use the reserved name "${key}": rename it` }],
    });
  });

  it('reports every problem of a contact at once', () => {
    const checked = checkContact({ phone: '+1 212 200 0001 ext. 7', timezone: 'Mars/Base', variables: { constructor: 1 } }, null);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.problems.map((p) => p.field)).toEqual(['phone', 'timezone', 'variables']);
  });
});
