// The scheduler status in words (pure), and reading the worker's /health body.
import { describe, expect, it } from 'vitest';
import { describeDuration, describeSchedulerStatus } from '../src/status-message.ts';
import { readHealthBody } from '../src/worker-health.ts';

describe('describeSchedulerStatus', () => {
  const idle = { workerState: 'asleep', callsInFlight: 0, dueNow: false, msUntilWake: null };
  it.each([
    [{ ...idle, msUntilWake: 30 * 60_000 }, 'Database will wake in 30 minutes'],
    [{ ...idle, callsInFlight: 3, workerState: 'waiting' }, 'Worker is awake: 3 calls in flight'],
    [{ ...idle, callsInFlight: 1 }, 'Worker is awake: 1 call in flight'],
    [{ ...idle, workerState: 'dispatching' }, 'Worker is awake and dispatching calls'],
    [{ ...idle, dueNow: true, msUntilWake: 0 }, 'Calls are due now: the worker is being woken to dial them'],
    [idle, 'Nothing is scheduled: the database can sleep until new work arrives'],
  ])('%j → %s', (facts, text) => {
    expect(describeSchedulerStatus(facts)).toBe(text);
  });
});

describe('describeDuration', () => {
  it.each([
    [20_000, 'less than a minute'], [60_000, '1 minute'], [61_000, '2 minutes'], [119 * 60_000, '119 minutes'],
    [120 * 60_000, '2 hours'], [125 * 60_000, '2 hours 5 minutes'], [47 * 3_600_000, '47 hours'],
    [48 * 3_600_000, '2 days'], [(3 * 24 + 4) * 3_600_000, '3 days 4 hours'],
  ])('%d ms → %s', (ms, text) => {
    expect(describeDuration(ms)).toBe(text);
  });
});

describe('readHealthBody', () => {
  it('reads the worker body flat or enveloped, camel or snake case', () => {
    expect(readHealthBody({ state: 'asleep', calls_in_flight: 0, next_wake_at: '2026-03-02T14:00:00.000Z' }))
      .toEqual({ state: 'asleep', source: 'live', ageSeconds: 0, callsInFlight: 0, nextWakeAt: '2026-03-02T14:00:00.000Z', counters: null });
    expect(readHealthBody({ state: 'asleep', counters: { wakes: 3, dialed: 7, label: 'x' } })?.counters).toEqual({ wakes: 3, dialed: 7 });
    expect(readHealthBody({ success: true, data: { state: 'waiting', callsInFlight: 2, nextWake: { at: 'x' } } }))
      .toMatchObject({ state: 'waiting', callsInFlight: 2, nextWakeAt: 'x' });
    expect(readHealthBody({ ok: true })).toBeNull();
    expect(readHealthBody('nope')).toBeNull();
  });
});
