// One contact, as sent (a CSV record or a JSON object), checked and normalised:
// phone to E.164, name trimmed, timezone a valid IANA zone in its canonical case,
// the rest variables. Pure: no I/O; every problem with the contact is reported,
// not just the first. CSV rows, JSON contacts and direct calls all go through
// this one check.
import { isValidTimeZone } from '@wakeplan/schedule-core';
import type { FieldProblem } from '../errors.ts';
import { normalizePhone } from './phone.ts';

export interface RawContact {
  phone: string;
  name?: string | null;
  timezone?: string | null;
  variables?: Record<string, unknown>;
}

export interface ContactDraft {
  phone: string;
  name: string | null;
  timezone: string | null;
  variables: Record<string, unknown>;
}

const MAX_NAME = 200;

/** Keys that are special to a JavaScript object: refused as variable names (CSV columns or JSON keys). */
export const RESERVED_VARIABLE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function checkContact(raw: RawContact, defaultCountry: string | null):
  { ok: true; value: ContactDraft } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const phone = normalizePhone(raw.phone, defaultCountry);
  if (!phone.ok) problems.push({ field: 'phone', message: phone.message });
  const name = blankToNull(raw.name);
  if (name !== null && name.length > MAX_NAME) problems.push({ field: 'name', message: `must be at most ${MAX_NAME} characters, got ${name.length}` });
  const written = blankToNull(raw.timezone);
  const timezone = written === null ? null : canonicalTimeZone(written);
  if (written !== null && timezone === null) {
    problems.push({ field: 'timezone', message: `must be a valid IANA time zone such as "America/New_York", got ${JSON.stringify(written)}` });
  }
  for (const key of Object.keys(raw.variables ?? {})) {
    if (RESERVED_VARIABLE_KEYS.has(key)) problems.push({ field: 'variables', message: `must not use the reserved name ${JSON.stringify(key)}: rename it` });
  }
  if (!phone.ok || problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { phone: phone.e164, name, timezone, variables: raw.variables ?? {} } };
}

/**
 * "america/new_york" → "America/New_York", the rule campaign zones follow
 * (schedule-core's window validation): the case Intl resolves the zone to when
 * it differs only in case; an alias ("Asia/Calcutta", "US/Eastern") is kept as
 * written. Null for a zone that is not a valid IANA name.
 */
function canonicalTimeZone(zone: string): string | null {
  let canonical = canonicalZones.get(zone);
  if (canonical === undefined) {
    if (!isValidTimeZone(zone)) return null;
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    canonical = resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
    if (canonicalZones.size >= 10_000) canonicalZones.clear();
    canonicalZones.set(zone, canonical);
  }
  return canonical;
}
const canonicalZones = new Map<string, string>();

function blankToNull(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const t = value.trim();
  return t === '' ? null : t;
}
