// The public csv-spectrum acid tests (github.com/max-mapper/csv-spectrum),
// recreated from their published contents with a phone column added in front,
// fed through POST /api/campaigns/:id/contacts: every record is imported with
// the values the suite's JSON expects; and with the last record's phone made
// invalid, the file is refused with the line that record starts on.
import { beforeEach, describe, expect, it } from 'vitest';
import { AUTH, campaignBody, json, phoneNumber, useTestApi } from './helpers.ts';

const { db, api } = useTestApi({ truncate: ['campaigns', 'calls'] });

interface SpectrumCase {
  header: string;
  /** Each record as the suite writes it, without the phone column. */
  records: string[];
  eol: '\n' | '\r\n';
  /** The suite's expected values, one object per record. */
  expected: Record<string, string>[];
  /** The line the last record starts on (header = 1). */
  lastLine: number;
  finalEol?: boolean;
}

const SPECTRUM: Record<string, SpectrumCase> = {
  comma_in_quotes: {
    header: 'first,last,address,city,zip', records: ['John,Doe,120 any st.,"Anytown, WW",08123'], eol: '\n',
    expected: [{ first: 'John', last: 'Doe', address: '120 any st.', city: 'Anytown, WW', zip: '08123' }], lastLine: 2,
  },
  escaped_quotes: {
    header: 'a,b', records: ['1,"ha ""ha"" ha"', '3,4'], eol: '\n',
    expected: [{ a: '1', b: 'ha "ha" ha' }, { a: '3', b: '4' }], lastLine: 3,
  },
  json: {
    header: 'key,val', records: ['1,"{""type"": ""Point"", ""coordinates"": [102.0, 0.5]}"'], eol: '\n',
    expected: [{ key: '1', val: '{"type": "Point", "coordinates": [102.0, 0.5]}' }], lastLine: 2,
  },
  newlines: {
    header: 'a,b,c', records: ['1,2,3', '"Once upon \na time",5,6', '7,8,9'], eol: '\n',
    expected: [{ a: '1', b: '2', c: '3' }, { a: 'Once upon \na time', b: '5', c: '6' }, { a: '7', b: '8', c: '9' }], lastLine: 5,
  },
  newlines_crlf: {
    header: 'a,b,c', records: ['1,2,3', '"Once upon \r\na time",5,6', '7,8,9'], eol: '\r\n',
    expected: [{ a: '1', b: '2', c: '3' }, { a: 'Once upon \r\na time', b: '5', c: '6' }, { a: '7', b: '8', c: '9' }], lastLine: 5,
  },
  quotes_and_newlines: {
    header: 'a,b', records: ['1,"ha \n""ha"" \nha"', '3,4'], eol: '\n',
    expected: [{ a: '1', b: 'ha \n"ha" \nha' }, { a: '3', b: '4' }], lastLine: 5,
  },
  simple: { header: 'a,b,c', records: ['1,2,3'], eol: '\n', expected: [{ a: '1', b: '2', c: '3' }], lastLine: 2 },
  simple_crlf: { header: 'a,b,c', records: ['1,2,3'], eol: '\r\n', expected: [{ a: '1', b: '2', c: '3' }], lastLine: 2 },
  utf8: {
    header: 'a,b,c', records: ['1,2,3', '4,5,ʤ'], eol: '\n',
    expected: [{ a: '1', b: '2', c: '3' }, { a: '4', b: '5', c: 'ʤ' }], lastLine: 3,
  },
  empty: {
    header: 'a,b,c', records: ['1,"",""', '2,3,4'], eol: '\n',
    expected: [{ a: '1', b: '', c: '' }, { a: '2', b: '3', c: '4' }], lastLine: 3,
  },
  empty_crlf: {
    header: 'a,b,c', records: ['1,"",""', '2,3,4'], eol: '\r\n',
    expected: [{ a: '1', b: '', c: '' }, { a: '2', b: '3', c: '4' }], lastLine: 3,
  },
  location_coordinates: {
    header: 'Contact Phone Number,Location Coordinates,Cities,Counties',
    records: [`02095257564,37°36'37.8"N 121°2'17.9"W,Modesto,Stanislaus`], eol: '\n', finalEol: false,
    expected: [{ 'Contact Phone Number': '02095257564', 'Location Coordinates': `37°36'37.8"N 121°2'17.9"W`, Cities: 'Modesto', Counties: 'Stanislaus' }],
    lastLine: 2,
  },
};

function withPhones(c: SpectrumCase, lastPhone?: string): string {
  const rows = c.records.map((r, i) => `${i === c.records.length - 1 && lastPhone ? lastPhone : phoneNumber(i)},${r}`);
  return `phone,${c.header}${c.eol}${rows.join(c.eol)}${c.finalEol === false ? '' : c.eol}`;
}

let id: string;
beforeEach(async () => {
  id = json(await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: AUTH, payload: campaignBody() })).data.id;
});
const append = (body: string | Buffer) => api.app.inject({
  method: 'POST', url: `/api/campaigns/${id}/contacts`, headers: { ...AUTH, 'content-type': 'text/csv' }, payload: body,
});

describe.each(Object.entries(SPECTRUM))('csv-spectrum %s', (_name, c) => {
  it('imports every record with the values the suite expects', async () => {
    const res = await append(withPhones(c));
    expect(res.statusCode).toBe(200);
    expect(json(res).data).toMatchObject({ received: c.records.length, imported: c.records.length, invalid: 0 });
    const rows = await db.current.sql<{ variables: Record<string, string> }[]>`select variables from calls order by phone`;
    expect(rows.map((r) => r.variables)).toEqual(c.expected);
  });

  it('refuses an invalid phone in the last record with the line that record starts on', async () => {
    const res = await append(withPhones(c, 'not-a-phone'));
    expect(res.statusCode).toBe(422);
    expect(json(res).error.details).toEqual([{ line: c.lastLine, field: 'phone', message: '"not-a-phone" is not a phone number' }]);
  });
});

it('csv-spectrum location_coordinates saved as Latin-1 is refused as not UTF-8, saying how to fix it', async () => {
  const res = await append(Buffer.from(withPhones(SPECTRUM.location_coordinates!), 'latin1'));
  expect(res.statusCode).toBe(422);
  expect(json(res).error.message).toContain('not UTF-8 text (is it a spreadsheet file?): export it as CSV, comma-separated, UTF-8');
});
