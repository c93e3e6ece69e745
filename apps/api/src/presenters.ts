// Rows → the API's resources (snake_case, instants as ISO strings): a campaign
// with its window label, per-status contact counts and when its window next
// opens (from the caller's `at`; null when it never opens again); a call with
// its attempts and the provider events received for it.
import { campaignWindow, type CampaignRow } from '@wakeplan/db';
import { nextWindowOpen, windowLabel } from '@wakeplan/schedule-core';
import type { AttemptRecord, CallRecord, ProviderEventRecord } from './repositories/calls.ts';
import type { CampaignStats } from './repositories/campaigns.ts';
import type { Call } from './schemas/calls.ts';
import type { Campaign } from './schemas/campaign.ts';

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

export function presentCall(c: CallRecord): Call {
  return {
    id: c.id, campaign_id: c.campaign_id, phone: c.phone, name: c.name, timezone: c.timezone, agent_id: c.agent_id,
    variables: c.variables, status: c.status, attempt: c.attempt, not_before: iso(c.next_attempt_at),
    result_deadline: iso(c.result_deadline), provider_call_id: c.provider_call_id, last_outcome: c.last_outcome,
    idempotency_key: c.idempotency_key, created_at: c.created_at.toISOString(), updated_at: c.updated_at.toISOString(),
  };
}

export function presentAttempt(a: AttemptRecord) {
  return {
    attempt: a.attempt, status: a.status, worker_id: a.worker_id, provider_call_id: a.provider_call_id, claimed_at: a.claimed_at.toISOString(),
    confirmed_at: iso(a.confirmed_at), last_event_at: iso(a.last_event_at), ended_at: iso(a.ended_at),
    duration_seconds: a.duration_seconds, error: a.error,
    ended_reason: a.ended_reason, recording_url: a.recording_url, transcript: a.transcript,
  };
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

export function presentProviderEvent(e: ProviderEventRecord) {
  return {
    id: e.id, attempt: e.attempt, status: e.status, provider_call_id: e.provider_call_id, duration_seconds: e.duration_seconds,
    occurred_at: e.occurred_at.toISOString(), received_at: e.received_at.toISOString(), applied: e.applied,
  };
}
