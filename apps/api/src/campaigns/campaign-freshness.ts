// How a campaign's representation changes with the clock alone, for the
// conditional GETs (plugins/conditional-get.ts): only `next_open_at`, which is
// the instant of the request while the window is open, and jumps when it
// closes (to the next opening) or opens (to "now"). Everything else changes
// only when something writes.
import { campaignWindow } from '@wakeplan/db';
import { windowCloseAfter } from '@wakeplan/schedule-core';
import type { Freshness } from '../plugins/conditional-get.ts';
import type { Campaign } from '../schemas/campaign.ts';

type Envelope<T> = { data: T };

function isOpen(c: Campaign, now: Date): boolean {
  return c.next_open_at !== null && Date.parse(c.next_open_at) <= now.getTime();
}

function stableCampaign(c: Campaign, now: Date): unknown {
  return isOpen(c, now) ? { ...c, next_open_at: 'open now' } : c;
}

/** When the window closes (open now) or opens (closed): the next change of `next_open_at`. */
function nextBoundary(c: Campaign, now: Date): number {
  if (!isOpen(c, now)) return c.next_open_at === null ? Infinity : Date.parse(c.next_open_at);
  return windowCloseAfter(campaignWindow(c), now)?.getTime() ?? Infinity;
}

function expiresAt(ms: number): Date | null {
  return Number.isFinite(ms) ? new Date(ms) : null;
}

export const campaignFreshness: Freshness<Envelope<Campaign>> = {
  stable: (body, now) => stableCampaign(body.data, now),
  expires: (body, now) => expiresAt(nextBoundary(body.data, now)),
};

export const campaignListFreshness: Freshness<Envelope<{ campaigns: Campaign[] }>> = {
  stable: (body, now) => ({ ...body.data, campaigns: body.data.campaigns.map((c) => stableCampaign(c, now)) }),
  expires: (body, now) => expiresAt(Math.min(...body.data.campaigns.map((c) => nextBoundary(c, now)))),
};
