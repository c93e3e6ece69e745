// `wakeplan plan` and `wakeplan status` read the same data as the API's routes.
import { describe, expect, it } from 'vitest';
import { insertCampaign, insertContacts, T0, useTestDatabase } from '@wakeplan/db/testing';
import { runPlan } from '../src/commands/plan.ts';
import { runStatus } from '../src/commands/status.ts';
import { testContext } from './helpers.ts';

const db = useTestDatabase();
const NOW = T0; // 07:00 in New York, a Monday

describe('plan and status', () => {
  it('show the next wake at the window opening of a campaign with queued work', async () => {
    const sql = db.current.sql;
    const id = await insertCampaign(sql, { name: 'Morning' }, NOW);
    await insertContacts(sql, id, 1, NOW);

    const planCtx = testContext(() => db.current);
    const plan = await runPlan(planCtx, { days: 2, now: NOW });
    expect(plan.next_wake?.at).toBe('2026-03-02T14:00:00.000Z');
    expect(plan.campaigns[0]?.open_windows[0]).toEqual({ start: '2026-03-02T14:00:00.000Z', end: '2026-03-02T22:00:00.000Z' });
    expect(planCtx.stdout.join('\n')).toMatch(/Morning \[09:00-17:00 America\/New_York\]: 1 queued/);

    const statusCtx = testContext(() => db.current);
    const status = await runStatus(statusCtx, { json: true, now: NOW });
    expect(status.nextWakeTime).toBe('2026-03-02T14:00:00.000Z');
    expect(status.minutesUntilWake).toBe(120);
    expect(status.campaigns).toEqual([expect.objectContaining({ id, window: '09:00-17:00', queuedCount: 1 })]);
    expect(JSON.parse(statusCtx.stdout[0]!)).toEqual(JSON.parse(JSON.stringify(status)));
  });

  it('refuses a --days outside 1..31', async () => {
    await expect(runPlan(testContext(() => db.current), { days: 40 })).rejects.toThrow(/--days must be a whole number from 1 to 31/);
  });
});
