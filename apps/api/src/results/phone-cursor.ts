// Keyset cursors over phone numbers: `next_cursor` is an opaque token naming the
// last phone of a page; the next page starts strictly after it (byte order, the
// order of the C-collated indexes in migrations/003_results_dnc.sql).
//
// Invariants: a token is base64url JSON `{ "after": "<E.164>" }`; anything else
// is a 422 naming `cursor`, never a 500 or a silently restarted listing.
import { validationFailed } from '../errors.ts';

const E164 = /^\+[1-9][0-9]{6,14}$/;

export function encodePhoneCursor(phone: string): string {
  return Buffer.from(JSON.stringify({ after: phone }), 'utf8').toString('base64url');
}

/** The phone a page starts after, or null for the first page. */
export function decodePhoneCursor(cursor: string | undefined): string | null {
  if (cursor === undefined || cursor === '') return null;
  let after: unknown;
  try {
    after = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown }).after;
  } catch {
    after = undefined;
  }
  if (typeof after !== 'string' || !E164.test(after)) {
    throw validationFailed([{ field: 'cursor', message: 'is not a cursor this API gave out: pass next_cursor from the previous page unchanged' }]);
  }
  return after;
}

/** A `phone` prefix filter → "+digits" (a leading + is optional); a problem names the field. */
export function checkPhonePrefix(prefix: string | undefined): string | null {
  if (prefix === undefined || prefix === '') return null;
  const text = prefix.trim().replace(/^(?!\+)/, '+');
  if (!/^\+[0-9]{1,15}$/.test(text)) {
    throw validationFailed([{ field: 'phone', message: `must be the start of an E.164 number such as "+1415", got ${JSON.stringify(prefix)}` }]);
  }
  return text;
}
