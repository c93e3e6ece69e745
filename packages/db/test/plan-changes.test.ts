// Plan change marks against real Postgres (migration 009, plan-changes.ts): a
// NOTIFY naming a campaign marks it in its own transaction (and a rollback
// leaves no mark); readPlanChanges finds every campaign marked that a
// watermark's snapshot could not see — including one whose transaction was
// still open when it was taken — and nothing it could.
import { describe, expect, it } from 'vitest';
import { buildNotification } from '@wakeplan/contract';
import { T0, useTestDatabase } from '../src/testing/index.ts';
import { notifySchedulerChanged } from '../src/notify.ts';
import { markPlanChanged, readPlanChanges, readPlanWatermark } from '../src/plan-changes.ts';

const db = useTestDatabase();

/** A campaign row with no mark (the fixtures mark what they insert, as the API does). */
async function unmarkedCampaign(): Promise<string> {
  const [row] = await db.current.sql<{ id: string }[]>`
    insert into campaigns (name, agent_id, timezone, first_call_time, last_call_time, created_at, updated_at)
    values ('c', 'agent-1', 'America/New_York', '09:00', '17:00', ${T0}, ${T0}) returning id`;
  return row!.id;
}

describe('plan change marks', () => {
  it('a NOTIFY naming a campaign marks it; one naming none marks nothing; a rollback marks nothing', async () => {
    const sql = db.current.sql;
    const [a, b, c] = [await unmarkedCampaign(), await unmarkedCampaign(), await unmarkedCampaign()];
    const watermark = await readPlanWatermark(sql);
    expect((await readPlanChanges(sql, watermark)).campaignIds).toEqual([]);
    await sql.begin((tx) => notifySchedulerChanged(tx, buildNotification('campaign_changed', T0, { campaignId: a })));
    await sql.begin((tx) => notifySchedulerChanged(tx, buildNotification('call_queued', T0, { callId: '00000000-0000-4000-8000-000000000001' })));
    await sql.begin(async (tx) => {
      await notifySchedulerChanged(tx, buildNotification('contacts_added', T0, { campaignId: b }));
      await tx`select 1/0`; // the write fails: neither the NOTIFY nor the mark survive
    }).catch(() => {});
    await markPlanChanged(sql, c);
    expect((await readPlanChanges(sql, watermark)).campaignIds.sort()).toEqual([a, c].sort());
  });

  it('finds nothing marked before the watermark it returned, and everything marked after', async () => {
    const sql = db.current.sql;
    const [a, b] = [await unmarkedCampaign(), await unmarkedCampaign()];
    const before = await readPlanWatermark(sql);
    await markPlanChanged(sql, a);
    expect((await readPlanChanges(sql, await readPlanWatermark(sql))).campaignIds).toEqual([]); // seen by that snapshot
    const first = await readPlanChanges(sql, before);
    expect(first.campaignIds).toEqual([a]);
    const second = await readPlanChanges(sql, first.watermark);
    expect(second.campaignIds).not.toContain(a);
    await markPlanChanged(sql, b);
    expect((await readPlanChanges(sql, second.watermark)).campaignIds).toEqual([b]);
  });

  it('a change whose transaction was open while the watermark was taken is found by the next catch-up', async () => {
    const sql = db.current.sql;
    const id = await unmarkedCampaign();
    const start = await readPlanChanges(sql, await readPlanWatermark(sql));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let marked!: () => void;
    const markedInTx = new Promise<void>((resolve) => (marked = resolve));
    const writer = sql.begin(async (tx) => {
      await markPlanChanged(tx, id); // xid assigned now, committed later
      marked();
      await held;
    });
    await markedInTx;
    const during = await readPlanChanges(sql, start.watermark); // the open change is invisible here
    expect(during.campaignIds).not.toContain(id);
    release();
    await writer;
    expect((await readPlanChanges(sql, during.watermark)).campaignIds).toEqual([id]);
  });
});
