// The scale benchmark's catch-up figure (issue 11): what waking from sleep costs
// when one campaign changed — the change mark left by a NOTIFY naming it, then
// the worker's two reads (packages/db plan-changes.ts readPlanChanges, then
// plan-snapshot.ts readCampaignPlans of what changed, with the totals). Wall time
// in this process (an upper bound of the database's share), median of `runs`,
// and how many campaigns each catch-up read.
//
// Invariants: each run marks one campaign (a campaign_changed NOTIFY inside a
// transaction, as the API's writes send it) and changes nothing else; its own
// pool of one connection, ended before returning.
import { buildNotification } from '@wakeplan/contract';
import { createSql, notifySchedulerChanged, readCampaignPlans, readPlanChanges, readPlanWatermark } from '@wakeplan/db';

export interface CatchUpFigures {
  wallMs: number;
  campaignsRead: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function measureCatchUp(url: string, runs = 7): Promise<CatchUpFigures> {
  const sql = createSql({ url, applicationName: 'scale-bench-catch-up', idleTimeoutS: 5, max: 1 });
  try {
    const ids = await sql<{ id: string }[]>`select id from campaigns where status = 'active' order by random() limit ${runs}`;
    const walls: number[] = [];
    let campaignsRead = 0;
    for (const { id } of ids) {
      const watermark = await readPlanWatermark(sql);
      await sql.begin((tx) => notifySchedulerChanged(tx, buildNotification('campaign_changed', new Date(), { campaignId: id })));
      const started = performance.now();
      const changes = await readPlanChanges(sql, watermark);
      await readCampaignPlans(sql, changes.campaignIds);
      walls.push(performance.now() - started);
      campaignsRead = changes.campaignIds.length;
    }
    return { wallMs: median(walls), campaignsRead };
  } finally {
    await sql.end({ timeout: 2 });
  }
}
