// The simulator's pure parts: scenario checking, the compute model, the ideal
// schedule that gives the lower bound, and deterministic outcomes.
import { describe, expect, it } from 'vitest';
import { computeUsage } from '@wakeplan/schedule-core';
import { idealSchedule, type IdealCampaign } from '../../src/simulate/ideal-schedule.ts';
import { parseScenario, ScenarioError } from '../../src/simulate/scenario.ts';
import { simulatedOutcome, simulatedPhone, unitHash } from '../../src/simulate/sim-outcomes.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('computeUsage', () => {
  it('merges touches closer than the suspend delay and counts wakes', () => {
    const u = computeUsage([0, 2 * MIN, 20 * MIN], 5 * MIN, 0, 10 * HOUR);
    expect(u.awake).toEqual([{ start: 0, end: 7 * MIN }, { start: 20 * MIN, end: 25 * MIN }]);
    expect(u.wakes).toBe(2);
    expect(u.computeHours).toBeCloseTo(12 / 60, 10);
  });

  it('clips to the simulated period and ignores order', () => {
    const u = computeUsage([10 * HOUR - MIN, -10 * MIN, 5 * MIN], 5 * MIN, 0, 10 * HOUR);
    expect(u.computeHours).toBeCloseTo((0 + 5 + 1) / 60, 10);
  });

  it('a poll every 10 s keeps the database awake all the time', () => {
    const touches = Array.from({ length: 24 * 360 }, (_, i) => i * 10_000);
    const u = computeUsage(touches, 5 * MIN, 0, 24 * HOUR);
    expect(u.wakes).toBe(1);
    expect(u.computeHours).toBeCloseTo(24, 6);
  });
});

describe('parseScenario', () => {
  const valid = {
    start: '2026-03-02T20:00:00-05:00',
    calls: { duration_seconds: 360, outcomes: { completed: 1 } },
    actions: [{ at: '2026-03-02T21:00:00-05:00', create_campaign: { name: 'seed', timezone: 'America/New_York', first_call_time: '09:00', last_call_time: '17:00', contacts: 100 } }],
  };

  it('reads a valid scenario', () => {
    const s = parseScenario(valid);
    expect(s.actions).toHaveLength(1);
    expect(s.outcomeShares).toEqual({ completed: 1, no_answer: 0, busy: 0, failed: 0 });
    expect(s.actions[0]).toMatchObject({ kind: 'create_campaign', campaign: { contacts: 100 } });
  });

  it('reports every problem at once, naming each field', () => {
    try {
      parseScenario({ start: 'monday', calls: { duration_seconds: -1, outcomes: { completed: 1, hangup: 2 } }, campaigns: [{ contacts: 1.5 }], actions: [{ at: '2026-03-02T21:00:00Z' }] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      const problems = (error as ScenarioError).problems.join('\n');
      expect(problems).toMatch(/^start must be an ISO instant/m);
      expect(problems).toMatch(/^calls\.duration_seconds must be a number above 0/m);
      expect(problems).toMatch(/^calls\.outcomes\.hangup is not an outcome/m);
      expect(problems).toMatch(/^campaigns\[0\]\.contacts must be a whole number/m);
      expect(problems).toMatch(/^actions\[0\] must have create_campaign or direct_call/m);
    }
  });

  it('refuses an action before start', () => {
    expect(() => parseScenario({ ...valid, actions: [{ at: '2026-03-01T00:00:00Z', direct_call: {} }] })).toThrow(/actions\[0\]\.at must not be before start/);
  });
});

describe('deterministic outcomes', () => {
  it('gives the same outcome for the same phone, attempt and seed, spread by the shares', () => {
    const shares = { completed: 0.5, no_answer: 0.3, busy: 0.1, failed: 0.1 };
    const phones = Array.from({ length: 4000 }, (_, i) => simulatedPhone(0, i));
    const outcomes = phones.map((p) => simulatedOutcome(7, p, 1, shares));
    expect(phones.map((p) => simulatedOutcome(7, p, 1, shares))).toEqual(outcomes);
    const completed = outcomes.filter((o) => o === 'completed').length / outcomes.length;
    expect(completed).toBeGreaterThan(0.45);
    expect(completed).toBeLessThan(0.55);
    expect(new Set(phones).size).toBe(phones.length);
    expect(phones[0]).toMatch(/^\+1212\d{7}$/);
    expect(unitHash('a')).not.toBe(unitHash('b'));
  });
});

describe('idealSchedule', () => {
  const window = { timezone: 'America/New_York', firstCallTime: '09:00', lastCallTime: '17:00' };
  const campaign = (phones: number, over: Partial<IdealCampaign> = {}): IdealCampaign => ({
    createdAt: Date.parse('2026-03-03T02:00:00Z'), window, recipientHours: null, maxConcurrent: 1, callsPerMinute: null,
    maxAttempts: 3, retryDelayMs: HOUR, retryOn: ['no_answer', 'busy', 'failed'],
    phones: Array.from({ length: phones }, (_, i) => simulatedPhone(0, i)), ...over,
  });

  it('the seed story: 100 calls of 6 minutes, 80 on day one and 20 on day two', () => {
    const scenario = parseScenario({
      start: '2026-03-02T20:00:00-05:00', calls: { duration_seconds: 360, outcomes: { completed: 1 } },
      actions: [{ at: '2026-03-02T21:00:00-05:00', create_campaign: { contacts: 100 } }],
    });
    const end = Date.parse('2026-03-05T00:00:00-05:00');
    const ideal = idealSchedule(scenario, [campaign(100)], [], 10, end);
    expect(ideal.dials).toBe(100);
    const day1 = ideal.dialTimes.filter((t) => t < Date.parse('2026-03-04T00:00:00-05:00'));
    expect(day1).toHaveLength(80);
    expect(new Date(ideal.dialTimes[0]!).toISOString()).toBe('2026-03-03T14:00:00.000Z');
    expect(new Date(ideal.dialTimes[80]!).toISOString()).toBe('2026-03-04T14:00:00.000Z');
    const usage = computeUsage(ideal.touches, 5 * MIN, scenario.start.getTime(), end);
    // A 6-minute call outlasts the 5-minute suspend delay, so even the ideal database
    // sleeps for a minute mid-call: 5 minutes awake after the start (20:00), after the
    // 21:00 action, after each of the 80 + 20 dials (each outcome coincides with the
    // next dial), and after each day's last outcome (17:00, 11:00): 104 wakes of 5 minutes.
    expect(usage.wakes).toBe(104);
    expect(usage.computeHours).toBeCloseTo((104 * 5) / 60, 6);
  });

  it('respects pacing and the account cap, and retries after the delay', () => {
    const scenario = parseScenario({
      start: '2026-03-03T14:00:00Z', calls: { duration_seconds: 60, outcomes: { no_answer: 1 } },
      actions: [{ at: '2026-03-03T14:00:00Z', direct_call: {} }],
    });
    const c = campaign(3, { maxConcurrent: 5, callsPerMinute: 2, createdAt: Date.parse('2026-03-03T14:00:00Z'), maxAttempts: 2 });
    const ideal = idealSchedule(scenario, [c], [{ at: scenario.start.getTime(), dueAt: scenario.start.getTime() }], 2, Date.parse('2026-03-04T00:00:00Z'));
    expect(ideal.dials).toBe(3 * 2 + 1);
    const campaignDials = ideal.dialTimes.slice(1).map((t) => new Date(t).toISOString().slice(11, 19));
    // the direct call and the first dial fill the account cap of 2 until 14:01; then pacing (30 s)
    expect(campaignDials.slice(0, 3)).toEqual(['14:00:00', '14:01:00', '14:01:30']);
  });
});
