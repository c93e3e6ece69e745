// Numbers for the do-not-call list, as requests send them → E.164, the form
// the list stores and compares (a national number needs default_country).
// Pure: every bad number is reported at once, by its index, and nothing is
// listed when any is bad.
import { validationFailed, type FieldProblem } from '../errors.ts';
import { checkDefaultCountry, normalizePhone } from '../contacts/phone.ts';
import type { NewListing } from '../repositories/do-not-call.ts';

export function checkListings(phones: string[], reason: string | null, defaultCountry: string | undefined): NewListing[] {
  const problems: FieldProblem[] = [];
  const country = checkDefaultCountry(defaultCountry, problems);
  const seen = new Set<string>();
  const listings: NewListing[] = [];
  phones.forEach((raw, i) => {
    const phone = normalizePhone(raw, country);
    if (!phone.ok) return void problems.push({ field: `phones[${i}]`, message: phone.message });
    if (seen.has(phone.e164)) return;
    seen.add(phone.e164);
    listings.push({ phone: phone.e164, reason });
  });
  if (problems.length > 0) throw validationFailed(problems);
  return listings;
}

/** The number named in a path (`+14155550123`, or its digits alone) → E.164; a 422 naming `phone` otherwise. */
export function checkListedPhone(raw: string): string {
  const text = /^\d+$/.test(raw.trim()) ? `+${raw.trim()}` : raw;
  const phone = normalizePhone(text, null);
  if (!phone.ok) throw validationFailed([{ field: 'phone', message: phone.message }]);
  return phone.e164;
}
