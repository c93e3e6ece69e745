// A results row → the API's CallResult: what happened to one contact, and when
// its next attempt may start — in UTC and in the contact's own time zone.
//
// `next_attempt_at` is the effective instant, not the stored raw one: for a
// queued contact of an active campaign, the first instant at or after
// max(raw earliest time, now) at which the campaign window (and the recipient's
// calling hours) is open — what the worker's plan will use. It is null for a
// contact that is not waiting (in flight, finished) or whose campaign is not
// active, and when the window never opens again. `not_before` keeps the raw
// retry time. The answer depends only on (zone, from), so it is memoised per
// export: 100,000 contacts in a handful of zones cost a handful of searches.
import { campaignWindow, type CampaignRow } from '@wakeplan/db';
import { nextContactCallable } from '@wakeplan/schedule-core';
import { DateTime } from 'luxon';
import type { CallResultRow } from '../repositories/call-results.ts';
import type { CallResult } from '../schemas/results.ts';

const MAX_MEMO = 10_000;

export type ResultPresenter = (row: CallResultRow) => CallResult;

export function createResultPresenter(campaign: CampaignRow, at: Date): ResultPresenter {
  const window = campaignWindow(campaign);
  const memo = new Map<string, Date | null>();
  const nextAttempt = (zone: string, raw: Date | null): Date | null => {
    const from = raw && raw > at ? raw : at;
    const key = `${zone} ${from.getTime()}`;
    if (memo.has(key)) return memo.get(key)!;
    let next: Date | null;
    try {
      next = nextContactCallable(window, campaign.recipient_calling_hours, zone, from);
    } catch {
      next = null; // an invalid zone or window is never dialed; the planner reports it
    }
    if (memo.size >= MAX_MEMO) memo.clear();
    memo.set(key, next);
    return next;
  };
  return (row) => {
    const zone = row.timezone ?? campaign.timezone;
    const next = row.status === 'queued' && campaign.status === 'active' ? nextAttempt(zone, row.next_attempt_at) : null;
    return {
      id: row.id,
      phone: row.phone,
      name: row.name,
      timezone: zone,
      status: row.status,
      attempts: row.attempt,
      last_outcome: row.last_outcome,
      not_before: row.next_attempt_at?.toISOString() ?? null,
      next_attempt_at: next?.toISOString() ?? null,
      next_attempt_local: next ? DateTime.fromJSDate(next, { zone }).toISO({ suppressMilliseconds: true }) : null,
      provider_call_id: row.provider_call_id,
      duration_seconds: row.duration_seconds,
      ended_reason: row.ended_reason,
      recording_url: row.recording_url,
      transcript: row.transcript,
      created_at: row.created_at.toISOString(),
      updated_at: row.updated_at.toISOString(),
    };
  };
}
