// POST /api/provider/events through the real app on a real database: HMAC over
// the raw body with PROVIDER_EVENTS_SECRET and a ±5-minute timestamp window (no
// bearer token); the shared outcome logic keyed by (call_id, attempt); one
// call_finished NOTIFY per ended call; the worker's doorbell rung after commit,
// only when an event ended a call.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signedHeaders } from '@wakeplan/contract';
import { createListener, type Sql } from '@wakeplan/db';
import { insertCampaign, insertContacts, markDialing } from '@wakeplan/db/testing';
import { sleep } from '@wakeplan/runtime';
import { json, useTestApi } from './helpers.ts';

const SECRET = 'events-secret';
const AT = new Date('2026-03-02T15:00:00Z');
const { db, api } = useTestApi({ env: { PROVIDER_EVENTS_SECRET: SECRET }, truncate: ['campaigns', 'calls', 'call_attempts', 'provider_events'] });
let listener: Sql;
const notes: string[] = [];
let campaignId = '';

beforeAll(async () => {
  api.clock.set(AT);
  listener = createListener({ url: db.current.url, applicationName: 'test-listener', onnotify: (_channel, p) => void notes.push(p) });
  await listener`listen scheduler_changed`;
});
afterAll(() => listener.end());
beforeEach(async () => {
  api.worker.rings.length = 0;
  notes.length = 0;
  campaignId = await insertCampaign(db.current.sql, { timezone: 'UTC', first_call_time: '00:00', last_call_time: '00:00', max_concurrent_calls: 5 }, AT);
});

/** A contact of the campaign, claimed for attempt 1 as the worker would have. */
async function claimedCall(): Promise<string> {
  const [callId] = await insertContacts(db.current.sql, campaignId, 1, AT);
  await markDialing(db.current.sql, [callId!], AT, new Date(AT.getTime() + 30 * 60_000));
  return callId!;
}

function post(body: unknown, options: { at?: Date; secret?: string; raw?: string; tamper?: boolean } = {}) {
  const raw = options.raw ?? JSON.stringify(body);
  const headers = signedHeaders(options.secret ?? SECRET, raw, options.at ?? AT);
  return api.app.inject({
    method: 'POST', url: '/api/provider/events',
    headers: { 'content-type': 'application/json', ...headers },
    payload: options.tamper ? raw.replace('completed', 'busy') : raw,
  });
}

const event = (callId: string, status: string, attempt = 1) => ({ call_id: callId, attempt, status, occurred_at: AT.toISOString(), provider_call_id: 'pc-9', duration_seconds: 42 });

describe('POST /api/provider/events', () => {
  it('applies a signed outcome without a bearer token, sends one call_finished and rings the doorbell', async () => {
    const callId = await claimedCall();
    const res = await post(event(callId, 'completed'));
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ success: true, data: { result: 'applied', call_status: 'completed' } });
    const [call] = await db.current.sql`select status, provider_call_id from calls where id = ${callId}`;
    expect(call).toEqual({ status: 'completed', provider_call_id: 'pc-9' });
    await expect.poll(() => api.worker.rings.length).toBe(1);
    await expect.poll(() => notes.length).toBe(1);
    await sleep(100);
    expect(notes).toHaveLength(1); // the outcome logic's; the route only rings the doorbell
    expect(JSON.parse(notes[0]!)).toMatchObject({ kind: 'call_finished', call_id: callId, campaign_id: campaignId });
  });

  it('answers duplicates and stale events with 200 and changes nothing; a progress event rings nobody', async () => {
    const callId = await claimedCall();
    expect(json(await post(event(callId, 'ringing'))).data).toEqual({ result: 'applied', call_status: 'in_progress' });
    expect(json(await post(event(callId, 'completed'))).data.result).toBe('applied');
    expect(json(await post(event(callId, 'completed'))).data).toEqual({ result: 'duplicate' });
    const stale = json(await post(event(callId, 'in_progress')));
    expect(stale.data.result).toBe('stale');
    expect(stale.data.reason).toMatch(/already ended as completed/);
    await expect.poll(() => api.worker.rings.length).toBe(1);
    const [counted] = await db.current.sql<{ n: number }[]>`select count(*)::int as n from provider_events`;
    expect(counted?.n).toBe(4);
  });

  it('rejects a missing, wrong or tampered signature, and a timestamp outside 5 minutes, with 401', async () => {
    const callId = await claimedCall();
    const unsigned = await api.app.inject({ method: 'POST', url: '/api/provider/events', payload: event(callId, 'completed') });
    expect(unsigned.statusCode).toBe(401);
    expect(json(unsigned).error.code).toBe('UNAUTHORIZED');
    expect((await post(event(callId, 'completed'), { secret: 'wrong' })).statusCode).toBe(401);
    expect((await post(event(callId, 'completed'), { tamper: true })).statusCode).toBe(401);
    expect((await post(event(callId, 'completed'), { at: new Date(AT.getTime() - 301_000) })).statusCode).toBe(401);
    expect((await post(event(callId, 'completed'), { at: new Date(AT.getTime() + 301_000) })).statusCode).toBe(401);
    expect((await post(event(callId, 'completed'), { at: new Date(AT.getTime() - 290_000) })).statusCode).toBe(200);
  });

  it('validates a signed body: 422 for a bad event, 400 for bad JSON, 404 for an unknown call', async () => {
    const bad = await post({ call_id: 'nope', attempt: 0, status: 'hung_up', occurred_at: 'x', duration_seconds: -1 });
    expect(bad.statusCode).toBe(422);
    expect(json(bad).error.code).toBe('VALIDATION_FAILED');
    // Every problem at once, each naming its field.
    expect(json(bad).error.details.map((d: { field: string }) => d.field).sort())
      .toEqual(['attempt', 'call_id', 'duration_seconds', 'occurred_at', 'status']);
    const notJson = await post(null, { raw: '{"call_id":' });
    expect(notJson.statusCode).toBe(400);
    const unknown = await post(event('00000000-0000-4000-8000-000000000000', 'completed'));
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).error.code).toBe('NOT_FOUND');
  });
});
