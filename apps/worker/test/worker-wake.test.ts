// The wake plan on a fake clock against real Postgres: the worker sleeps until a
// window opens, dials, sleeps until tomorrow with what is left, is woken early
// by the doorbell (campaigns and direct calls), and without a doorbell does only
// what its timer dictates.
import { describe, expect, it } from 'vitest';
import { callStatuses, insertCampaign, insertContacts, insertDirectCall, T0, useTestDatabase } from '@wakeplan/db/testing';
import { harnessPerTest, type Harness } from './helpers/harness.ts';

const db = useTestDatabase();
const startHarness = harnessPerTest(db);
let h: Harness | null = null;

const at = (iso: string) => new Date(iso);

describe('waking on the plan', () => {
  it('sleeps until the window opens, dials, and resumes the next day with what is left', async () => {
    // 09:00-09:03 New York, one call a minute: three dials today, two tomorrow.
    const id = await insertCampaign(db.current.sql, { last_call_time: '09:03', calls_per_minute: 1, max_concurrent_calls: 5 });
    await insertContacts(db.current.sql, id, 5);
    h = startHarness({ start: T0 });
    h.dialer.auto = { sql: db.current.sql, afterMs: 20_000, status: 'completed', ring: () => h?.worker.wake() };
    h.worker.start();
    await h.settle();
    expect(h.worker.state).toBe('asleep');
    expect(h.worker.nextWake?.at).toEqual(at('2026-03-02T14:00:00Z'));
    expect(h.dialer.dials).toHaveLength(0);

    await h.stepTo(at('2026-03-02T15:00:00Z'));
    expect(h.dialer.dials.map((d) => d.at.toISOString())).toEqual([
      '2026-03-02T14:00:00.000Z', '2026-03-02T14:01:00.000Z', '2026-03-02T14:02:00.000Z',
    ]);
    expect(h.worker.state).toBe('asleep');
    expect(h.worker.nextWake?.at).toEqual(at('2026-03-03T14:00:00Z'));
    const [published] = await db.current.sql`select state, next_wake_at, calls_in_flight, updated_at from worker_state`;
    expect(published).toMatchObject({ state: 'asleep', next_wake_at: at('2026-03-03T14:00:00Z'), calls_in_flight: 0 });

    await h.stepTo(at('2026-03-03T15:00:00Z'));
    expect(h.dialer.dials.slice(3).map((d) => d.at.toISOString())).toEqual(['2026-03-03T14:00:00.000Z', '2026-03-03T14:01:00.000Z']);
    expect(await callStatuses(db.current.sql, id)).toEqual({ completed: 5 });
    const [campaign] = await db.current.sql<{ status: string }[]>`select status from campaigns where id = ${id}`;
    expect(campaign?.status).toBe('completed');
    expect(h.worker.nextWake).toBeNull();
  });

  it('a campaign created inside its window while the worker sleeps is dialed through the doorbell', async () => {
    const tomorrow = await insertCampaign(db.current.sql, { start_date: '2026-03-03' });
    await insertContacts(db.current.sql, tomorrow, 1);
    h = startHarness({ start: at('2026-03-02T15:00:00Z') }); // 10:00 New York
    h.worker.start();
    await h.settle();
    expect(h.worker.state).toBe('asleep');
    const planned = h.worker.nextWake!.at;
    expect(planned).toEqual(at('2026-03-03T14:00:00Z'));
    const statementsAsleep = h.stats.statements;

    const now = await insertCampaign(db.current.sql, {}, h.clock.now()); // open now, 09:00-17:00
    const [contact] = await insertContacts(db.current.sql, now, 1, h.clock.now());
    await db.current.sql`select pg_notify('scheduler_changed', ${JSON.stringify({ v: 1, kind: 'campaign_changed', campaign_id: now, at: h.clock.now().toISOString() })})`;
    await h.settle();
    expect(h.stats.statements).toBe(statementsAsleep); // asleep: nobody heard the NOTIFY
    h.worker.wake();
    await h.settle();
    expect(h.dialer.dials.map((d) => d.request.callId)).toEqual([contact]);
    expect(h.dialer.dials[0]!.at.getTime()).toBeLessThan(planned.getTime());
  });

  it('a direct call queued while the worker sleeps is dialed through the doorbell', async () => {
    h = startHarness({ start: T0 });
    h.worker.start();
    await h.settle();
    expect(h.worker.state).toBe('asleep');
    expect(h.worker.nextWake).toBeNull();
    const id = await insertDirectCall(db.current.sql, h.clock.now());
    h.worker.wake();
    await h.settle();
    expect(h.dialer.dials.map((d) => [d.request.callId, d.request.agentId, d.request.campaignId])).toEqual([[id, 'agent-direct', null]]);
    expect(h.worker.state).toBe('waiting'); // the call is in flight
  });

  it('a direct call with not_before wakes the worker at that instant', async () => {
    h = startHarness({ start: T0 });
    const id = await insertDirectCall(db.current.sql, T0, at('2026-03-02T13:30:00Z'));
    h.worker.start();
    await h.settle();
    expect(h.worker.nextWake).toMatchObject({ at: at('2026-03-02T13:30:00Z'), reason: 'direct_call' });
    await h.stepTo(at('2026-03-02T14:00:00Z'));
    expect(h.dialer.dials.map((d) => [d.request.callId, d.at.toISOString()])).toEqual([[id, '2026-03-02T13:30:00.000Z']]);
  });

  it('without a doorbell the worker does only what its timer dictates', async () => {
    const planned = await insertCampaign(db.current.sql, { first_call_time: '13:00' });
    await insertContacts(db.current.sql, planned, 1);
    h = startHarness({ start: at('2026-03-02T15:00:00Z') }); // 10:00 New York
    h.worker.start();
    await h.settle();
    expect(h.worker.nextWake?.at).toEqual(at('2026-03-02T18:00:00Z'));
    const opened = h.stats.opened.pool + h.stats.opened.listener;
    const late = await insertCampaign(db.current.sql, {}, h.clock.now());
    await insertContacts(db.current.sql, late, 2, h.clock.now());
    await h.stepTo(at('2026-03-02T17:59:59Z'));
    expect(h.dialer.dials).toHaveLength(0);
    expect(h.stats.opened.pool + h.stats.opened.listener).toBe(opened);
    await h.stepTo(at('2026-03-02T18:00:00Z'));
    expect(h.dialer.dials.map((d) => d.request.campaignId).sort()).toEqual([late, planned].sort());
    expect(h.dialer.dials.every((d) => d.at.getTime() === at('2026-03-02T18:00:00Z').getTime())).toBe(true);
  });

  it('a sleep beyond 24.8 days fires on time', async () => {
    const id = await insertCampaign(db.current.sql, { start_date: '2026-04-15' });
    await insertContacts(db.current.sql, id, 1);
    h = startHarness({ start: T0 });
    h.worker.start();
    await h.settle();
    const wake = at('2026-04-15T13:00:00Z'); // 09:00 EDT
    expect(h.worker.nextWake?.at).toEqual(wake);
    expect(wake.getTime() - T0.getTime()).toBeGreaterThan(2 ** 31);
    await h.stepTo(at('2026-04-15T12:59:59.999Z'));
    expect(h.dialer.dials).toHaveLength(0);
    await h.stepTo(at('2026-04-16T00:00:00Z'));
    expect(h.dialer.dials.map((d) => d.at)).toEqual([wake]);
  });

  it('retries a no_answer after retry_delay_minutes inside the window, then gives up after max_attempts', async () => {
    const id = await insertCampaign(db.current.sql, { max_attempts: 2, retry_delay_minutes: 30 });
    const [contact] = await insertContacts(db.current.sql, id, 1);
    h = startHarness({ start: at('2026-03-02T15:00:00Z') });
    h.dialer.auto = { sql: db.current.sql, afterMs: 10_000, status: 'no_answer', ring: () => h?.worker.wake() };
    h.worker.start();
    await h.stepTo(at('2026-03-02T17:00:00Z'));
    expect(h.dialer.dials.map((d) => [d.request.attempt, d.at.toISOString()])).toEqual([
      [1, '2026-03-02T15:00:00.000Z'], [2, '2026-03-02T15:30:10.000Z'],
    ]);
    expect(new Set(h.dialer.dials.map((d) => d.request.idempotencyKey)).size).toBe(2);
    expect(await callStatuses(db.current.sql, id)).toEqual({ failed: 1 });
    const attempts = await db.current.sql`select attempt, status from call_attempts where call_id = ${contact!} order by attempt`;
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([[1, 'no_answer'], [2, 'no_answer']]);
  });

  it('a call with no outcome becomes unknown at its deadline and is not dialed again by default', async () => {
    const id = await insertCampaign(db.current.sql);
    await insertContacts(db.current.sql, id, 1);
    h = startHarness({ start: at('2026-03-02T15:00:00Z'), resultTimeoutMinutes: 10 });
    h.worker.start();
    await h.settle();
    expect(h.worker.nextWake).toMatchObject({ at: at('2026-03-02T15:10:00Z'), reason: 'result_deadline' });
    await h.stepTo(at('2026-03-02T16:00:00Z'));
    expect(h.dialer.dials).toHaveLength(1);
    const [call] = await db.current.sql`select status, last_outcome from calls where campaign_id = ${id}`;
    expect(call).toMatchObject({ status: 'failed', last_outcome: 'unknown' });
    expect(h.worker.state).toBe('asleep');
  });

  it('retries an unknown call as attempt n+1 when retry_on lists unknown', async () => {
    const id = await insertCampaign(db.current.sql, { retry_on: ['unknown'], retry_delay_minutes: 5 });
    await insertContacts(db.current.sql, id, 1);
    h = startHarness({ start: at('2026-03-02T15:00:00Z'), resultTimeoutMinutes: 10 });
    h.worker.start();
    await h.stepTo(at('2026-03-02T15:20:00Z'));
    expect(h.dialer.dials.map((d) => [d.request.attempt, d.at.toISOString()])).toEqual([
      [1, '2026-03-02T15:00:00.000Z'], [2, '2026-03-02T15:15:00.000Z'],
    ]);
  });

  it('coalesces a burst of doorbell rings into one pass', async () => {
    h = startHarness({ start: T0 });
    h.worker.start();
    await h.settle();
    const { wakes, planReads, catchUps } = h.worker.counters;
    for (let i = 0; i < 50; i++) h.worker.wake();
    await h.settle();
    expect(h.worker.counters.wakes - wakes).toBe(1);
    // The ring that woke it catches up after starting LISTEN (the plan was read
    // whole at start-up); the other 49 came while LISTEN was open: what they
    // announce is in that read or heard as a NOTIFY.
    expect(h.worker.counters.catchUps - catchUps).toBe(1);
    expect(h.worker.counters.planReads - planReads).toBe(0);
  });
});
