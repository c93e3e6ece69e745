// What each NOTIFY kind asks of the worker (DESIGN.md §7), handled directly:
// call_finished refills that campaign (or the direct calls); contacts_added
// and campaign_changed read that campaign again, and only it (a changed window
// or pacing also drops its deferral); call_queued looks at direct calls. Only
// `reload`, or a payload that cannot be read, asks for a full resync. Never throws.
import { parseNotification } from '@wakeplan/contract';
import type { Hint } from './hints.ts';

export interface NotificationHints {
  hints: Hint[];
  /** Set when the payload could not be read. */
  problem?: string;
}

export function hintsForNotification(payload: string): NotificationHints {
  const parsed = parseNotification(payload);
  if (!parsed.ok) return { hints: [{ kind: 'resync', reason: `unreadable NOTIFY: ${parsed.reason}` }], problem: parsed.reason };
  const n = parsed.value;
  const campaignId = n.campaign_id;
  switch (n.kind) {
    case 'reload':
      return { hints: [{ kind: 'resync', reason: 'reload' }] };
    case 'campaign_changed':
      return { hints: [{ kind: 'campaign', campaignId: campaignId!, reason: n.kind, changed: true }] };
    case 'contacts_added':
      return { hints: [{ kind: 'campaign', campaignId: campaignId!, reason: n.kind }] };
    case 'call_finished':
    case 'call_queued':
      return { hints: [campaignId ? { kind: 'campaign', campaignId, reason: n.kind } : { kind: 'direct', reason: n.kind }] };
  }
}
