// Recipient calling hours: a contact may be dialled only while the campaign
// window is open AND the contact's local time is inside the hours (e.g. the US
// federal 08:00–21:00). Hours are half-open "HH:mm" in the contact's zone
// (the campaign's when the contact has none), apply on every date, cross
// midnight when end ≤ start, and cover the whole day when end = start.
import { isCallableAt, nextCallableAt, type CallableRule } from './callable-search.ts';
import { compileHours, type CompiledWindow } from './compiled-window.ts';
import { toDate, toMs } from './instant.ts';
import type { CallingWindow, FieldError, RecipientHours, Validation } from './types.ts';
import { compileWindow } from './window-cache.ts';
import { checkWallTime, isRecord } from './window-validation.ts';
import { isValidTimeZone } from './zone-offsets.ts';

export type RecipientHoursField = keyof RecipientHours;

export function validateRecipientHoursDetailed(
  input: unknown,
): Validation<RecipientHours, FieldError<RecipientHoursField>> {
  const raw: Record<string, unknown> = isRecord(input) ? input : {};
  const errors: FieldError<RecipientHoursField>[] = [];
  const start = checkWallTime('start', raw.start, errors);
  const end = checkWallTime('end', raw.end, errors);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { start: start!, end: end! } };
}

/** Checks recipient hours; errors are sentences that start with the field name. */
export function validateRecipientHours(input: unknown): Validation<RecipientHours> {
  const result = validateRecipientHoursDetailed(input);
  return result.ok ? result : { ok: false, errors: result.errors.map((e) => e.message) };
}

/** Whether hours restrict anything: absent hours, or start = end (all day), do not. */
export function restrictsHours(hours: RecipientHours | null | undefined): hours is RecipientHours {
  return !!hours && hours.start !== hours.end;
}

/** Compiles window ∩ hours; throws a RangeError for invalid hours or an unknown contact zone. */
export function compileCallableRule(
  w: CallingWindow,
  hours: RecipientHours | null | undefined,
  contactZone: string | null | undefined,
  window: CompiledWindow = compileWindow(w),
): CallableRule {
  if (!restrictsHours(hours)) return { window, hours: null };
  const checked = validateRecipientHours(hours);
  if (!checked.ok) throw new RangeError(`invalid recipient hours: ${checked.errors.join('; ')}`);
  const zone = contactZone || w.timezone;
  if (!isValidTimeZone(zone)) throw new RangeError(`contact timezone must be a valid IANA time zone, got "${zone}"`);
  return { window, hours: compileHours(hours, zone) };
}

/** Whether the contact may be dialled at `at`: window open and, when hours apply, the contact's local time inside them. */
export function isContactCallable(
  w: CallingWindow,
  hours: RecipientHours | null | undefined,
  contactZone: string | null | undefined,
  at: Date,
): boolean {
  return isCallableAt(compileCallableRule(w, hours, contactZone), toMs(at, 'at'));
}

/**
 * `from` when callable, else the next instant the contact becomes callable;
 * null when never (nothing within OVERLAP_HORIZON_MS after the window next opens).
 */
export function nextContactCallable(
  w: CallingWindow,
  hours: RecipientHours | null | undefined,
  contactZone: string | null | undefined,
  from: Date,
): Date | null {
  return toDate(nextCallableAt(compileCallableRule(w, hours, contactZone), toMs(from, 'from')));
}
