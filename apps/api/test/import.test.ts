// POST /api/campaigns/import: a multipart form, campaign fields first, then the
// CSV file `contacts`. One transaction: a bad field or a bad row writes neither
// the campaign nor any contact.
import { describe, expect, it } from 'vitest';
import { AUTH, json, multipart, phoneNumber, rowCounts, useTestApi, type Part } from './helpers.ts';

const { db, api } = useTestApi({ env: { CSV_MAX_BYTES: '4096' }, truncate: ['campaigns', 'calls'] });

const FIELDS: Part[] = [
  ['name', 'Imported'], ['agent_id', 'agent-9'], ['timezone', 'America/New_York'],
  ['first_call_time', '09:00'], ['last_call_time', '17:00'],
];
const FILE = `phone,name,plan\n${phoneNumber(1)},Ann,gold\n${phoneNumber(2)},Bob,silver\n${phoneNumber(1)},Ann again,gold\n`;

const upload = (parts: Part[], query = '') => {
  const { payload, headers } = multipart(parts);
  return api.app.inject({ method: 'POST', url: `/api/campaigns/import${query}`, headers, payload });
};

describe('POST /api/campaigns/import', () => {
  it('creates the campaign and imports the file, reading form-style values', async () => {
    const res = await upload([
      ...FIELDS, ['days_of_week', '1,2,3'], ['days_of_week', '4'], ['max_concurrent_calls', '3'],
      ['recipient_calling_hours', '08:00-21:00'], ['blackout_dates', '["2026-12-25"]'], ['calls_per_minute', ''],
      ['contacts', FILE, 'contacts.csv'],
    ]);
    expect(res.statusCode).toBe(201);
    const { data } = json(res);
    expect(data).toMatchObject({
      name: 'Imported', days_of_week: [1, 2, 3, 4], max_concurrent_calls: 3, calls_per_minute: null,
      recipient_calling_hours: { start: '08:00', end: '21:00' }, blackout_dates: ['2026-12-25'],
      stats: { queued: 2, total: 2 },
    });
    expect(data.import).toEqual({ received: 3, imported: 2, duplicates: 1, suppressed: 0, invalid: 0, errors: [], errors_truncated: false });
    const rows = await db.current.sql`select name, variables from calls order by phone`;
    expect(rows).toEqual([{ name: 'Ann', variables: { plan: 'gold' } }, { name: 'Bob', variables: { plan: 'silver' } }]);
  });

  it('refuses bad campaign fields with the same messages as JSON, writing nothing', async () => {
    const res = await upload([...FIELDS.slice(0, 4), ['last_call_time', '24:00'], ['max_attempts', 'three'], ['contacts', FILE, 'c.csv']]);
    expect(res.statusCode).toBe(422);
    expect(json(res).error.details).toEqual(expect.arrayContaining([
      { field: 'max_attempts', message: 'must be integer, got "three"' },
    ]));
    const again = await upload([...FIELDS.slice(0, 4), ['last_call_time', '24:00'], ['contacts', FILE, 'c.csv']]);
    expect(json(again).error.details).toEqual([{ field: 'last_call_time', message: 'must be HH:mm (24-hour), got "24:00"' }]);
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 0, calls: 0 });
  });

  it('writes no campaign when a row is invalid, unless skip_invalid', async () => {
    const bad = `phone\n${phoneNumber(1)}\nnope\n`;
    const res = await upload([...FIELDS, ['contacts', bad, 'c.csv']]);
    expect(res.statusCode).toBe(422);
    expect(json(res).error).toMatchObject({ code: 'CSV_INVALID', details: [{ line: 3, field: 'phone', message: '"nope" is not a phone number' }] });
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 0, calls: 0 });
    const skipped = await upload([...FIELDS, ['contacts', bad, 'c.csv']], '?skip_invalid=true');
    expect(skipped.statusCode).toBe(201);
    expect(json(skipped).data.import).toMatchObject({ imported: 1, invalid: 1 });
  });

  it.each([
    ['no file', [...FIELDS], 'the CSV file "contacts" is missing'],
    ['a field after the file', [...FIELDS, ['contacts', FILE, 'c.csv'], ['max_attempts', '2']], 'came after the contacts file'],
    ['a file under another name', [...FIELDS, ['upload', FILE, 'c.csv']], 'unexpected file field "upload"'],
    ['a file without a header', [...FIELDS, ['contacts', `${phoneNumber(1)},Ann\n`, 'c.csv']], 'looks like data, not a header'],
  ] as [string, Part[], string][])('refuses %s with 422', async (_label, parts, message) => {
    const res = await upload(parts);
    expect(res.statusCode).toBe(422);
    expect(json(res).error.message).toContain(message);
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 0, calls: 0 });
  });

  it('refuses a file over CSV_MAX_BYTES with 413', async () => {
    const big = `phone,note\n${Array.from({ length: 40 }, (_, i) => `${phoneNumber(i)},${'x'.repeat(100)}`).join('\n')}\n`;
    const res = await upload([...FIELDS, ['contacts', big, 'c.csv']]);
    expect(res.statusCode).toBe(413);
    expect(json(res).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 0, calls: 0 });
  });

  it('refuses a body that is not multipart with 415, and a cut-off form with 400', async () => {
    const jsonBody = await api.app.inject({ method: 'POST', url: '/api/campaigns/import', headers: AUTH, payload: { name: 'x' } });
    expect(jsonBody.statusCode).toBe(415);
    const { payload, headers } = multipart([...FIELDS, ['contacts', FILE, 'c.csv']]);
    const cut = await api.app.inject({ method: 'POST', url: '/api/campaigns/import', headers, payload: payload.subarray(0, payload.length - 60) });
    expect(cut.statusCode).toBe(400);
    expect(json(cut).error.message).toContain('cut off');
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 0, calls: 0 });
  });
});
