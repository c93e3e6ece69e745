// The scheduler status in words (pure), reading the worker's /health body, and
// where the worker is from its doorbell URL.
import { describe, expect, it } from 'vitest';
import { describeSchedulerStatus } from '../../src/scheduler/status-message.ts';
import { readHealthBody, workerBaseUrl } from '../../src/worker-link/worker-health.ts';

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

describe('readHealthBody', () => {
  it('reads the worker\'s /health body, keeping only numeric counters', () => {
    expect(readHealthBody({ status: 'ok', state: 'asleep', callsInFlight: 0, nextWakeAt: '2026-03-02T14:00:00.000Z' }))
      .toEqual({ state: 'asleep', source: 'live', ageSeconds: 0, callsInFlight: 0, nextWakeAt: '2026-03-02T14:00:00.000Z', counters: null });
    expect(readHealthBody({ state: 'asleep', counters: { wakes: 3, dialed: 7, label: 'x' } })?.counters).toEqual({ wakes: 3, dialed: 7 });
    expect(readHealthBody({ state: 'waiting', callsInFlight: 2, nextWakeAt: null }))
      .toMatchObject({ state: 'waiting', callsInFlight: 2, nextWakeAt: null });
    expect(readHealthBody({ ok: true })).toBeNull();
    expect(readHealthBody('nope')).toBeNull();
  });
});

describe('workerBaseUrl', () => {
  it('is the doorbell URL without its path; nothing without a doorbell', () => {
    expect(workerBaseUrl('http://worker.railway.internal:3001/wake')).toBe('http://worker.railway.internal:3001');
    expect(workerBaseUrl('http://[::1]:3001/wake?x=1')).toBe('http://[::1]:3001');
    expect(workerBaseUrl(undefined)).toBeUndefined();
  });
});
