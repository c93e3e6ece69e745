// `wakeplan plan` and `wakeplan status` read the same data as the API's routes.
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@wakeplan/db/testing';
import { runPlan } from '../src/commands/plan.ts';
import { runStatus } from '../src/commands/status.ts';
import { testContext } from './helpers.ts';

const db = useTestDatabase();
const NOW = new Date('2026-03-02T12:00:00Z'); // 07:00 in New York, a Monday

describe('plan and status', () => {
  it('show the next wake at the window opening of a campaign with queued work', async () => {
    const sql = db.current.sql;
    const [c] = await sql<{ id: string }[]>`insert into campaigns (name, agent_id, timezone, first_call_time, last_call_time, created_at, updated_at)
      values ('Morning', 'a', 'America/New_York', '09:00', '17:00', ${NOW}, ${NOW}) returning id`;
    await sql`insert into calls (campaign_id, phone, created_at, updated_at) values (${c!.id}, '+12125550100', ${NOW}, ${NOW})`;

    const planCtx = testContext(() => db.current);
    const plan = await runPlan(planCtx, { days: 2, now: NOW });
    expect(plan.next_wake?.at).toBe('2026-03-02T14:00:00.000Z');
    expect(plan.campaigns[0]?.open_windows[0]).toEqual({ start: '2026-03-02T14:00:00.000Z', end: '2026-03-02T22:00:00.000Z' });
    expect(planCtx.stdout.join('\n')).toMatch(/Morning \[09:00-17:00 America\/New_York\]: 1 queued/);

    const statusCtx = testContext(() => db.current);
    const status = await runStatus(statusCtx, { json: true, now: NOW });
    expect(status.nextWakeTime).toBe('2026-03-02T14:00:00.000Z');
    expect(status.minutesUntilWake).toBe(120);
    expect(status.campaigns).toEqual([expect.objectContaining({ id: c!.id, window: '09:00-17:00', queuedCount: 1 })]);
    expect(JSON.parse(statusCtx.stdout[0]!)).toEqual(JSON.parse(JSON.stringify(status)));
  });

  it('refuses a --days outside 1..31', async () => {
    await expect(runPlan(testContext(() => db.current), { days: 40 })).rejects.toThrow(/--days must be a whole number from 1 to 31/);
  });
});
