// Waking the worker: every plan-changing write sends NOTIFY scheduler_changed
// (DESIGN.md §7) inside its transaction — so it arrives only after the commit
// and never after a rollback — and then rings the doorbell, whose failure or
// silence never fails or holds up the write.
//
// No timing assertions: "not yet" is proven by ordering — a marker NOTIFY sent
// from another session after the point in question arrives first.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createListener, type Sql } from '@wakeplan/db';
import { AUTH, campaignBody, json, phoneNumber, rowCounts, useTestApi, WAKE_TOKEN } from './helpers.ts';

const { db, api } = useTestApi();
let listener: Sql;
let notes: Record<string, unknown>[] = [];
let markers = 0;

beforeAll(async () => {
  listener = createListener({ url: db.current.url, applicationName: 'test-listener', onnotify: (_channel, payload) => void notes.push(JSON.parse(payload)) });
  await listener`listen scheduler_changed`;
  // A deferred trigger that runs at COMMIT: 'gated' campaigns wait for advisory lock 4242,
  // 'doomed' ones fail the commit (so the transaction rolls back after its NOTIFY ran).
  await db.current.sql.unsafe(`
    create function test_commit_gate() returns trigger language plpgsql as $$
    begin
      if new.name = 'gated' then perform pg_advisory_xact_lock(4242); end if;
      if new.name = 'doomed' then raise exception 'doomed at commit' using errcode = '23514'; end if;
      return null;
    end $$;
    create constraint trigger test_commit_gate after insert on campaigns
      deferrable initially deferred for each row execute function test_commit_gate();`);
});
afterAll(() => listener.end());
beforeEach(() => {
  notes = [];
  api.worker.rings.length = 0;
  api.worker.wake = 202;
});

/** Sends a marker from another session and waits for it: every NOTIFY committed before it has arrived. */
async function flushNotifications(): Promise<void> {
  const marker = ++markers;
  await db.current.sql`select pg_notify('scheduler_changed', ${JSON.stringify({ marker })})`;
  await vi.waitFor(() => expect(notes.some((n) => n.marker === marker)).toBe(true));
}
const kinds = () => notes.filter((n) => n.kind).map((n) => n.kind);
const post = (url: string, payload?: unknown) => api.app.inject({ method: 'POST', url, headers: AUTH, ...(payload === undefined ? {} : { payload: payload as object }) });

describe('NOTIFY scheduler_changed', () => {
  it('sends the right kind and ids for every plan-changing write, and rings the doorbell', async () => {
    const empty = json(await post('/api/campaigns', campaignBody())).data;
    const full = json(await post('/api/campaigns', campaignBody({ contacts: [{ phone: phoneNumber(1) }] }))).data;
    await post(`/api/campaigns/${empty.id}/contacts`, [{ phone: phoneNumber(2) }]);
    await api.app.inject({ method: 'PATCH', url: `/api/campaigns/${empty.id}`, headers: AUTH, payload: { max_attempts: 5 } });
    await post(`/api/campaigns/${empty.id}/pause`);
    await post(`/api/campaigns/${empty.id}/resume`);
    await post(`/api/campaigns/${full.id}/cancel`);
    const call = json(await post('/api/calls', { phone: phoneNumber(3), agent_id: 'a' })).data;
    const reload = await post('/api/scheduler/reload');
    await flushNotifications();
    const at = api.clock.now().toISOString();
    expect(notes.filter((n) => n.kind)).toEqual([
      { v: 1, kind: 'campaign_changed', campaign_id: empty.id, at },
      { v: 1, kind: 'contacts_added', campaign_id: full.id, at },
      { v: 1, kind: 'contacts_added', campaign_id: empty.id, at },
      { v: 1, kind: 'campaign_changed', campaign_id: empty.id, at },
      { v: 1, kind: 'campaign_changed', campaign_id: empty.id, at },
      { v: 1, kind: 'campaign_changed', campaign_id: empty.id, at },
      { v: 1, kind: 'campaign_changed', campaign_id: full.id, at },
      { v: 1, kind: 'call_queued', call_id: call.id, at },
      { v: 1, kind: 'reload', at },
    ]);
    // Rings coalesce while one is on its way, but the last write is always followed by one.
    await vi.waitFor(() => expect(JSON.parse(api.worker.rings.at(-1)?.body ?? '{}')).toEqual({ reason: 'reload', request_ids: [reload.headers['x-request-id']] }));
    expect(api.worker.rings.length).toBeGreaterThanOrEqual(2);
    expect(api.worker.rings.every((r) => r.authorization === `Bearer ${WAKE_TOKEN}`)).toBe(true);
  });

  it('stays silent when a write changes nothing', async () => {
    const c = json(await post('/api/campaigns', campaignBody({ contacts: [{ phone: phoneNumber(1) }] }))).data;
    await post(`/api/campaigns/${c.id}/resume`);
    await post(`/api/campaigns/${c.id}/contacts`, [{ phone: phoneNumber(1) }]);
    const key = { 'idempotency-key': 'same' };
    await api.app.inject({ method: 'POST', url: '/api/calls', headers: { ...AUTH, ...key }, payload: { phone: phoneNumber(2), agent_id: 'a' } });
    await api.app.inject({ method: 'POST', url: '/api/calls', headers: { ...AUTH, ...key }, payload: { phone: phoneNumber(2), agent_id: 'a' } });
    await flushNotifications();
    expect(kinds()).toEqual(['contacts_added', 'call_queued']);
  });

  it('arrives only after the commit', async () => {
    const locker = await db.current.sql.reserve();
    try {
      await locker`select pg_advisory_lock(4242)`;
      const pending = post('/api/campaigns', campaignBody({ name: 'gated' }));
      // The request's transaction has run its NOTIFY and now waits in COMMIT for the lock.
      await vi.waitFor(async () => {
        const [row] = await db.current.sql<{ n: number }[]>`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`;
        expect(row!.n).toBe(1);
      });
      await flushNotifications();
      expect(kinds()).toEqual([]);
      expect(api.worker.rings).toHaveLength(0);
      await locker`select pg_advisory_unlock(4242)`;
      const res = await pending;
      expect(res.statusCode).toBe(201);
      await flushNotifications();
      expect(notes.filter((n) => n.kind)).toEqual([expect.objectContaining({ kind: 'campaign_changed', campaign_id: json(res).data.id })]);
      await vi.waitFor(() => expect(api.worker.rings).toHaveLength(1));
    } finally {
      locker.release();
    }
  });

  it('never arrives after a rollback, and the doorbell is not rung', async () => {
    const before = await rowCounts(db.current.sql);
    const res = await post('/api/campaigns', campaignBody({ name: 'doomed', contacts: [{ phone: phoneNumber(7) }] }));
    expect(res.statusCode).toBe(422);
    expect(json(res).error.code).toBe('VALIDATION_FAILED');
    await flushNotifications();
    expect(kinds()).toEqual([]);
    expect(api.worker.rings).toHaveLength(0);
    expect(await rowCounts(db.current.sql)).toEqual(before);
  });
});

describe('the doorbell', () => {
  it('names the request whose write rang it (X-Request-Id and request_ids), so the wake can be traced to it', async () => {
    const res = await api.app.inject({
      method: 'POST', url: '/api/campaigns', headers: { ...AUTH, 'x-request-id': 'frontend-42' }, payload: campaignBody({ name: 'traced' }),
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-request-id']).toBe('frontend-42');
    await vi.waitFor(() => expect(api.worker.rings).toHaveLength(1));
    expect(api.worker.rings[0]).toMatchObject({ requestId: 'frontend-42' });
    expect(JSON.parse(api.worker.rings[0]!.body)).toEqual({ reason: 'campaign_changed', request_ids: ['frontend-42'] });
  });

  it('failing does not fail the write; the failure is logged after retries', async () => {
    api.worker.wake = 500;
    const res = await post('/api/campaigns', campaignBody({ name: 'bell-fails' }));
    expect(res.statusCode).toBe(201);
    await vi.waitFor(() => expect(api.logLines.some((l) => l.includes('worker doorbell failed') && l.includes('HTTP 500'))).toBe(true), { timeout: 10_000 });
    expect(api.worker.rings.length).toBeGreaterThan(1);
    const [row] = await db.current.sql`select count(*)::int as n from campaigns where name = 'bell-fails'`;
    expect(row!.n).toBe(1);
  });

  it('does not hold up the response while the worker is slow to answer', async () => {
    api.worker.wake = 'hang';
    const res = await post('/api/calls', { phone: phoneNumber(4), agent_id: 'a' });
    expect(res.statusCode).toBe(202);
    await vi.waitFor(() => expect(api.worker.hanging()).toBe(1));
    api.worker.wake = 202;
    api.worker.releaseHanging();
    await vi.waitFor(() => expect(api.worker.rings.length).toBeGreaterThan(1));
  });
});
