// The in-memory plan kept current campaign by campaign (issue 11): after the
// start-up read, an outcome's NOTIFY refreshes that campaign alone (no whole
// plan read) and its next contact is dialed; a deferral holds a campaign back
// until its instant; a campaign_changed NOTIFY drops it.
import { describe, expect, it } from 'vitest';
import { callStatuses, insertCampaign, insertContacts, T0, useTestDatabase, waitFor } from '@wakeplan/db/testing';
import { CampaignPlan } from '../src/campaign-plan.ts';
import { harnessPerTest, type Harness } from './helpers/harness.ts';

const db = useTestDatabase();
const startHarness = harnessPerTest(db);
let h: Harness | null = null;

const OPEN = new Date('2026-03-02T15:00:00Z'); // 10:00 New York: the fixtures' 09:00-17:00 window is open

describe('the in-memory plan, refreshed by campaign', () => {
  it('reads the whole plan once; each outcome NOTIFY refreshes that campaign only and dials its next contact', async () => {
    const busy = await insertCampaign(db.current.sql, { max_concurrent_calls: 1 }, OPEN);
    await insertContacts(db.current.sql, busy, 3, OPEN);
    const bystander = await insertCampaign(db.current.sql, { start_date: '2026-03-10' }, OPEN);
    await insertContacts(db.current.sql, bystander, 5, OPEN);
    h = startHarness({ start: OPEN });
    h.dialer.auto = { sql: db.current.sql, afterMs: 60_000, status: 'completed' }; // no doorbell: the worker listens while calls are in flight
    h.worker.start();
    await h.settle();
    for (let i = 1; i <= 3; i++) {
      await h.stepTo(new Date(OPEN.getTime() + i * 60_000)); // the call ends: outcome + NOTIFY call_finished
      await waitFor(() => h!.worker.counters.notifications >= i, `NOTIFY ${i} heard`); // delivered in real time
      await h.settle();
    }
    expect(h.dialer.dials.map((d) => d.at.toISOString())).toEqual([
      '2026-03-02T15:00:00.000Z', '2026-03-02T15:01:00.000Z', '2026-03-02T15:02:00.000Z',
    ]);
    expect(await callStatuses(db.current.sql, busy)).toEqual({ completed: 3 });
    expect(h.worker.counters.planReads).toBe(1);
    expect(h.worker.counters.campaignRefreshes).toBeGreaterThanOrEqual(3);
    expect(h.worker.nextWake?.at).toEqual(new Date('2026-03-10T13:00:00Z')); // the bystander, still known without a read
  });
});

describe('CampaignPlan', () => {
  const window = { timezone: 'UTC', firstCallTime: '00:00', lastCallTime: '00:00' };
  const row = (id: string, due: Date) => ({
    id, window, recipientHours: null, maxConcurrentCalls: 1, callsPerMinute: null, lastDialAt: null, inFlight: 0,
    pending: [{ timezone: null, earliestDueAt: due }],
  });
  const totals = { directEarliestDueAt: null, inFlightTotal: 0, earliestResultDeadline: null, earliestResendAt: null, earliestDeliveryAt: null };

  it('replaces refreshed campaigns, drops those the refresh did not return, keeps the others', () => {
    const plan = new CampaignPlan();
    expect(plan.loaded).toBe(false);
    plan.replaceAll({ ...totals, campaigns: [row('a', T0), row('b', T0), row('c', T0)] }, '1', T0);
    const later = new Date(T0.getTime() + 60_000);
    plan.refresh(['a', 'b'], { ...totals, inFlightTotal: 2, campaigns: [row('a', later)] });
    const snap = plan.snapshot(T0);
    expect(snap.campaigns.map((c) => [c.id, c.pending[0]!.earliestDueAt])).toEqual([['c', T0], ['a', later]]);
    expect(snap.inFlightTotal).toBe(2);
  });

  it('defers a campaign until its instant, through refreshes, and forgets the deferral once passed or cleared', () => {
    const plan = new CampaignPlan();
    plan.replaceAll({ ...totals, campaigns: [row('a', T0)] }, '1', T0);
    const until = new Date(T0.getTime() + 30_000);
    plan.deferCampaign('a', until);
    plan.refresh(['a'], { ...totals, campaigns: [row('a', T0)] });
    expect(plan.snapshot(T0).campaigns[0]!.pending[0]!.earliestDueAt).toEqual(until);
    expect(plan.snapshot(until).campaigns[0]!.pending[0]!.earliestDueAt).toEqual(T0);
    plan.deferCampaign('a', new Date(until.getTime() + 60_000));
    plan.deferCampaign('a', until); // the latest refusal wins
    expect(plan.snapshot(T0).campaigns[0]!.pending[0]!.earliestDueAt).toEqual(until);
    plan.clearDeferral('a');
    expect(plan.snapshot(T0).campaigns[0]!.pending[0]!.earliestDueAt).toEqual(T0);
    plan.deferCampaign('a', until);
    plan.clearDeferrals(); // a full resync
    expect(plan.snapshot(T0).campaigns[0]!.pending[0]!.earliestDueAt).toEqual(T0);
  });
});
