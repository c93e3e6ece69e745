// The CSV defects of issue 16 §4, end to end on both CSV routes (append to a
// campaign, create one from a form) and, where the rule applies to any contact,
// on JSON contacts and direct calls: what is refused is a 4xx with the line (or
// index) and reason and writes nothing; what is accepted is stored as it should be.
import { beforeEach, describe, expect, it } from 'vitest';
import { AUTH, campaignBody, json, multipart, phoneNumber, rowCounts, useTestApi, type Part } from './helpers.ts';

const { db, api } = useTestApi({ truncate: ['campaigns', 'calls'] });

const FIELDS: Part[] = Object.entries(campaignBody()).map(([k, v]) => [k, String(v)]);
let id: string;
beforeEach(async () => {
  id = json(await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: AUTH, payload: campaignBody() })).data.id;
});

const append = (body: string, query = '') => api.app.inject({
  method: 'POST', url: `/api/campaigns/${id}/contacts${query}`, headers: { ...AUTH, 'content-type': 'text/csv' }, payload: body,
});
const appendJson = (contacts: unknown[]) => api.app.inject({ method: 'POST', url: `/api/campaigns/${id}/contacts`, headers: AUTH, payload: contacts });
const importForm = (file: string, query = '') => {
  const { payload, headers } = multipart([...FIELDS, ['contacts', file, 'contacts.csv']]);
  return api.app.inject({ method: 'POST', url: `/api/campaigns/import${query}`, headers, payload });
};
const stored = () => db.current.sql<{ phone: string; name: string | null; timezone: string | null; variables: Record<string, string> }[]>`
  select phone, name, timezone, variables from calls order by phone`;

describe('quotes inside fields', () => {
  const file = `phone,name,height,location\n${phoneNumber(1)},Dwayne "The Rock" Johnson,5'10",37°36'37.8"N 121°2'17.9"W\n`;
  const expected = [{ phone: phoneNumber(1), name: 'Dwayne "The Rock" Johnson', timezone: null, variables: { height: `5'10"`, location: `37°36'37.8"N 121°2'17.9"W` } }];

  it('are kept as written when appended (was a 500)', async () => {
    const res = await append(file);
    expect(res.statusCode).toBe(200);
    expect(await stored()).toEqual(expected);
  });

  it('are kept as written in a campaign import (was a misleading 400)', async () => {
    const res = await importForm(file);
    expect(res.statusCode).toBe(201);
    expect(await stored()).toEqual(expected);
  });
});

describe('a file the parser cannot read', () => {
  // Line 2 holds a quoted CRLF, so the broken row starts on line 4.
  const file = `phone,name\r\n${phoneNumber(1)},"Ann\r\nSmith"\r\n${phoneNumber(2)},"Dwayne "The Rock" Johnson"\r\n`;

  it.each([
    ['appended', () => append(file)],
    ['imported', () => importForm(file)],
  ])('is a 422 CSV_INVALID with the line its row starts on when %s, writing nothing', async (_label, send) => {
    const res = await send();
    expect(res.statusCode).toBe(422);
    expect(json(res).error).toMatchObject({
      code: 'CSV_INVALID',
      message: expect.stringMatching(/^the file is not valid CSV at line 4: the row has text after the closing quote/),
      details: [{ line: 4, field: 'row', message: expect.stringContaining('write a quote inside a quoted field as ""') }],
    });
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 1, calls: 0 }); // the one made before each test
  });
});

it('reports rows after quoted CRLF and CR breaks by the line they start on', async () => {
  const res = await append(`phone,note\r\n${phoneNumber(1)},"a\r\nb\r\nc"\r\nbad-1,x\r\n${phoneNumber(2)},"d\re"\r\nbad-2,y\r\n`);
  expect(json(res).error.details).toEqual([
    { line: 5, field: 'phone', message: '"bad-1" is not a phone number' },
    { line: 8, field: 'phone', message: '"bad-2" is not a phone number' },
  ]);
});

it('reads common phone header names and ignores an empty trailing column', async () => {
  const res = await importForm(`Mobile Number,Name,Time Zone,\n${phoneNumber(1)},Ann,america/chicago,\n${phoneNumber(2)},Bob,,\n`);
  expect(res.statusCode).toBe(201);
  expect(json(res).data.import).toMatchObject({ received: 2, imported: 2, invalid: 0 });
  expect(await stored()).toEqual([
    { phone: phoneNumber(1), name: 'Ann', timezone: 'America/Chicago', variables: {} },
    { phone: phoneNumber(2), name: 'Bob', timezone: null, variables: {} },
  ]);
});

it('refuses a reserved column name, naming it, instead of dropping the column', async () => {
  const res = await append(`phone,__proto__\n${phoneNumber(1)},x\n`);
  expect(res.statusCode).toBe(422);
  expect(json(res).error).toMatchObject({ code: 'CSV_INVALID', message: 'the column "__proto__" has a reserved name: rename it' });
  expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 1, calls: 0 });
});

describe('numbers with an extension', () => {
  it('are invalid CSV rows, never merged with the same number without one', async () => {
    const file = `phone\n${phoneNumber(1)}\n${phoneNumber(1)} x101\n${phoneNumber(1)} ext. 102\n`;
    const strict = await append(file);
    expect(strict.statusCode).toBe(422);
    expect(json(strict).error.details).toEqual([
      { line: 3, field: 'phone', message: expect.stringContaining('has an extension (101), which a dialer cannot dial') },
      { line: 4, field: 'phone', message: expect.stringContaining('has an extension (102), which a dialer cannot dial') },
    ]);
    const skipped = await append(file, '?skip_invalid=true');
    expect(json(skipped).data).toMatchObject({ received: 3, imported: 1, duplicates: 0, invalid: 2 });
  });

  it('are refused in JSON contacts and direct calls too', async () => {
    const res = await appendJson([{ phone: phoneNumber(1) }, { phone: `${phoneNumber(2)} #7` }]);
    expect(res.statusCode).toBe(422);
    expect(json(res).error.details).toEqual([{ field: 'contacts[1].phone', message: expect.stringContaining('has an extension (7)') }]);
    const call = await api.app.inject({ method: 'POST', url: '/api/calls', headers: AUTH, payload: { phone: `${phoneNumber(3)} x9`, agent_id: 'agent-1' } });
    expect(call.statusCode).toBe(422);
    expect(json(call).error.details).toEqual([{ field: 'phone', message: expect.stringContaining('has an extension (9)') }]);
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 1, calls: 0 });
  });
});

it('stores contact time zones in canonical case, from CSV and JSON alike', async () => {
  await append(`phone,timezone\n${phoneNumber(1)},america/new_york\n${phoneNumber(2)},EUROPE/LONDON\n`);
  await appendJson([{ phone: phoneNumber(3), timezone: 'asia/tokyo' }]);
  expect((await stored()).map((c) => c.timezone)).toEqual(['America/New_York', 'Europe/London', 'Asia/Tokyo']);
});

it('refuses numbers that only look valid by length (full metadata)', async () => {
  const res = await appendJson([{ phone: '+33 7 00 00 00 00' }]);
  expect(res.statusCode).toBe(422);
  expect(json(res).error.details).toEqual([{ field: 'contacts[0].phone', message: '"+33 7 00 00 00 00" is not a valid phone number for FR' }]);
});
