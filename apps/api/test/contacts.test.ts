// POST /api/campaigns/:id/contacts with JSON and with text/csv: the CSV rules of
// DESIGN.md §5, all-or-nothing versus ?skip_invalid=true, deduplication after
// normalisation, re-activation of a completed campaign, and every kind of bad
// file refused with a 4xx that says why and writes nothing.
import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { AUTH, campaignBody, json, phoneNumber, rowCounts, useTestApi } from './helpers.ts';

const { db, api } = useTestApi({ env: { CSV_MAX_ROWS: '200', CSV_MAX_BYTES: '20000' }, truncate: ['campaigns', 'calls'] });
let id: string;
beforeEach(async () => {
  const res = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: AUTH, payload: campaignBody() });
  id = json(res).data.id;
});

const csv = (body: string | Buffer | Readable, query = '') => api.app.inject({
  method: 'POST', url: `/api/campaigns/${id}/contacts${query}`, headers: { ...AUTH, 'content-type': 'text/csv' }, payload: body,
});
const calls = () => db.current.sql<{ phone: string; name: string | null; timezone: string | null; variables: Record<string, string> }[]>`
  select phone, name, timezone, variables from calls order by phone`;

describe('CSV contacts', () => {
  it('reads BOM, CRLF, any-case headers, variables and time zones', async () => {
    const res = await csv(`\uFEFFName,PHONE,TimeZone,plan\r\nAnn,+1 212 200 0001,America/Chicago,gold\r\n\r\nBob,(212) 200-0002,,silver\r\n`, '?default_country=US');
    expect(res.statusCode).toBe(200);
    expect(json(res).data).toEqual({ received: 2, imported: 2, duplicates: 0, suppressed: 0, invalid: 0, errors: [], errors_truncated: false, campaign_status: 'active' });
    expect(await calls()).toEqual([
      { phone: phoneNumber(1), name: 'Ann', timezone: 'America/Chicago', variables: { plan: 'gold' } },
      { phone: phoneNumber(2), name: 'Bob', timezone: null, variables: { plan: 'silver' } },
    ]);
  });

  it.each(['number', 'phone_number', 'Phone_Number'])('accepts %s as the phone column', async (header) => {
    const res = await csv(`${header}\n${phoneNumber(1)}\n`);
    expect(json(res).data.imported).toBe(1);
  });

  it('skips duplicates within the upload and against existing contacts, after normalisation', async () => {
    await csv(`phone\n${phoneNumber(1)}\n`);
    const res = await csv(`phone\n+1 (212) 200-0001\n${phoneNumber(2)}\n+12122000002\n`);
    expect(json(res).data).toMatchObject({ received: 3, imported: 1, duplicates: 2, invalid: 0 });
    expect((await calls()).map((c) => c.phone)).toEqual([phoneNumber(1), phoneNumber(2)]);
  });

  it('is all-or-nothing: any invalid row → 422 with line numbers, nothing written', async () => {
    const file = `phone,name\n${phoneNumber(1)},Ann\n"${phoneNumber(2)}","Multi\nline"\nnot-a-number,Cy\n${phoneNumber(4)}\n${phoneNumber(5)},Eve,extra\n`;
    const res = await csv(file);
    expect(res.statusCode).toBe(422);
    const { error } = json(res);
    expect(error.code).toBe('CSV_INVALID');
    expect(error.message).toMatch(/^3 of 5 rows are invalid; nothing was imported/);
    expect(error.details).toEqual([
      { line: 5, field: 'phone', message: '"not-a-number" is not a phone number' },
      { line: 6, field: 'row', message: 'has 1 field, the header has 2' },
      { line: 7, field: 'row', message: 'has 3 fields, the header has 2' },
    ]);
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 1, calls: 0 });

    const skipped = await csv(file, '?skip_invalid=true');
    expect(skipped.statusCode).toBe(200);
    expect(json(skipped).data).toMatchObject({ received: 5, imported: 2, invalid: 3, errors_truncated: false });
    expect(json(skipped).data.errors).toHaveLength(3);
  });

  it('caps the listed row errors but counts them all', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => `bad-${i}`).join('\n');
    const res = await csv(`phone\n${rows}\n`, '?skip_invalid=true');
    expect(json(res).data).toMatchObject({ received: 150, imported: 0, invalid: 150, errors_truncated: true });
    expect(json(res).data.errors).toHaveLength(100);
    const strict = await csv(`phone\n${rows}\n`);
    expect(json(strict).error.message).toContain('150 of 150 rows are invalid');
    expect(json(strict).error.details).toHaveLength(100);
  });

  it.each([
    ['an empty file', '', 'the file is empty'],
    ['only a BOM and blank lines', '\uFEFF\r\n\r\n', 'the file is empty'],
    ['a header and no rows', 'phone,name\n', 'header but no contact rows'],
    ['no header (data first)', `${phoneNumber(1)},Ann\n${phoneNumber(2)},Bob\n`, 'the first line looks like data, not a header'],
    ['no phone column', 'name,email\nAnn,ann@example.com\n', 'no phone column in the header (found "name", "email")'],
    ['a semicolon delimiter', `phone;name\n${phoneNumber(1)};Ann\n`, 'separate columns with ";"'],
    ['a tab delimiter', `phone\tname\n${phoneNumber(1)}\tAnn\n`, 'separate columns with "\\t"'],
    ['a duplicated column', 'phone,Phone\n1,2\n', 'names the column "phone" twice'],
    ['an unnamed column', 'phone,,name\n1,2,3\n', 'column 2 of the header has no name'],
    ['an unclosed quote', `phone,name\n${phoneNumber(1)},"Ann\n`, 'the file is not valid CSV'],
  ])('refuses %s with 422 CSV_INVALID', async (_label, body, message) => {
    const res = await csv(body);
    expect(res.statusCode).toBe(422);
    expect(json(res).error.code).toBe('CSV_INVALID');
    expect(json(res).error.message).toContain(message);
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 1, calls: 0 });
  });

  it.each([
    ['binary (NUL bytes)', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]), 'the file is binary'],
    ['UTF-16', Buffer.from('\uFEFFphone\n+12122000001\n', 'utf16le'), 'the file is binary'],
    ['not UTF-8 (Latin-1)', Buffer.from('phone,name\n+12122000001,Ren\xe9\n', 'latin1'), 'not UTF-8 text'],
  ])('refuses a %s file with 422', async (_label, body, message) => {
    const res = await csv(body);
    expect(res.statusCode).toBe(422);
    expect(json(res).error.message).toContain(message);
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 1, calls: 0 });
  });

  it('refuses more rows than CSV_MAX_ROWS with 413', async () => {
    const rows = Array.from({ length: 201 }, (_, i) => phoneNumber(i)).join('\n');
    const res = await csv(`phone\n${rows}\n`);
    expect(res.statusCode).toBe(413);
    expect(json(res).error).toMatchObject({ code: 'CSV_TOO_MANY_ROWS', message: expect.stringContaining('more than 200 rows') });
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 1, calls: 0 });
  });

  it('refuses more bytes than CSV_MAX_BYTES with 413, declared or streamed', async () => {
    const big = `phone,note\n${Array.from({ length: 150 }, (_, i) => `${phoneNumber(i)},${'x'.repeat(150)}`).join('\n')}\n`;
    const declared = await csv(big);
    expect(declared.statusCode).toBe(413);
    expect(json(declared).error.code).toBe('PAYLOAD_TOO_LARGE');
    const streamed = await csv(Readable.from([Buffer.from(big.slice(0, 10_000)), Buffer.from(big.slice(10_000))]));
    expect(streamed.statusCode).toBe(413);
    expect(json(streamed).error.message).toContain('larger than 20000 bytes');
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 1, calls: 0 });
  });
});

describe('JSON contacts', () => {
  it('appends an array, with default_country from the query', async () => {
    const res = await api.app.inject({
      method: 'POST', url: `/api/campaigns/${id}/contacts?default_country=GB`, headers: AUTH,
      payload: [{ phone: '020 7946 0958', name: 'Lon' }, { phone: phoneNumber(1), variables: { tier: 2 } }],
    });
    expect(res.statusCode).toBe(200);
    expect(json(res).data).toMatchObject({ received: 2, imported: 2 });
    expect((await calls()).map((c) => c.phone).sort()).toEqual([phoneNumber(1), '+442079460958'].sort());
  });

  it('rejects wrong types by field, and invalid numbers as a whole', async () => {
    const wrong = await api.app.inject({ method: 'POST', url: `/api/campaigns/${id}/contacts`, headers: AUTH, payload: [{ phone: 12122000001 }, { name: 'no phone' }] });
    expect(wrong.statusCode).toBe(422);
    expect(json(wrong).error.details).toEqual([
      { field: '[0].phone', message: 'must be string, got 12122000001' },
      { field: '[1].phone', message: 'is required' },
    ]);
    const invalid = await api.app.inject({ method: 'POST', url: `/api/campaigns/${id}/contacts`, headers: AUTH, payload: [{ phone: '+1 555 555 5555' }] });
    expect(invalid.statusCode).toBe(422);
    expect(json(invalid).error.details).toEqual([{ field: 'contacts[0].phone', message: '"+1 555 555 5555" is not a valid phone number' }]);
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 1, calls: 0 });
  });

  it('re-activates a completed campaign when contacts are added', async () => {
    await db.current.sql`update campaigns set status = 'completed', completed_at = now() where id = ${id}`;
    const res = await api.app.inject({ method: 'POST', url: `/api/campaigns/${id}/contacts`, headers: AUTH, payload: [{ phone: phoneNumber(1) }] });
    expect(json(res).data.campaign_status).toBe('active');
    const [row] = await db.current.sql`select status, completed_at from campaigns where id = ${id}`;
    expect(row).toEqual({ status: 'active', completed_at: null });
  });

  it('refuses a cancelled campaign (409), an unknown one (404) and other content types (415)', async () => {
    const unknown = await api.app.inject({ method: 'POST', url: '/api/campaigns/00000000-0000-4000-8000-000000000000/contacts', headers: AUTH, payload: [] });
    expect(unknown.statusCode).toBe(404);
    const plain = await api.app.inject({ method: 'POST', url: `/api/campaigns/${id}/contacts`, headers: { ...AUTH, 'content-type': 'text/plain' }, payload: 'phone\n+12122000001' });
    expect(plain.statusCode).toBe(415);
    expect(json(plain).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const xml = await api.app.inject({ method: 'POST', url: `/api/campaigns/${id}/contacts`, headers: { ...AUTH, 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(xml.statusCode).toBe(415);
    await api.app.inject({ method: 'POST', url: `/api/campaigns/${id}/cancel`, headers: AUTH });
    const cancelled = await api.app.inject({ method: 'POST', url: `/api/campaigns/${id}/contacts`, headers: AUTH, payload: [{ phone: phoneNumber(1) }] });
    expect(cancelled.statusCode).toBe(409);
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 1, calls: 0 });
  });
});
