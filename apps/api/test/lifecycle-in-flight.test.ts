// Lifecycle is total (issue 15 items 3 and 4), through the real routes on a real
// database: pause, resume and cancel over HTTP, outcomes as signed provider
// events. A cancelled campaign's call in flight never goes back to the queue; a
// campaign paused during its last call completes on resume. Every test ends
// with the database check (`wakeplan check`) finding nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { signedHeaders } from '@wakeplan/contract';
import { callStatuses, markDialing } from '@wakeplan/db/testing';
import { checkConsistency } from '@wakeplan/db';
import { AUTH, campaignBody, json, phoneNumber, useTestApi } from './helpers.ts';

const SECRET = 'events-secret';
const AT = new Date('2026-03-02T15:00:00Z'); // Monday 10:00 New York: inside 09:00–17:00
const { db, api } = useTestApi({ env: { PROVIDER_EVENTS_SECRET: SECRET }, truncate: ['campaigns', 'calls', 'call_attempts', 'provider_events'] });
const min = (n: number) => new Date(AT.getTime() + n * 60_000);

afterEach(async () => {
  expect(await checkConsistency(db.current.sql, api.clock.now())).toEqual([]);
});

/** A campaign of `n` contacts (created over the API) whose first `flying` contacts are claimed for attempt 1. */
async function campaignInFlight(n: number, flying: number, extra: Record<string, unknown> = {}): Promise<{ id: string; calls: string[] }> {
  api.clock.set(AT);
  const contacts = Array.from({ length: n }, (_, i) => ({ phone: phoneNumber(i) }));
  const res = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: AUTH, payload: campaignBody({ contacts, max_concurrent_calls: 5, ...extra }) });
  expect(res.statusCode).toBe(201);
  const id = json(res).data.id as string;
  const rows = await db.current.sql<{ id: string }[]>`select id from calls where campaign_id = ${id} order by phone`;
  const calls = rows.map((r) => r.id);
  await markDialing(db.current.sql, calls.slice(0, flying), AT, min(30));
  return { id, calls };
}

const act = async (id: string, action: string, at: Date) => {
  api.clock.set(at);
  const res = await api.app.inject({ method: 'POST', url: `/api/campaigns/${id}/${action}`, headers: AUTH });
  expect(res.statusCode).toBe(200);
  return json(res).data;
};

async function outcome(callId: string, status: string, at: Date) {
  api.clock.set(at);
  const raw = JSON.stringify({ call_id: callId, attempt: 1, status, occurred_at: at.toISOString(), provider_call_id: `pc-${callId}` });
  const res = await api.app.inject({ method: 'POST', url: '/api/provider/events', headers: { 'content-type': 'application/json', ...signedHeaders(SECRET, raw, at) }, payload: raw });
  expect(res.statusCode).toBe(200);
  return json(res).data;
}

async function call(id: string) {
  const [row] = await db.current.sql`select status, attempt, next_attempt_at, last_outcome from calls where id = ${id}`;
  return row!;
}
async function attempt(id: string) {
  const [row] = await db.current.sql`select status from call_attempts where call_id = ${id} and attempt = 1`;
  return row!.status;
}

describe('cancel with calls in flight (item 3)', () => {
  it.each(['no_answer', 'busy', 'failed'])('a %s after cancel cancels the contact: no retry, the attempt keeps its real outcome', async (status) => {
    const { id, calls } = await campaignInFlight(3, 1);
    expect(await act(id, 'cancel', min(1))).toMatchObject({ status: 'cancelled', stats: { cancelled: 2, dialing: 1 } });
    expect(await outcome(calls[0]!, status, min(2))).toEqual({ result: 'applied', call_status: 'cancelled' });
    expect(await call(calls[0]!)).toMatchObject({ status: 'cancelled', next_attempt_at: null, last_outcome: status });
    expect(await attempt(calls[0]!)).toBe(status);
    expect(await callStatuses(db.current.sql, id)).toEqual({ cancelled: 3 });
  });

  it('a completed call after cancel stays completed, and a final failure stays failed', async () => {
    const { id, calls } = await campaignInFlight(2, 2, { max_attempts: 1 });
    await act(id, 'cancel', min(1));
    expect(await outcome(calls[0]!, 'completed', min(2))).toMatchObject({ call_status: 'completed' });
    expect(await outcome(calls[1]!, 'no_answer', min(3))).toMatchObject({ call_status: 'failed' });
    const [campaign] = await db.current.sql`select status from campaigns where id = ${id}`;
    expect(campaign!.status).toBe('cancelled');
  });

  it('paused, a retry is queued; cancelled next, that retry is cancelled; a late outcome changes nothing', async () => {
    const { id, calls } = await campaignInFlight(2, 2);
    await act(id, 'pause', min(1));
    expect(await outcome(calls[0]!, 'no_answer', min(2))).toMatchObject({ call_status: 'queued' });
    expect(await call(calls[0]!)).toMatchObject({ status: 'queued', next_attempt_at: min(62) });
    expect(await act(id, 'cancel', min(3))).toMatchObject({ status: 'cancelled', stats: { cancelled: 1, dialing: 1 } });
    expect(await outcome(calls[1]!, 'busy', min(4))).toMatchObject({ call_status: 'cancelled' });
    expect(await outcome(calls[0]!, 'completed', min(5))).toMatchObject({ result: 'stale' });
    expect(await callStatuses(db.current.sql, id)).toEqual({ cancelled: 2 });
  });
});

describe('pause during the last call (item 4)', () => {
  it('stays paused when the last call ends, and completes on resume', async () => {
    const { id, calls } = await campaignInFlight(1, 1);
    await act(id, 'pause', min(1));
    expect(await outcome(calls[0]!, 'completed', min(2))).toMatchObject({ call_status: 'completed' });
    const [paused] = await db.current.sql`select status from campaigns where id = ${id}`;
    expect(paused!.status).toBe('paused');
    expect(await act(id, 'resume', min(3))).toMatchObject({ status: 'completed', completed_at: min(3).toISOString() });
  });

  it('resumes to active when a retry is pending, and completes when that retry ends', async () => {
    const { id, calls } = await campaignInFlight(1, 1, { max_attempts: 2, retry_delay_minutes: 0 });
    await act(id, 'pause', min(1));
    await outcome(calls[0]!, 'no_answer', min(2));
    expect(await act(id, 'resume', min(3))).toMatchObject({ status: 'active', stats: { queued: 1 } });
  });

  it('a paused campaign with a call still in flight resumes to active and completes at that outcome', async () => {
    const { id, calls } = await campaignInFlight(1, 1);
    await act(id, 'pause', min(1));
    expect(await act(id, 'resume', min(2))).toMatchObject({ status: 'active' });
    await outcome(calls[0]!, 'completed', min(3));
    const [row] = await db.current.sql`select status from campaigns where id = ${id}`;
    expect(row!.status).toBe('completed');
  });

  it('an empty campaign resumes to active: it is waiting for contacts, not done', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: AUTH, payload: campaignBody() });
    const id = json(res).data.id as string;
    await act(id, 'pause', min(1));
    expect(await act(id, 'resume', min(2))).toMatchObject({ status: 'active' });
  });
});
