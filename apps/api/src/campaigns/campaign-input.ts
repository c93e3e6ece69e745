// Campaign fields from a request → the values stored, checked with
// schedule-core so the window's rules live in one place. Errors name the
// request's snake_case field and say what was wrong, all at once.
//
// Invariants: a returned window is valid and normalised by validateWindowDetailed
// (canonical zone, sorted days and dates); `timezone` falls back to
// DEFAULT_TIMEZONE only when the request has none; a patch is checked as the
// merged window, so changing one field cannot leave an invalid combination.
import { validateRecipientHoursDetailed, validateWindowDetailed, type CallingWindow, type RecipientHours } from '@wakeplan/schedule-core';
import type { CampaignRow, CampaignWindowColumns } from '@wakeplan/db';
import { validationFailed, type FieldProblem } from '../errors.ts';
import { checkDefaultCountry } from '../contacts/phone.ts';
import type { ImportCampaignFields, PatchCampaignBody } from '../schemas/campaign.ts';

export interface CampaignValues extends CampaignWindowColumns {
  name: string;
  agent_id: string;
  max_concurrent_calls: number;
  calls_per_minute: number | null;
  max_attempts: number;
  retry_delay_minutes: number;
  retry_on: string[];
  recipient_calling_hours: RecipientHours | null;
  default_country: string | null;
}

const SNAKE: Record<keyof CallingWindow, keyof CampaignWindowColumns> = {
  timezone: 'timezone', firstCallTime: 'first_call_time', lastCallTime: 'last_call_time', daysOfWeek: 'days_of_week',
  startDate: 'start_date', endDate: 'end_date', blackoutDates: 'blackout_dates',
};

export function checkNewCampaign(body: ImportCampaignFields, defaultTimezone: string | undefined): CampaignValues {
  const problems: FieldProblem[] = [];
  const window = checkWindow({
    timezone: body.timezone ?? defaultTimezone,
    firstCallTime: body.first_call_time, lastCallTime: body.last_call_time, daysOfWeek: body.days_of_week,
    startDate: body.start_date, endDate: body.end_date, blackoutDates: body.blackout_dates,
  }, problems);
  const recipientHours = checkRecipientHours(body.recipient_calling_hours ?? null, problems);
  const defaultCountry = checkDefaultCountry(body.default_country, problems);
  if (problems.length > 0 || !window) throw validationFailed(problems);
  return {
    ...window,
    name: body.name,
    agent_id: body.agent_id,
    max_concurrent_calls: body.max_concurrent_calls ?? 1,
    calls_per_minute: body.calls_per_minute ?? null,
    max_attempts: body.max_attempts ?? 3,
    retry_delay_minutes: body.retry_delay_minutes ?? 60,
    retry_on: body.retry_on ?? ['no_answer', 'busy', 'failed'],
    recipient_calling_hours: recipientHours,
    default_country: defaultCountry,
  };
}

/** The columns to change; the window is validated as it would be after the change. */
export function checkCampaignPatch(current: CampaignRow, patch: PatchCampaignBody): Partial<CampaignValues> {
  const problems: FieldProblem[] = [];
  const changes: Partial<CampaignValues> = {};
  const windowKeys = Object.values(SNAKE);
  if (windowKeys.some((k) => k in patch)) {
    const window = checkWindow({
      timezone: patch.timezone ?? current.timezone,
      firstCallTime: patch.first_call_time ?? current.first_call_time,
      lastCallTime: patch.last_call_time ?? current.last_call_time,
      daysOfWeek: patch.days_of_week ?? current.days_of_week,
      startDate: 'start_date' in patch ? patch.start_date : current.start_date,
      endDate: 'end_date' in patch ? patch.end_date : current.end_date,
      blackoutDates: patch.blackout_dates ?? current.blackout_dates,
    }, problems);
    if (window) for (const k of windowKeys) if (k in patch) Object.assign(changes, { [k]: window[k] });
  }
  if ('recipient_calling_hours' in patch) changes.recipient_calling_hours = checkRecipientHours(patch.recipient_calling_hours ?? null, problems);
  if ('default_country' in patch) changes.default_country = checkDefaultCountry(patch.default_country, problems);
  for (const k of ['name', 'agent_id', 'max_concurrent_calls', 'calls_per_minute', 'max_attempts', 'retry_delay_minutes', 'retry_on'] as const) {
    if (k in patch) Object.assign(changes, { [k]: patch[k] ?? null });
  }
  if (problems.length > 0) throw validationFailed(problems);
  return changes;
}

function checkWindow(input: Record<keyof CallingWindow, unknown>, problems: FieldProblem[]): CampaignWindowColumns | null {
  const result = validateWindowDetailed(input);
  if (!result.ok) {
    for (const e of result.errors) problems.push({ field: SNAKE[e.field], message: snakeMessage(e.field, e.message) });
    return null;
  }
  const w = result.value;
  return {
    timezone: w.timezone, first_call_time: w.firstCallTime, last_call_time: w.lastCallTime,
    days_of_week: w.daysOfWeek ?? [1, 2, 3, 4, 5, 6, 7], start_date: w.startDate ?? null, end_date: w.endDate ?? null,
    blackout_dates: w.blackoutDates ?? [],
  };
}

/** "lastCallTime must be HH:mm …" → "must be HH:mm …", other field names in snake_case. */
export function snakeMessage(field: string, message: string): string {
  const rest = message.startsWith(`${field} `) ? message.slice(field.length + 1) : message;
  return Object.entries(SNAKE).reduce((text, [camel, snake]) => text.replaceAll(camel, snake), rest);
}

function checkRecipientHours(value: RecipientHours | null, problems: FieldProblem[]): RecipientHours | null {
  if (value === null) return null;
  const result = validateRecipientHoursDetailed(value);
  if (result.ok) return result.value;
  for (const e of result.errors) problems.push({ field: `recipient_calling_hours.${e.field}`, message: snakeMessage(e.field, e.message) });
  return null;
}
