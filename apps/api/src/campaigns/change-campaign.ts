// Changing an existing campaign (PATCH, pause, resume, cancel) as one
// plan-changing write: its row is locked for the transaction (404 when there is
// none), the change runs under that lock, and `campaign_changed` is sent only
// when the change produced a new row. The answer is the campaign resource with
// its contact counts, read after the commit.
import type { CampaignRow, TransactionSql } from '@wakeplan/db';
import type { RouteDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { campaignStats, lockCampaign } from '../repositories/campaigns.ts';
import type { Campaign } from '../schemas/campaign.ts';
import { presentCampaign } from '../presenters.ts';

/** Returns the updated row, or null when the campaign already is as asked (nothing sent, nobody woken). */
export type CampaignChange = (tx: TransactionSql, current: CampaignRow) => Promise<CampaignRow | null>;

export async function changeCampaign(deps: RouteDeps, id: string, at: Date, change: CampaignChange, requestId?: string): Promise<Campaign> {
  const row = await deps.planWriter.write('campaign_changed', at, async (tx) => {
    const current = await lockCampaign(tx, id);
    if (!current) throw notFound('campaign', id);
    const updated = await change(tx, current);
    return updated ? { result: updated, notify: { campaignId: id } } : { result: current, notify: null };
  }, requestId);
  const stats = await campaignStats(deps.sql, [id]);
  return presentCampaign(row, stats.get(id)!, at);
}
