// CampaignPlan's whole replacement (campaign-plan.ts): rows are upserted in place
// and the plan is rebuilt only when some campaign left — whichever way, it ends
// exactly the snapshot read, and deferrals (not in the database) survive it.
import { describe, expect, it } from 'vitest';
import type { CampaignPlanRow, PlanSnapshot } from '@wakeplan/db';
import { CampaignPlan } from '../../src/campaign-plan.ts';

const NOW = new Date('2026-03-02T15:00:00Z');
const window = { timezone: 'UTC', firstCallTime: '09:00', lastCallTime: '17:00' };
const row = (id: string, inFlight = 0): CampaignPlanRow => ({
  id, window, recipientHours: null, maxConcurrentCalls: 1, callsPerMinute: null, lastDialAt: null, inFlight,
  pending: [{ timezone: null, earliestDueAt: new Date(0) }],
});
const snapshot = (campaigns: CampaignPlanRow[]): PlanSnapshot => ({
  campaigns, directEarliestDueAt: null, inFlightTotal: 0, earliestResultDeadline: null, earliestResendAt: null,
});
const ids = (plan: CampaignPlan) => plan.snapshot(NOW).campaigns.map((c) => c.id).sort();

describe('CampaignPlan.replaceAll', () => {
  it('ends exactly the snapshot: changed rows replaced, new ones added, those not read removed', () => {
    const plan = new CampaignPlan();
    plan.replaceAll(snapshot([row('a'), row('b')]), '0', NOW);
    const b2 = row('b', 1);
    plan.replaceAll(snapshot([b2, row('c')]), '0', NOW);
    expect(ids(plan)).toEqual(['b', 'c']);
    expect(plan.get('b')).toBe(b2);
    expect(plan.get('a')).toBeUndefined();
    plan.replaceAll(snapshot([row('c')]), '0', NOW);
    expect(ids(plan)).toEqual(['c']);
    plan.replaceAll(snapshot([]), '0', NOW);
    expect(plan.size).toBe(0);
  });

  it('keeps deferrals across a whole read', () => {
    const plan = new CampaignPlan();
    plan.replaceAll(snapshot([row('a')]), '0', NOW);
    const until = new Date(NOW.getTime() + 60_000);
    plan.deferCampaign('a', until);
    plan.replaceAll(snapshot([row('a')]), '0', NOW);
    expect(plan.snapshot(NOW).campaigns[0]!.pending).toEqual([{ timezone: null, earliestDueAt: until }]);
  });
});
