// Scheduler routes: the status (next wake computed from the plan, worker state
// live from /health, else as published with its age, else unknown; cached half
// a second, dropped by writes), reload, and the plan preview.
import { beforeEach, describe, expect, it } from 'vitest';
import { AUTH, campaignBody, json, phoneNumber, T0, useTestApi } from './helpers.ts';

const { db, api } = useTestApi({ truncate: ['campaigns', 'calls', 'worker_state'] });
beforeEach(() => {
  api.worker.health = { status: 503 };
  api.clock.set(new Date(api.clock.now().getTime() + 60_000)); // a fresh status each test
});

const status = async () => json(await api.app.inject({ method: 'GET', url: '/api/scheduler/status', headers: AUTH })).data;
async function createCampaign(extra: Record<string, unknown> = {}, contacts = 2): Promise<string> {
  const list = Array.from({ length: contacts }, (_, i) => ({ phone: phoneNumber(i) }));
  const res = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: AUTH, payload: campaignBody({ ...extra, contacts: list }) });
  return json(res).data.id;
}

describe('GET /api/scheduler/status', () => {
  it('says nothing is scheduled on an empty database, worker unknown', async () => {
    api.clock.set(T0);
    expect(await status()).toEqual({
      currentTime: T0.toISOString(), nextWakeTime: null, minutesUntilWake: null, nextWakeReason: null,
      campaignCount: 0, isProcessing: false, isUserActive: true, workerState: 'unknown', workerStateSource: 'unknown',
      workerStateAgeSeconds: null, callsInFlight: 0, directCallsQueued: 0, workerCounters: null,
      nextWakes: [], campaignsTotal: 0, campaignsOffset: 0, campaigns: [],
      message: 'Nothing is scheduled: the database can sleep until new work arrives',
    });
  });

  it('computes the next wake from the campaign windows', async () => {
    api.clock.set(T0);
    const id = await createCampaign();
    const s = await status();
    expect(s).toMatchObject({
      nextWakeTime: '2026-03-02T14:00:00.000Z', minutesUntilWake: 120, nextWakeReason: 'campaign_window',
      campaignCount: 1, message: 'Database will wake in 2 hours',
    });
    expect(s.campaigns).toEqual([{ id, name: 'Spring outreach', window: '09:00-17:00', queuedCount: 2, inFlight: 0, nextDueAt: '2026-03-02T14:00:00.000Z' }]);
    expect(s.nextWakes).toEqual([{ at: '2026-03-02T14:00:00.000Z', campaignId: id }]);
  });

  it('lists one page of the tracked campaigns, soonest due first, and says how many there are', async () => {
    api.clock.set(T0);
    const late = await createCampaign({ first_call_time: '11:00' }, 1);
    const early = await createCampaign({ first_call_time: '09:00' }, 3);
    const middle = await createCampaign({ first_call_time: '10:00' }, 2);
    const page = async (q: string) => json(await api.app.inject({ method: 'GET', url: `/api/scheduler/status?${q}`, headers: AUTH }));
    const first = (await page('campaigns_limit=2')).data;
    expect(first.campaigns.map((c: { id: string; queuedCount: number }) => [c.id, c.queuedCount])).toEqual([[early, 3], [middle, 2]]);
    expect(first).toMatchObject({ campaignsTotal: 3, campaignsOffset: 0 });
    expect(first.nextWakes.map((w: { campaignId: string }) => w.campaignId)).toEqual([early, middle, late]);
    const second = (await page('campaigns_limit=2&campaigns_offset=2')).data;
    expect(second.campaigns.map((c: { id: string }) => c.id)).toEqual([late]);
    const bad = await api.app.inject({ method: 'GET', url: '/api/scheduler/status?campaigns_limit=0', headers: AUTH });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('campaigns_limit');
  });

  it('says work is due now inside an open window, and counts direct calls', async () => {
    api.clock.set(new Date('2026-03-02T15:00:00Z'));
    await createCampaign();
    await api.app.inject({ method: 'POST', url: '/api/calls', headers: AUTH, payload: { phone: phoneNumber(9), agent_id: 'a' } });
    const s = await status();
    expect(s).toMatchObject({ nextWakeTime: '2026-03-02T15:00:00.000Z', minutesUntilWake: 0, nextWakeReason: 'due_now', directCallsQueued: 1 });
    expect(s.message).toBe('Calls are due now: the worker is being woken to dial them');
  });

  it('applies the campaign cap: at its cap nothing is due before an outcome', async () => {
    api.clock.set(new Date('2026-03-02T15:00:00Z'));
    const id = await createCampaign({ max_concurrent_calls: 1 });
    await db.current.sql`update calls set status = 'dialing', attempt = 1, result_deadline = ${new Date('2026-03-02T15:30:00Z')}
      where campaign_id = ${id} and phone = ${phoneNumber(0)}`;
    api.clock.set(new Date('2026-03-02T15:00:10Z'));
    const s = await status();
    expect(s).toMatchObject({ nextWakeTime: '2026-03-02T15:30:00.000Z', nextWakeReason: 'result_deadline', callsInFlight: 1, isProcessing: true });
    expect(s.campaigns[0]).toMatchObject({ queuedCount: 1, inFlight: 1, nextDueAt: null });
    expect(s.message).toBe('Worker is awake: 1 call in flight');
  });

  it('applies pacing: the next dial waits for its slot', async () => {
    api.clock.set(new Date('2026-03-02T15:00:00Z'));
    const id = await createCampaign({ calls_per_minute: 2 });
    await db.current.sql`update campaigns set last_dial_at = ${new Date('2026-03-02T15:00:00Z')} where id = ${id}`;
    api.clock.set(new Date('2026-03-02T15:00:05Z'));
    const s = await status();
    expect(s.nextWakeTime).toBe('2026-03-02T15:00:30.000Z');
    expect(s.message).toBe('Database will wake in less than a minute');
  });

  it('reports the worker live from its /health', async () => {
    api.worker.health = { body: { status: 'ok', state: 'dispatching', callsInFlight: 3, nextWakeAt: null, counters: { wakes: 4, dialed: 9 } } };
    expect(await status()).toMatchObject({
      workerState: 'dispatching', workerStateSource: 'live', workerStateAgeSeconds: 0, isProcessing: true, callsInFlight: 3,
      workerCounters: { wakes: 4, dialed: 9 },
      message: 'Worker is awake: 3 calls in flight',
    });
  });

  it('falls back to the published state, with its age, when /health fails or hangs', async () => {
    const at = api.clock.now();
    await db.current.sql`insert into worker_state (worker_id, state, calls_in_flight, counters, updated_at)
      values ('w1', 'asleep', 0, ${db.current.sql.json({ wakes: 2 })}, ${new Date(at.getTime() - 120_000)}), ('w0', 'waiting', 0, '{}', ${new Date(at.getTime() - 900_000)})`;
    expect(await status()).toMatchObject({ workerState: 'asleep', workerStateSource: 'published', workerStateAgeSeconds: 120, isProcessing: false, workerCounters: { wakes: 2 } });
    api.worker.health = 'hang';
    api.clock.set(new Date(at.getTime() + 10_000));
    expect(await status()).toMatchObject({ workerState: 'asleep', workerStateSource: 'published', workerStateAgeSeconds: 130 });
  });

  it('is cached briefly, and a write through the API refreshes it', async () => {
    api.clock.set(T0);
    const before = await status();
    await db.current.sql`insert into calls (phone, agent_id, created_at, updated_at) values (${phoneNumber(5)}, 'a', ${T0}, ${T0})`;
    expect((await status()).directCallsQueued).toBe(before.directCallsQueued);
    api.clock.set(new Date(T0.getTime() + 5_000));
    expect((await status()).directCallsQueued).toBe(before.directCallsQueued + 1);
    await api.app.inject({ method: 'POST', url: '/api/calls', headers: AUTH, payload: { phone: phoneNumber(6), agent_id: 'a' } });
    expect((await status()).directCallsQueued).toBe(before.directCallsQueued + 2);
  });
});

describe('POST /api/scheduler/reload', () => {
  it('answers with the instant it notified', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/api/scheduler/reload', headers: AUTH });
    expect(res.statusCode).toBe(200);
    expect(json(res).data).toEqual({ notified: true, at: api.clock.now().toISOString() });
  });
});

describe('GET /api/scheduler/plan', () => {
  it('lists each campaign\'s open windows and the wakes they lead to', async () => {
    api.clock.set(T0);
    const id = await createCampaign({ days_of_week: [1, 3] });
    const res = await api.app.inject({ method: 'GET', url: '/api/scheduler/plan?days=3', headers: AUTH });
    expect(res.statusCode).toBe(200);
    const plan = json(res).data;
    expect(plan).toMatchObject({
      from: T0.toISOString(), to: '2026-03-05T12:00:00.000Z', days: 3,
      next_wake: { at: '2026-03-02T14:00:00.000Z', reason: 'campaign_window', campaign_id: id },
      due_now: { campaign_ids: [], direct_calls: false, deadline_passed: false },
      direct_calls: { queued: 0, earliest_due_at: null }, wakes_truncated: false,
    });
    expect(plan.campaigns).toEqual([{
      id, name: 'Spring outreach', window: '09:00-17:00', timezone: 'America/New_York', queued_count: 2, in_flight: 0,
      open_windows: [
        { start: '2026-03-02T14:00:00.000Z', end: '2026-03-02T22:00:00.000Z' },
        { start: '2026-03-04T14:00:00.000Z', end: '2026-03-04T22:00:00.000Z' },
      ],
      wakes: ['2026-03-02T14:00:00.000Z', '2026-03-04T14:00:00.000Z'],
    }]);
    expect(plan.wakes).toEqual([
      { at: '2026-03-02T14:00:00.000Z', reason: 'campaign_due', campaign_id: id },
      { at: '2026-03-04T14:00:00.000Z', reason: 'campaign_due', campaign_id: id },
    ]);
  });

  it('lists one page of the active campaigns, oldest first, with the total; the next wake still covers them all', async () => {
    api.clock.set(T0);
    const a = await createCampaign({ first_call_time: '11:00' }, 1);
    api.clock.set(new Date(T0.getTime() + 1000)); // created later
    const b = await createCampaign({ first_call_time: '09:00' }, 1);
    api.clock.set(T0);
    const plan = json(await api.app.inject({ method: 'GET', url: '/api/scheduler/plan?days=1&limit=1', headers: AUTH })).data;
    expect(plan).toMatchObject({ limit: 1, offset: 0, campaigns_total: 2, next_wake: { campaign_id: b } });
    expect(plan.campaigns.map((c: { id: string }) => c.id)).toEqual([a]);
    expect(plan.wakes.every((w: { campaign_id: string | null }) => w.campaign_id !== b)).toBe(true);
    const next = json(await api.app.inject({ method: 'GET', url: '/api/scheduler/plan?days=1&limit=1&offset=1', headers: AUTH })).data;
    expect(next.campaigns.map((c: { id: string }) => c.id)).toEqual([b]);
    expect((await api.app.inject({ method: 'GET', url: '/api/scheduler/plan?limit=501', headers: AUTH })).statusCode).toBe(422);
  });

  it('defaults to 7 days and refuses a horizon outside 1–31', async () => {
    expect(json(await api.app.inject({ method: 'GET', url: '/api/scheduler/plan', headers: AUTH })).data.days).toBe(7);
    for (const days of ['0', '32', 'week']) {
      const res = await api.app.inject({ method: 'GET', url: `/api/scheduler/plan?days=${days}`, headers: AUTH });
      expect(res.statusCode).toBe(422);
      expect(json(res).error.details[0].field).toBe('days');
    }
  });
});
