// Phone numbers to E.164 with libphonenumber-js. A number written with "+" and
// a country code needs nothing else; a national number needs a default country
// (from the request, else the campaign), checked here as the request sends it.
//
// Validity uses the library's `max` metadata: the default (`min`) only checks a
// number's length and first digits, and passes numbers no operator has assigned
// (about a third of random "valid-looking" ones); `max` checks the full number
// patterns, for ~75 KB more metadata and no measurable cost per number.
//
// Invariants: a success is a valid number for its country, without an extension
// (no dialer can dial one: "x101" is refused, never dropped, so two numbers that
// differ only by extension are never merged as duplicates), and matches the
// schema's check `^\+[1-9][0-9]{6,14}$`; a failure says why, in words, quoting
// what was sent.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { FieldProblem } from '../errors.ts';

export type PhoneResult = { ok: true; e164: string } | { ok: false; message: string };

export function normalizePhone(raw: string, defaultCountry: string | null): PhoneResult {
  // "00" + country code is the international prefix almost everywhere, and never a national number.
  const text = raw.trim().replace(/^00(?=[1-9])/, '+');
  if (text === '') return { ok: false, message: 'is required' };
  const shown = raw.trim();
  const quoted = JSON.stringify(shown.length > 40 ? `${shown.slice(0, 39)}…` : shown);
  if (!looksLikePhone(text)) return { ok: false, message: `${quoted} is not a phone number` };
  const international = text.startsWith('+');
  if (!international && !defaultCountry) {
    return { ok: false, message: `${quoted} has no country code: write it as +<country code><number> or set default_country` };
  }
  const parsed = parsePhoneNumberFromString(text, (defaultCountry ?? undefined) as CountryCode | undefined);
  if (!parsed) return { ok: false, message: `${quoted} is not a phone number` };
  if (parsed.ext) {
    return { ok: false, message: `${quoted} has an extension (${parsed.ext}), which a dialer cannot dial: give the number without it (an extra column can keep the extension as a variable)` };
  }
  if (!parsed.isValid()) return { ok: false, message: `${quoted} is not a valid phone number${parsed.country ? ` for ${parsed.country}` : ''}` };
  return { ok: true, e164: parsed.number };
}

/** Digits, spaces, + ( ) . - / and an extension ("x101", "ext. 101", "#101", ";ext=101"): anything else is not a phone number at all. */
function looksLikePhone(text: string): boolean {
  const digits = text.replace(/\D/g, '').length;
  return digits >= 3 && /^[+\d\s().\-/]+(?:\s*(?:ext\.?|extension|x|#|;\s*ext=)\s*\d+)?$/i.test(text);
}

/** A request's `default_country` → "GB" for "gb" when libphonenumber knows it; otherwise a problem with the field. */
export function checkDefaultCountry(value: string | null | undefined, problems: FieldProblem[]): string | null {
  if (value === null || value === undefined) return null;
  const upper = value.trim().toUpperCase();
  if (isSupportedCountry(upper)) return upper;
  problems.push({ field: 'default_country', message: `must be a country code such as "US" or "GB", got ${JSON.stringify(value)}` });
  return null;
}
