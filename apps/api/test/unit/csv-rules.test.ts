// The CSV rules on the pure import path (a stream through csv-parse into the row
// checks; no HTTP, no database): quotes inside fields, parser errors as a 422 with
// the line, line numbers across quoted line breaks of every kind, header names,
// empty trailing columns, reserved column names.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectCsvContacts } from '../../src/contacts/csv-import.ts';
import { ContactCollector } from '../../src/contacts/import-collector.ts';
import { ApiError } from '../../src/errors.ts';

const phone = (i: number) => `+1212${2_000_000 + i}`;

/** Feeds `text` in chunks of `chunk` bytes, so a CRLF or a quote may straddle two chunks. */
async function importCsv(text: string, chunk = 64 * 1024): Promise<ContactCollector> {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  const collector = new ContactCollector('US');
  await collectCsvContacts(Readable.from(chunks), { maxRows: 1000, maxBytes: 4_000_000 }, collector);
  return collector;
}

async function importError(text: string): Promise<ApiError> {
  const error = await importCsv(text).then(() => null, (e: unknown) => e);
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('quotes inside unquoted fields', () => {
  it.each([
    ['Dwayne "The Rock" Johnson'],
    [`5'10"`],
    [`37°36'37.8"N 121°2'17.9"W`],
    ['say "hi"'],
  ])('keeps %s as written', async (value) => {
    const c = await importCsv(`phone,note\n${phone(1)},${value}\n`);
    expect(c.errors).toEqual([]);
    expect(c.drafts[0]!.variables).toEqual({ note: value });
  });

  it('still splits at a comma after a bare quote, so the row has too many fields (never a silent shift)', async () => {
    const c = await importCsv(`phone,name\n${phone(1)},Dwayne "The Rock, ok" Johnson\n`);
    expect(c.errors).toEqual([{ line: 2, message: 'has 3 fields, the header has 2' }]);
  });
});

describe('parser errors', () => {
  it.each([
    ['text after a closing quote', `phone,name\n${phone(1)},"Ann" x\n`, 2, 'text after the closing quote'],
    ['a quoted field with bare quotes inside', `phone,name\n${phone(1)},"Dwayne "The Rock" Johnson"\n`, 2, 'text after the closing quote'],
    ['a quote never closed', `phone,name\n${phone(1)},Ann\n\n\n${phone(2)},"Bob\n${phone(3)},Cy\n`, 5, 'never closed'],
    ['an error after quoted CRLF breaks', `phone,name\r\n${phone(1)},"a\r\nb\r\nc"\r\n${phone(2)},"Bob" x\r\n`, 5, 'text after the closing quote'],
    ['an error after quoted CR breaks', `phone,name\n${phone(1)},"a\rb"\n\n${phone(2)},"Bob" x\n`, 5, 'text after the closing quote'],
    ['a record over 1,000,000 characters', `phone,name\n${phone(1)},Ann\n${phone(2)},"${'x'.repeat(1_000_001)}"\n`, 3, 'longer than'],
  ])('%s → 422 CSV_INVALID with the line the row starts on', async (_label, text, line, reason) => {
    const error = await importError(text);
    expect(error).toMatchObject({ statusCode: 422, code: 'CSV_INVALID' });
    expect(error.message).toMatch(new RegExp(`^the file is not valid CSV at line ${line}: .*${reason}`));
    expect(error.details).toEqual([{ line, field: 'row', message: expect.stringContaining(reason) }]);
  });
});

describe('line numbers (header = line 1; a row spanning lines is reported by the line it starts on)', () => {
  it.each([
    ['LF', '\n'], ['CRLF', '\r\n'], ['CR', '\r'],
  ])('stay right after quoted %s breaks', async (_label, nl) => {
    const text = [`phone,note`, `${phone(1)},"a${nl}b${nl}c"`, `bad-1,x`, ``, `bad-2,"x${nl}y"`, `bad-3,z`].join(nl) + nl;
    const c = await importCsv(text);
    expect(c.errors.map((e) => e.line)).toEqual([5, 7, 9]);
    expect(c.drafts[0]!.variables).toEqual({ note: `a${nl}b${nl}c` });
  });

  it('reads a file whose rows end differently from its header (CRLF, then LF, then CR) row by row', async () => {
    const c = await importCsv(`phone,name\r\n${phone(1)},Ann\n${phone(2)},Bob\r${phone(3)},Cy\r\n`);
    expect(c.errors).toEqual([]);
    expect(c.drafts.map((d) => d.name)).toEqual(['Ann', 'Bob', 'Cy']);
  });

  it('match the line each row starts on, for any mix of quoted breaks, skipped lines and chunk sizes', async () => {
    const cell = fc.array(fc.constantFrom('a', ' ', ',', '"', '\n', '\r\n', '\r', 'é'), { maxLength: 6 }).map((parts) => parts.join(''));
    const blank = fc.constantFrom('', '  ', ',', ' , '); // skipped: empty, spaces, or only empty cells
    const row = fc.record({ cell, blanksBefore: fc.array(blank, { maxLength: 2 }) });
    await fc.assert(fc.asyncProperty(
      fc.array(row, { minLength: 1, maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r'), fc.integer({ min: 1, max: 40 }),
      async (rows, nl, chunk) => {
        let text = `phone,note${nl}`;
        let line = 2;
        const expected: number[] = [];
        rows.forEach((r, i) => {
          text += r.blanksBefore.map((b) => b + nl).join('');
          line += r.blanksBefore.length;
          expected.push(line);
          const quoted = `"${r.cell.replaceAll('"', '""')}"`;
          text += `bad-${i},${quoted}${nl}`;
          line += 1 + (r.cell.match(/\r\n|\r|\n/g)?.length ?? 0);
        });
        const c = await importCsv(text, chunk);
        expect(c.errors.map((e) => e.line)).toEqual(expected);
      },
    ), { numRuns: 300 });
  });
});

describe('header names', () => {
  it.each([
    'phone', 'PHONE', ' Phone ', 'phone_number', 'Phone Number', 'phone-number', 'number', 'Mobile', 'Mobile Number',
    'mobile_phone', 'Cell', 'Cell Phone', 'Telephone', 'Tel', 'TEL',
  ])('%j names the phone column', async (header) => {
    const c = await importCsv(`${header},name\n${phone(1)},Ann\n`);
    expect(c.errors).toEqual([]);
    expect(c.drafts).toEqual([{ phone: phone(1), name: 'Ann', timezone: null, variables: {} }]);
  });

  it('reads "Time Zone" and "time_zone" as the timezone column', async () => {
    const c = await importCsv(`phone,Time Zone\n${phone(1)},America/Chicago\n`);
    expect(c.drafts[0]).toMatchObject({ timezone: 'America/Chicago', variables: {} });
  });

  it('prefers phone over mobile or number; the others stay variables', async () => {
    const c = await importCsv(`number,Mobile,phone\n1,2,${phone(1)}\n`);
    expect(c.drafts[0]).toMatchObject({ phone: phone(1), variables: { number: '1', Mobile: '2' } });
  });

  it('refuses two columns that are the same name written differently', async () => {
    const error = await importError(`Phone Number,phone_number\n${phone(1)},${phone(2)}\n`);
    expect(error.message).toContain('the header names the column "Phone Number" twice ("Phone Number" and "phone_number")');
  });
});

describe('empty trailing header columns', () => {
  it('are ignored with their empty cells (a trailing comma, as spreadsheets write)', async () => {
    const c = await importCsv(`phone,name,\n${phone(1)},Ann,\n${phone(2)},Bob\n`);
    expect(c.errors).toEqual([]);
    expect(c.drafts.map((d) => [d.name, d.variables])).toEqual([['Ann', {}], ['Bob', {}]]);
  });

  it('ignore several, but a value under an unnamed column is a row error', async () => {
    const c = await importCsv(`phone,name,,\n${phone(1)},Ann,,\n${phone(2)},Bob,,x\n${phone(3)},Cy,,,\n`);
    expect(c.drafts.map((d) => d.name)).toEqual(['Ann']);
    expect(c.errors).toEqual([
      { line: 3, message: 'has a value in column 4, which has no name in the header' },
      { line: 4, message: 'has 5 fields, the header has 4' },
    ]);
  });

  it('still refuse an unnamed column between named ones', async () => {
    expect((await importError(`phone,,name\n${phone(1)},x,Ann\n`)).message).toContain('column 2 of the header has no name');
  });
});

describe('reserved column names', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('refuses a column named %s, naming it', async (name) => {
    const error = await importError(`phone,${name}\n${phone(1)},{"polluted":true}\n`);
    expect(error).toMatchObject({ statusCode: 422, code: 'CSV_INVALID' });
    expect(error.message).toContain(`the column "${name}" has a reserved name`);
  });

  it('collects variables into objects without a prototype', async () => {
    const c = await importCsv(`phone,plan,toString\n${phone(1)},gold,x\n`);
    const variables = c.drafts[0]!.variables;
    expect(Object.getPrototypeOf(variables)).toBeNull();
    expect({ ...variables }).toEqual({ plan: 'gold', toString: 'x' });
  });
});
