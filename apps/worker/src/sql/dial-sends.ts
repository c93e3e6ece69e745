// One dial_sends row per request that leaves (migration 006, DESIGN.md §6):
// who sent it, when, and what was in force then — the campaign's status, its
// window, the recipient's hours and zone — so the audit reads recorded facts.
// A fresh claim writes its rows in its claim statement (claim-batch.ts, the
// same columns computed in SQL); a re-send writes one with dialSendRow.
//
// Invariant: a direct call (no campaign) records no status, window, hours or
// zone; a campaign contact's zone is its own, else the campaign's.
import type { TransactionSql } from '@wakeplan/db';
import type { CallingWindow, RecipientHours } from '@wakeplan/schedule-core';

/** What was in force when the requests left (recorded in dial_sends for the audit). */
export interface InForce {
  campaignStatus: string | null;
  window: CallingWindow | null;
  recipientHours: RecipientHours | null;
  campaignZone: string | null;
}

export const NO_CAMPAIGN: InForce = { campaignStatus: null, window: null, recipientHours: null, campaignZone: null };

/** One dial_sends row: the request that left at `at`, and what was in force then. */
export function dialSendRow(
  tx: TransactionSql,
  call: { id: string; attempt: number; campaign_id: string | null; timezone: string | null },
  sendNo: number, at: Date, workerId: string, inForce: InForce,
) {
  return {
    call_id: call.id, attempt: call.attempt, send_no: sendNo, sent_at: at, worker_id: workerId, campaign_id: call.campaign_id,
    campaign_status: inForce.campaignStatus,
    window_in_force: inForce.window === null ? null : tx.json(inForce.window as never),
    recipient_hours: inForce.recipientHours === null ? null : tx.json(inForce.recipientHours as never),
    recipient_zone: call.campaign_id === null ? null : call.timezone ?? inForce.campaignZone,
  };
}
