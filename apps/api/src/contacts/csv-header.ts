// The header line of a contacts CSV: which column holds the phone, the name and
// the time zone; every other named column becomes a variable, keyed by its name
// as written (trimmed).
//
// Rules (DESIGN.md §5, README "CSV contacts"): names are compared ignoring case,
// spaces, "_", "-" and "." — so "Phone Number", "phone_number" and "PHONE-NUMBER"
// are one name, and two columns with one name are refused. The phone column is the
// first of PHONE_HEADERS present (`phone` wins over `mobile`, `mobile` over
// `number`); the others stay variables. Empty names at the end of the header (a
// trailing comma, as spreadsheets write it) are ignored, their cells must then be
// empty; an empty name before a named column is an error. Names that are special
// to a JavaScript object are refused, since variables are keyed by column name.
import { ApiError, type Problem } from '../errors.ts';
import { RESERVED_VARIABLE_KEYS } from './contact-check.ts';

/** Normalised names of the phone column, in order of preference. */
const PHONE_HEADERS = [
  'phone', 'phonenumber', 'mobile', 'mobilenumber', 'mobilephone', 'cell', 'cellphone', 'cellnumber',
  'telephone', 'telephonenumber', 'tel', 'number',
];

export interface HeaderMap {
  /** Named columns; a row has at least this many fields. */
  width: number;
  /** Named columns plus the unnamed ones after them; a row has at most this many fields. */
  maxWidth: number;
  phone: number;
  name: number | null;
  timezone: number | null;
  variables: { index: number; key: string }[];
}

export function readHeader(cells: string[]): HeaderMap {
  const names = cells.map((c) => c.trim());
  const maxWidth = names.length;
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  if (names.length === 1) {
    const delimiter = [';', '\t', '|'].find((d) => names[0]!.includes(d));
    if (delimiter) {
      throw csvInvalid(`the header ${JSON.stringify(names[0])} is a single column: the file seems to separate columns with ${JSON.stringify(delimiter)}; use commas`);
    }
  }
  const empty = names.findIndex((n) => n === '');
  if (empty !== -1) throw csvInvalid(`column ${empty + 1} of the header has no name: every column needs one`);
  const reserved = names.find((n) => RESERVED_VARIABLE_KEYS.has(n));
  if (reserved !== undefined) throw csvInvalid(`the column ${JSON.stringify(reserved)} has a reserved name: rename it`);
  const keys = names.map(normalizeName);
  const dup = keys.findIndex((k, i) => keys.indexOf(k) !== i);
  if (dup !== -1) {
    const first = names[keys.indexOf(keys[dup]!)]!;
    const again = names[dup]!;
    const shown = first === again ? '' : ` (${JSON.stringify(first)} and ${JSON.stringify(again)})`;
    throw csvInvalid(`the header names the column ${JSON.stringify(first)} twice${shown}`);
  }
  const phoneKey = PHONE_HEADERS.find((h) => keys.includes(h));
  if (phoneKey === undefined) throw csvInvalid(missingPhoneMessage(names));
  const phone = keys.indexOf(phoneKey);
  const name = keys.indexOf('name');
  const timezone = keys.indexOf('timezone');
  const roles = new Set([phone, name, timezone]);
  return {
    width: names.length,
    maxWidth,
    phone,
    name: name === -1 ? null : name,
    timezone: timezone === -1 ? null : timezone,
    variables: names.flatMap((key, index) => (roles.has(index) ? [] : [{ index, key }])),
  };
}

/** "Phone Number", "phone_number", "PHONE-NUMBER" → "phonenumber". */
function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[\s_.-]+/g, '');
}

function missingPhoneMessage(names: string[]): string {
  const shown = names.slice(0, 10).map((n) => JSON.stringify(n)).join(', ');
  const looksLikeData = names.some((n) => /^\+?[\d\s().-]{7,}$/.test(n));
  return looksLikeData
    ? `the first line looks like data, not a header (${shown}): add a header line naming the columns, with one called phone`
    : `no phone column in the header (found ${shown}): name it phone, phone_number, mobile, cell, telephone, tel or number`;
}

export function csvInvalid(message: string, details: Problem[] = []): ApiError {
  return new ApiError(422, 'CSV_INVALID', message, details);
}
