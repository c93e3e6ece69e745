// Campaign rows → the API's campaign resource: instants as ISO strings, the
// window label, per-status contact counts, and when the window next opens
// (from the caller's `at`; null when it never opens again).
import { windowLabel, nextWindowOpen } from '@wakeplan/schedule-core';
import { campaignWindow, type CampaignRow } from '@wakeplan/db';
import type { Campaign } from '../schemas/campaign.ts';
import type { CampaignStats } from '../repositories/campaigns.ts';

export function presentCampaign(row: CampaignRow, stats: CampaignStats, at: Date): Campaign {
  const window = campaignWindow(row);
  return {
    id: row.id,
    name: row.name,
    agent_id: row.agent_id,
    status: row.status,
    timezone: row.timezone,
    first_call_time: row.first_call_time,
    last_call_time: row.last_call_time,
    window: windowLabel(window),
    days_of_week: row.days_of_week,
    start_date: row.start_date,
    end_date: row.end_date,
    blackout_dates: row.blackout_dates,
    max_concurrent_calls: row.max_concurrent_calls,
    calls_per_minute: row.calls_per_minute,
    max_attempts: row.max_attempts,
    retry_delay_minutes: row.retry_delay_minutes,
    retry_on: row.retry_on,
    recipient_calling_hours: row.recipient_calling_hours,
    default_country: row.default_country,
    stats,
    next_open_at: nextWindowOpen(window, at)?.toISOString() ?? null,
    last_dial_at: iso(row.last_dial_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    completed_at: iso(row.completed_at),
  };
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}
