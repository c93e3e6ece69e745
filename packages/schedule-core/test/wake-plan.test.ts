// The wake plan: what is due now and when to wake next, by table and against a
// naive plan built from nextContactCallable one group at a time.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  computeWakePlan,
  nextCampaignDue,
  nextContactCallable,
  type CallingWindow,
  type PlanCampaign,
  type PlanInput,
  type WakeDecision,
  type WakeReason,
} from '../src/index.ts';
import { ZONES, arbHours, arbWindowCase } from './arbitraries.ts';

const at = (text: string) => new Date(text);
const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
// 2026-01-05 is a Monday; New York is UTC-5: the window below is 14:00Z-22:00Z.
const nineToFive: CallingWindow = { timezone: 'America/New_York', firstCallTime: '09:00', lastCallTime: '17:00' };
const now = at('2026-01-05T15:00:00Z');
const plan = (campaigns: PlanCampaign[], extra: Partial<PlanInput> = {}) =>
  computeWakePlan({ campaigns, directCallsDueAt: [], resultDeadlines: [], ...extra }, now);
const campaign = (id: string, dueAt: string[], window = nineToFive): PlanCampaign => ({
  id,
  window,
  pending: dueAt.map((d) => ({ earliestDueAt: at(d) })),
});

describe('computeWakePlan (table)', () => {
  test('nothing at all: nothing ever', () => {
    expect(plan([])).toEqual({
      dueNowCampaignIds: [],
      directCallsDueNow: false,
      deadlinePassed: false,
      resendDue: false,
      nextWake: null,
      skippedCampaigns: [],
    });
  });

  test('work due in an open window is due now; a later retry in the same window is retry_due', () => {
    const result = plan([campaign('a', ['2026-01-05T10:00:00Z']), campaign('b', ['2026-01-05T15:10:00Z'])]);
    expect(result.dueNowCampaignIds).toEqual(['a']);
    expect(result.nextWake).toEqual({ at: at('2026-01-05T15:10:00Z'), reason: 'retry_due', campaignId: 'b' });
  });

  test('work waiting for a window is campaign_window, even when its retry falls in the closed hours', () => {
    const evening: CallingWindow = { ...nineToFive, firstCallTime: '18:00', lastCallTime: '20:00' };
    const result = plan([campaign('late', ['2026-01-05T12:00:00Z'], evening), campaign('retry', ['2026-01-05T22:30:00Z'])]);
    expect(result.dueNowCampaignIds).toEqual([]);
    expect(result.nextWake).toEqual({ at: at('2026-01-05T23:00:00Z'), reason: 'campaign_window', campaignId: 'late' });
    expect(iso(nextCampaignDue(campaign('retry', ['2026-01-05T22:30:00Z']), now))).toBe('2026-01-06T14:00:00.000Z');
  });

  test('direct calls and deadlines: due now at or before now, else candidates; ties go to deadlines', () => {
    const result = plan([campaign('b', ['2026-01-05T15:30:00Z'])], {
      directCallsDueAt: [at('2026-01-05T15:00:00Z'), at('2026-01-05T15:30:00Z')],
      resultDeadlines: [at('2026-01-05T15:30:00Z'), at('2026-01-05T14:00:00Z')],
    });
    expect(result.directCallsDueNow).toBe(true);
    expect(result.deadlinePassed).toBe(true);
    expect(result.nextWake).toEqual({ at: at('2026-01-05T15:30:00Z'), reason: 'result_deadline' });
  });

  test('the next wake is strictly after now', () => {
    const result = plan([], { directCallsDueAt: [now], resultDeadlines: [now] });
    expect(result.nextWake).toBeNull();
    expect(result.directCallsDueNow && result.deadlinePassed).toBe(true);
  });

  test('recipient hours per contact zone: the Los Angeles group waits for 08:00 Pacific', () => {
    const c: PlanCampaign = {
      id: 'us',
      window: { ...nineToFive, lastCallTime: '21:00' },
      recipientHours: { start: '08:00', end: '21:00' },
      pending: [
        { earliestDueAt: at('2026-01-05T10:00:00Z'), timezone: 'America/Los_Angeles' },
        { earliestDueAt: at('2026-01-05T10:00:00Z'), timezone: 'Asia/Tokyo' },
      ],
    };
    const result = computeWakePlan({ campaigns: [c], directCallsDueAt: [], resultDeadlines: [] }, at('2026-01-05T14:30:00Z'));
    expect(result.dueNowCampaignIds).toEqual([]);
    expect(result.nextWake).toEqual({ at: at('2026-01-05T16:00:00Z'), reason: 'campaign_window', campaignId: 'us' });
  });

  test('a campaign with an invalid window is skipped and reported; the rest is planned', () => {
    const broken = campaign('broken', ['2026-01-05T10:00:00Z'], { ...nineToFive, timezone: 'Mars/Base' });
    const result = plan([broken, campaign('ok', ['2026-01-05T10:00:00Z'])]);
    expect(result.dueNowCampaignIds).toEqual(['ok']);
    expect(result.skippedCampaigns).toEqual([
      { campaignId: 'broken', error: 'invalid calling window: timezone must be a valid IANA time zone, got "Mars/Base"' },
    ]);
  });

  test('a retry weeks ahead (beyond the cached span) is still exact', () => {
    const result = plan([campaign('far', ['2026-01-26T15:00:00.001Z']), campaign('farther', ['2026-02-02T23:00:00Z'])]);
    expect(result.nextWake).toEqual({ at: at('2026-01-26T15:00:00.001Z'), reason: 'retry_due', campaignId: 'far' });
  });

  test('plans a while later reuse kept timelines and still match group-by-group answers', () => {
    // New York 09:00-17:00 is 14:00Z-22:00Z; 08:00-21:00 is 16:00Z-05:00Z in Los Angeles,
    // 02:30Z-15:30Z in Kolkata and 23:00Z-12:00Z in Tokyo (never inside the window).
    const us: PlanCampaign = {
      id: 'us',
      window: { ...nineToFive, blackoutDates: ['2026-01-06'] },
      recipientHours: { start: '08:00', end: '21:00' },
      pending: ['America/Los_Angeles', 'Asia/Tokyo', 'Asia/Kolkata'].map((timezone) => ({
        earliestDueAt: at('2026-01-05T10:00:00Z'),
        timezone,
      })),
    };
    const instants = ['2026-01-05T15:00:00Z', '2026-01-05T17:00:00Z', '2026-01-06T00:30:00Z', '2026-01-06T16:00:00Z'];
    const expected = [
      { dueNow: ['us'], next: '2026-01-05T16:00:00.000Z' },
      { dueNow: ['us'], next: '2026-01-07T14:00:00.000Z' }, // Tuesday the 6th is blacked out
      { dueNow: [], next: '2026-01-07T14:00:00.000Z' },
      { dueNow: [], next: '2026-01-07T14:00:00.000Z' },
    ];
    instants.forEach((instant, i) => {
      const result = computeWakePlan({ campaigns: [us], directCallsDueAt: [], resultDeadlines: [] }, at(instant));
      expect({ dueNow: result.dueNowCampaignIds, next: iso(result.nextWake?.at) }).toEqual(expected[i]);
    });
  });

  test('a kept timeline does not call through the repeated hour that belongs to a blocked date', () => {
    // A 24-hour window from 01:30 starting on the fall-back Sunday 2026-11-01 in Detroit (New
    // York's rules, 02:00 EDT -> 01:00 EST at 06:00Z; a zone no other test plans in, so the kept
    // timeline is this test's own): open from 01:30 EDT (05:30Z), closed for the repeated
    // 01:00-01:30 (it belongs to the Saturday, before startDate), open again from 06:30 EST.
    const c: PlanCampaign = {
      id: 'fallback',
      window: { timezone: 'America/Detroit', firstCallTime: '01:30', lastCallTime: '01:30', startDate: '2026-11-01' },
      recipientHours: null,
      pending: [{ earliestDueAt: at('2026-11-01T04:00:00Z') }],
    };
    const withHours: PlanCampaign = { ...c, id: 'with-hours', recipientHours: { start: '01:00', end: '23:00' } };
    const planAt = (instant: string) => {
      const result = computeWakePlan({ campaigns: [c, withHours], directCallsDueAt: [], resultDeadlines: [] }, at(instant));
      return { dueNow: result.dueNowCampaignIds, next: iso(result.nextWake?.at) };
    };
    expect(planAt('2026-11-01T05:00:00Z')).toEqual({ dueNow: [], next: '2026-11-01T05:30:00.000Z' });
    expect(planAt('2026-11-01T05:45:00Z')).toEqual({ dueNow: ['fallback', 'with-hours'], next: null });
    expect(planAt('2026-11-01T06:10:00Z')).toEqual({ dueNow: [], next: '2026-11-01T06:30:00.000Z' });
    expect(planAt('2026-11-01T06:30:00Z')).toEqual({ dueNow: ['fallback', 'with-hours'], next: null });
  });

  test('nextCampaignDue: the earliest group, or null with nothing pending', () => {
    const c = campaign('c', ['2026-01-07T20:00:00Z', '2026-01-06T23:00:00Z']);
    expect(iso(nextCampaignDue(c, now))).toBe('2026-01-07T14:00:00.000Z');
    expect(nextCampaignDue(campaign('none', []), now)).toBeNull();
  });
});

const DAY = 86_400_000;
const arbInstantOffsets = fc.array(fc.integer({ min: -DAY, max: DAY }), { maxLength: 2 });

/** Campaigns drawing windows and hours from small pools, so many share a timeline. */
const arbPlanCase = fc
  .record({
    windows: fc.array(arbWindowCase, { minLength: 1, maxLength: 3 }),
    hoursPool: fc.array(arbHours, { minLength: 1, maxLength: 2 }),
    rows: fc.array(
      fc.record({
        window: fc.nat(),
        hours: fc.option(fc.nat(), { nil: null }),
        groups: fc.array(
          fc.record({
            due: fc.integer({ min: -2 * DAY, max: 4 * DAY }),
            zone: fc.option(fc.constantFrom(...ZONES), { nil: null }),
          }),
          { maxLength: 3 },
        ),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    directs: arbInstantOffsets,
    deadlines: arbInstantOffsets,
  })
  .map(({ windows, hoursPool, rows, directs, deadlines }) => {
    const nowMs = windows[0]!.t;
    const campaigns: PlanCampaign[] = rows.map((r, i) => ({
      id: `c${i}`,
      window: windows[r.window % windows.length]!.w,
      recipientHours: r.hours === null ? null : hoursPool[r.hours % hoursPool.length]!,
      pending: r.groups.map((g) => ({ earliestDueAt: new Date(nowMs + g.due), timezone: g.zone })),
    }));
    const toDates = (offsets: number[]) => offsets.map((o) => new Date(nowMs + o));
    return { nowMs, campaigns, directs: toDates(directs), deadlines: toDates(deadlines) };
  });

/** The plan the slow way: each group on its own, earliest wins, ties by kind then input order. */
function naivePlan(campaigns: PlanCampaign[], directs: Date[], deadlines: Date[], nowMs: number) {
  const candidates: { at: number; reason: WakeReason; campaignId?: string }[] = [];
  deadlines.filter((d) => d.getTime() > nowMs).forEach((d) => candidates.push({ at: d.getTime(), reason: 'result_deadline' }));
  directs.filter((d) => d.getTime() > nowMs).forEach((d) => candidates.push({ at: d.getTime(), reason: 'direct_call' }));
  const dueNow: string[] = [];
  for (const c of campaigns) {
    let isDue = false;
    for (const g of c.pending) {
      const due = g.earliestDueAt.getTime();
      const next = nextContactCallable(c.window, c.recipientHours, g.timezone, new Date(Math.max(nowMs, due)));
      if (next === null) continue;
      if (next.getTime() === nowMs) isDue = true;
      else candidates.push({ at: next.getTime(), reason: next.getTime() === due ? 'retry_due' : 'campaign_window', campaignId: c.id });
    }
    if (isDue) dueNow.push(c.id);
  }
  const best = candidates.reduce<(typeof candidates)[number] | null>((b, x) => (b === null || x.at < b.at ? x : b), null);
  const nextWake: WakeDecision | null = best && { at: new Date(best.at), reason: best.reason, ...(best.campaignId ? { campaignId: best.campaignId } : {}) };
  return { dueNow, nextWake };
}

describe('computeWakePlan matches the naive plan', () => {
  test('random campaigns, groups, contact zones, direct calls and deadlines', () => {
    fc.assert(
      fc.property(arbPlanCase, ({ nowMs, campaigns, directs, deadlines }) => {
        const input = { campaigns, directCallsDueAt: directs, resultDeadlines: deadlines };
        const result = computeWakePlan(input, new Date(nowMs));
        const expected = naivePlan(campaigns, directs, deadlines, nowMs);
        expect(result.dueNowCampaignIds).toEqual(expected.dueNow);
        expect(result.nextWake).toEqual(expected.nextWake);
        expect(result.directCallsDueNow).toBe(directs.some((d) => d.getTime() <= nowMs));
        expect(result.deadlinePassed).toBe(deadlines.some((d) => d.getTime() <= nowMs));
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
