// The pure parts of contact import: phone normalisation, the CSV header rules,
// and multipart form values → campaign field types.
import { describe, expect, it } from 'vitest';
import { coerceFormFields } from '../../src/campaigns/multipart-fields.ts';
import { readHeader } from '../../src/contacts/csv-header.ts';
import { normalizePhone } from '../../src/contacts/phone.ts';

describe('normalizePhone', () => {
  it.each([
    ['+1 (415) 555-2671', null, '+14155552671'],
    ['415.555.2671', 'US', '+14155552671'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['0044 20 7946 0958', null, '+442079460958'],
    ['+33 6 12 34 56 78', 'US', '+33612345678'],
  ])('%s (default %s) → %s', (raw, country, e164) => {
    expect(normalizePhone(raw, country)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['', null, 'is required'],
    ['   ', 'US', 'is required'],
    ['call me', 'US', '"call me" is not a phone number'],
    ['12', 'US', '"12" is not a phone number'],
    ['415 555 2671', null, '"415 555 2671" has no country code: write it as +<country code><number> or set default_country'],
    ['+1 555 555 5555', null, '"+1 555 555 5555" is not a valid phone number'],
    ['+44 20 7946', null, expect.stringContaining('is not a valid phone number')],
  ])('rejects %j (default %s)', (raw, country, message) => {
    expect(normalizePhone(raw, country)).toEqual({ ok: false, message });
  });
});

describe('readHeader', () => {
  it('maps phone, name and timezone case-insensitively; the rest are variables', () => {
    expect(readHeader(['Name', ' Phone_Number ', 'company', 'TimeZone', 'plan'])).toEqual({
      width: 5, maxWidth: 5, phone: 1, name: 0, timezone: 3, variables: [{ index: 2, key: 'company' }, { index: 4, key: 'plan' }],
    });
  });

  it('prefers phone over number when both are present', () => {
    expect(readHeader(['number', 'phone'])).toMatchObject({ phone: 1, variables: [{ index: 0, key: 'number' }] });
  });

  it.each([
    [['phone;name'], 'separate columns with ";"'],
    [['email', 'name'], 'no phone column in the header (found "email", "name")'],
    [['+14155552671', 'Ann'], 'the first line looks like data'],
    [['phone', '', 'name'], 'column 2 of the header has no name'],
    [['phone', 'PHONE'], 'names the column "phone" twice'],
  ])('rejects %j', (cells, message) => {
    expect(() => readHeader(cells)).toThrow(message);
  });
});

describe('coerceFormFields', () => {
  it('reads numbers, lists, hours and nulls the way a form user writes them', () => {
    const fields = new Map<string, string[]>([
      ['name', ['  Spring ']], ['max_attempts', ['5']], ['calls_per_minute', ['null']], ['start_date', ['']],
      ['days_of_week', ['1,2', '5']], ['retry_on', ['["busy","failed"]']], ['blackout_dates', ['2026-12-25, 2026-12-31']],
      ['recipient_calling_hours', ['08:00 - 21:00']], ['max_concurrent_calls', ['two']],
    ]);
    expect(coerceFormFields(fields)).toEqual({
      name: 'Spring', max_attempts: 5, calls_per_minute: null, days_of_week: [1, 2, 5], retry_on: ['busy', 'failed'],
      blackout_dates: ['2026-12-25', '2026-12-31'], recipient_calling_hours: { start: '08:00', end: '21:00' }, max_concurrent_calls: 'two',
    });
  });
});
