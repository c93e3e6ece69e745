// Validation of calling windows coming from users, the API or the database.
//
// Every problem is reported at once, each message naming the camelCase field
// first and quoting the bad value, in words a user understands. A valid
// window comes back normalised: daysOfWeek sorted and deduplicated (all seven
// when absent), blackoutDates sorted and deduplicated, missing dates as null.
import { looksLikeIsoDate, parseIsoDate, parseWallTime } from './civil-date.ts';
import { describeValue } from './describe-value.ts';
import type { CallingWindow, FieldError, Validation } from './types.ts';
import { isValidTimeZone } from './zone-offsets.ts';

export type WindowField = keyof CallingWindow;
type Errors = FieldError<WindowField>[];

const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
const WEEKDAYS_HINT = 'ISO weekdays 1–7 (1 = Monday, 7 = Sunday)';

/** Checks a window and reports each problem with the field it belongs to (for APIs that rename fields). */
export function validateWindowDetailed(input: unknown): Validation<CallingWindow, FieldError<WindowField>> {
  const raw: Record<string, unknown> = isRecord(input) ? input : {};
  const errors: Errors = [];
  const timezone = checkTimezone(raw.timezone, errors);
  const firstCallTime = checkWallTime('firstCallTime', raw.firstCallTime, errors);
  const lastCallTime = checkWallTime('lastCallTime', raw.lastCallTime, errors);
  const daysOfWeek = checkDaysOfWeek(raw.daysOfWeek, errors);
  const startDate = checkOptionalDate('startDate', raw.startDate, errors);
  const endDate = checkOptionalDate('endDate', raw.endDate, errors);
  const blackoutDates = checkBlackoutDates(raw.blackoutDates, errors);
  if (startDate && endDate && startDate > endDate) {
    errors.push({
      field: 'startDate',
      message: `startDate must be on or before endDate, got startDate "${startDate}" after endDate "${endDate}"`,
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  const value: CallingWindow = {
    timezone: timezone!,
    firstCallTime: firstCallTime!,
    lastCallTime: lastCallTime!,
    daysOfWeek: daysOfWeek!,
    startDate,
    endDate,
    blackoutDates: blackoutDates!,
  };
  return { ok: true, value };
}

/** Checks a window; errors are sentences that start with the field name. */
export function validateWindow(input: unknown): Validation<CallingWindow> {
  const result = validateWindowDetailed(input);
  return result.ok ? result : { ok: false, errors: result.errors.map((e) => e.message) };
}

/** "09:00-17:00" (an overnight window reads "22:00-02:00"). */
export function windowLabel(w: CallingWindow): string {
  return `${w.firstCallTime}-${w.lastCallTime}`;
}

/** Shared with recipient hours: a strict "HH:mm" check that records an error and returns the text when valid. */
export function checkWallTime<F extends string>(field: F, value: unknown, errors: FieldError<F>[]): string | undefined {
  if (value === undefined || value === null) {
    errors.push({ field, message: `${field} is required, as HH:mm (24-hour)` });
    return undefined;
  }
  if (typeof value === 'string' && parseWallTime(value) !== null) return value;
  errors.push({ field, message: `${field} must be HH:mm (24-hour), got ${describeValue(value)}` });
  return undefined;
}

/** A plain object (not null, not an array): what a window or recipient hours must be. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkTimezone(value: unknown, errors: Errors): string | undefined {
  if (value === undefined || value === null) {
    errors.push({ field: 'timezone', message: 'timezone is required, as an IANA time zone such as "America/New_York"' });
    return undefined;
  }
  if (typeof value === 'string' && isValidTimeZone(value)) return canonicalCase(value);
  errors.push({ field: 'timezone', message: `timezone must be a valid IANA time zone, got ${describeValue(value)}` });
  return undefined;
}

/** "america/new_york" → "America/New_York"; aliases ("Asia/Calcutta") are kept as written. */
function canonicalCase(zone: string): string {
  let canonical = canonicalZones.get(zone);
  if (canonical === undefined) {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    canonical = resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
    canonicalZones.set(zone, canonical);
  }
  return canonical;
}
const canonicalZones = new Map<string, string>();

function checkDaysOfWeek(value: unknown, errors: Errors): number[] | undefined {
  if (value === undefined || value === null) return [...ALL_DAYS];
  if (!Array.isArray(value)) {
    errors.push({ field: 'daysOfWeek', message: `daysOfWeek must be a list of ${WEEKDAYS_HINT}, got ${describeValue(value)}` });
    return undefined;
  }
  if (value.length === 0) {
    errors.push({ field: 'daysOfWeek', message: 'daysOfWeek must name at least one day, got []' });
    return undefined;
  }
  const bad = value.filter((day) => !(Number.isInteger(day) && day >= 1 && day <= 7));
  for (const day of bad) {
    errors.push({ field: 'daysOfWeek', message: `daysOfWeek must contain only ${WEEKDAYS_HINT}, got ${describeValue(day)}` });
  }
  return bad.length > 0 ? undefined : [...new Set(value as number[])].sort((a, b) => a - b);
}

type DateProblem = 'shape' | 'unreal' | null;

function dateProblem(value: unknown): DateProblem {
  if (typeof value !== 'string' || !looksLikeIsoDate(value)) return 'shape';
  return parseIsoDate(value) === null ? 'unreal' : null;
}

function checkOptionalDate(field: 'startDate' | 'endDate', value: unknown, errors: Errors): string | null {
  if (value === undefined || value === null) return null;
  const problem = dateProblem(value);
  if (problem === null) return value as string;
  const expected = problem === 'shape' ? 'a date written YYYY-MM-DD' : 'a real calendar date';
  errors.push({ field, message: `${field} must be ${expected}, got ${describeValue(value)}` });
  return null;
}

function checkBlackoutDates(value: unknown, errors: Errors): string[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    const message = `blackoutDates must be a list of dates written YYYY-MM-DD, got ${describeValue(value)}`;
    errors.push({ field: 'blackoutDates', message });
    return undefined;
  }
  let valid = true;
  for (const date of value) {
    const problem = dateProblem(date);
    if (problem === null) continue;
    valid = false;
    const expected = problem === 'shape' ? 'dates written YYYY-MM-DD' : 'real calendar dates';
    errors.push({ field: 'blackoutDates', message: `blackoutDates must contain only ${expected}, got ${describeValue(date)}` });
  }
  return valid ? [...new Set(value as string[])].sort() : undefined;
}
