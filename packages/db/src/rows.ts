// Row shapes of the tables in migrations/001_init.sql as postgres.js returns them
// (timestamptz → Date, date → "YYYY-MM-DD" string via the casts in the queries,
// jsonb → parsed), and the mapping from a campaign row to schedule-core's window.
import type { CallingWindow, RecipientHours } from '@wakeplan/schedule-core';

export const CAMPAIGN_STATUSES = ['active', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const CALL_STATUSES = ['queued', 'dialing', 'in_progress', 'unknown', 'completed', 'failed', 'cancelled', 'expired'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];
export const IN_FLIGHT_STATUSES = ['dialing', 'in_progress'] as const satisfies readonly CallStatus[];
export const TERMINAL_STATUSES = ['completed', 'failed', 'cancelled', 'expired'] as const satisfies readonly CallStatus[];

/** Provider outcomes (DESIGN.md §6) that end an attempt. */
export const FINAL_OUTCOMES = ['completed', 'no_answer', 'busy', 'voicemail', 'failed', 'canceled', 'refused'] as const;
export type FinalOutcome = (typeof FINAL_OUTCOMES)[number];
/** How an attempt can end: a provider outcome, or `unknown` (no result by its deadline). */
export type AttemptOutcome = FinalOutcome | 'unknown';
export const RETRYABLE_OUTCOMES = ['no_answer', 'busy', 'voicemail', 'failed', 'unknown'] as const;
export type RetryableOutcome = (typeof RETRYABLE_OUTCOMES)[number];

export interface CampaignWindowColumns {
  timezone: string;
  first_call_time: string;
  last_call_time: string;
  days_of_week: number[];
  start_date: string | null;
  end_date: string | null;
  blackout_dates: string[];
}

export interface CampaignRow extends CampaignWindowColumns {
  id: string;
  name: string;
  agent_id: string;
  status: CampaignStatus;
  max_concurrent_calls: number;
  calls_per_minute: number | null;
  max_attempts: number;
  retry_delay_minutes: number;
  retry_on: RetryableOutcome[];
  recipient_calling_hours: RecipientHours | null;
  default_country: string | null;
  last_dial_at: Date | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

/** Select list for campaigns with dates as ISO strings (postgres.js would make them Dates at host midnight). */
export const CAMPAIGN_COLUMNS = `id, name, agent_id, status, timezone, first_call_time, last_call_time,
  days_of_week::int[] as days_of_week, to_char(start_date, 'YYYY-MM-DD') as start_date,
  to_char(end_date, 'YYYY-MM-DD') as end_date,
  coalesce(array(select to_char(d, 'YYYY-MM-DD') from unnest(blackout_dates) d order by d), '{}') as blackout_dates,
  max_concurrent_calls, calls_per_minute, max_attempts, retry_delay_minutes, retry_on,
  recipient_calling_hours, default_country, last_dial_at, created_at, updated_at, completed_at`;

export function campaignWindow(row: CampaignWindowColumns): CallingWindow {
  return {
    timezone: row.timezone,
    firstCallTime: row.first_call_time,
    lastCallTime: row.last_call_time,
    daysOfWeek: row.days_of_week,
    startDate: row.start_date,
    endDate: row.end_date,
    blackoutDates: row.blackout_dates,
  };
}
