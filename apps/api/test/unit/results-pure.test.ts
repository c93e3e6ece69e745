// The pure parts of results and the do-not-call list: CSV cells neutralised as
// OWASP advises (a table, and a property: whatever the value, a parsed cell never
// starts with a formula character unless it is the quote-prefixed original), the
// keyset cursor round trip and its refusals, phone prefixes, export file names.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.ts';
import { csvRow } from '../../src/results/csv-cells.ts';
import { checkPhonePrefix, decodePhoneCursor, encodePhoneCursor } from '../../src/results/phone-cursor.ts';
import { exportFilename } from '../../src/results/results-csv.ts';

const cellOf = (value: string | number | null) => (parse(csvRow([value])) as string[][])[0]![0];

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['+14155550123', "'+14155550123"],
    [-5, "'-5"],
    ['plain, with "quotes"\nand a line break', 'plain, with "quotes"\nand a line break'],
    ['a=b', 'a=b'],
    [42, '42'],
    [null, ''],
  ])('%j → %j', (value, expected) => {
    expect(cellOf(value)).toBe(expected);
  });

  it('never lets a formula character start a cell, and loses nothing else', () => {
    fc.assert(fc.property(fc.string(), (value) => {
      const cell = cellOf(value);
      expect(cell).toBe(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
    }));
  });
});

describe('phone cursors and prefixes', () => {
  it('round-trips a phone and starts from the top without one', () => {
    expect(decodePhoneCursor(encodePhoneCursor('+14155550123'))).toBe('+14155550123');
    expect(decodePhoneCursor(undefined)).toBeNull();
  });

  it.each(['nope', Buffer.from('{"after":"14155550123"}').toString('base64url'), Buffer.from('[1]').toString('base64url')])(
    'refuses %s as a cursor, naming the field', (cursor) => {
      expect(() => decodePhoneCursor(cursor)).toThrow(ApiError);
      try {
        decodePhoneCursor(cursor);
      } catch (error) {
        expect((error as ApiError).details[0]!.field).toBe('cursor');
      }
    });

  it.each([['+1415', '+1415'], ['44', '+44'], [' +1 ', '+1'], ['', null]])('reads the prefix %j as %j', (raw, expected) => {
    expect(checkPhonePrefix(raw)).toBe(expected);
  });

  it.each(['+', 'abc', '+1%', '+1_', '+1234567890123456'])('refuses the prefix %j', (raw) => {
    expect(() => checkPhonePrefix(raw)).toThrow(ApiError);
  });
});

describe('export file names', () => {
  it.each([
    ['Spring outreach: ünïcode', 'campaign-spring-outreach-unicode-calls.csv'],
    ['"; rm -rf /', 'campaign-rm-rf-calls.csv'],
    ['日本語', 'campaign-export-calls.csv'],
  ])('%j → %j', (name, file) => {
    expect(exportFilename(name)).toBe(file);
  });
});
