// A call the provider accepted and then did not start because of its own
// concurrency limit (Retell `concurrency_limit_reached`, Vapi
// `call.start.error-subscription-concurrency-limit-reached`) is a refusal of
// that attempt, not a failed call (issue 12). Through the real routes on a real
// database, each callback signed as its provider documents: the attempt ends
// `refused`, the contact is queued again after a backoff (30 s doubling, at most
// 10 min) whatever retry_on says, refused attempts do not use up max_attempts,
// the 10th refusal in a row fails the contact, a cancelled campaign cancels it.
// Every test ends with the database check (`wakeplan check`) finding nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { checkConsistency } from '@wakeplan/db';
import { markDialing } from '@wakeplan/db/testing';
import { retellSignature } from '@wakeplan/providers';
import { AUTH, campaignBody, json, phoneNumber, useTestApi } from './helpers.ts';

const RETELL_KEY = 'key_retell_test';
const VAPI_SECRET = 'vapi-webhook-secret';
const AT = new Date('2026-03-02T15:00:00Z'); // Monday 10:00 New York: inside 09:00–17:00
const { db, api } = useTestApi({
  env: { RETELL_API_KEY: RETELL_KEY, VAPI_WEBHOOK_SECRET: VAPI_SECRET },
  truncate: ['campaigns', 'calls', 'call_attempts', 'provider_events'],
});
const sec = (n: number) => new Date(AT.getTime() + n * 1000);

afterEach(async () => {
  expect(await checkConsistency(db.current.sql, api.clock.now())).toEqual([]);
});

/** A campaign of one contact (over the API), claimed for its first attempt. */
async function contactInFlight(extra: Record<string, unknown> = {}): Promise<{ campaignId: string; callId: string }> {
  api.clock.set(AT);
  const res = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: AUTH, payload: campaignBody({ contacts: [{ phone: phoneNumber(0) }], ...extra }) });
  expect(res.statusCode).toBe(201);
  const campaignId = json(res).data.id as string;
  const [row] = await db.current.sql<{ id: string }[]>`select id from calls where campaign_id = ${campaignId}`;
  await claim(row!.id, AT);
  return { campaignId, callId: row!.id };
}

/** What the worker's claim does: the contact goes dialing on its next attempt. */
async function claim(callId: string, at: Date): Promise<number> {
  await markDialing(db.current.sql, [callId], at, new Date(at.getTime() + 30 * 60_000));
  return (await call(callId)).attempt as number;
}

/** Retell's call_ended for (callId, attempt), signed with the API key, at `at`. */
async function retellEnded(callId: string, attempt: number, reason: string, at: Date) {
  api.clock.set(at);
  const raw = JSON.stringify({
    event: 'call_ended',
    call: {
      call_id: `retell-${attempt}`, disconnection_reason: reason, start_timestamp: at.getTime(), end_timestamp: at.getTime(),
      metadata: { wakeplan_call_id: callId, wakeplan_attempt: String(attempt) },
    },
  });
  const res = await api.app.inject({
    method: 'POST', url: '/api/provider/retell', payload: raw,
    headers: { 'content-type': 'application/json', 'x-retell-signature': `v=${at.getTime()},d=${retellSignature(RETELL_KEY, raw, at.getTime())}` },
  });
  expect(res.statusCode).toBe(200);
  return json(res).data;
}

async function call(id: string) {
  const [row] = await db.current.sql`select status, attempt, next_attempt_at, last_outcome from calls where id = ${id}`;
  return row!;
}
async function attemptStatuses(id: string): Promise<string[]> {
  const rows = await db.current.sql<{ status: string }[]>`select status from call_attempts where call_id = ${id} order by attempt`;
  return rows.map((r) => r.status);
}

describe('a provider refusal (concurrency limit reached)', () => {
  it('ends the attempt refused and queues the contact after 30 s, even when retry_on does not list failures', async () => {
    const { callId } = await contactInFlight({ retry_on: ['busy'], max_attempts: 1 });
    expect(await retellEnded(callId, 1, 'concurrency_limit_reached', sec(5))).toEqual({ result: 'applied', call_status: 'queued' });
    expect(await call(callId)).toMatchObject({ status: 'queued', attempt: 1, last_outcome: 'refused', next_attempt_at: sec(35) });
    const [attempt] = await db.current.sql`select status, ended_reason from call_attempts where call_id = ${callId} and attempt = 1`;
    expect(attempt).toMatchObject({ status: 'refused', ended_reason: 'concurrency_limit_reached' });
  });

  it('backs off 30 s, 60 s, 120 s … capped at 10 minutes, over consecutive refusals', async () => {
    const { callId } = await contactInFlight();
    let at = sec(0);
    const waits: number[] = [];
    for (let n = 1; n <= 8; n++) {
      const attempt = n === 1 ? 1 : await claim(callId, at);
      await retellEnded(callId, attempt, 'concurrency_limit_reached', at);
      const next = (await call(callId)).next_attempt_at as Date;
      waits.push((next.getTime() - at.getTime()) / 1000);
      at = next;
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 600, 600, 600]);
  });

  it('does not use up max_attempts: refused, refused, no_answer, busy with max_attempts 2 → the busy ends it', async () => {
    const { callId } = await contactInFlight({ max_attempts: 2, retry_on: ['no_answer', 'busy'], retry_delay_minutes: 1 });
    await retellEnded(callId, 1, 'concurrency_limit_reached', sec(1));
    await retellEnded(callId, await claim(callId, sec(40)), 'concurrency_limit_reached', sec(41));
    expect(await retellEnded(callId, await claim(callId, sec(120)), 'dial_no_answer', sec(150))).toEqual({ result: 'applied', call_status: 'queued' });
    expect(await call(callId)).toMatchObject({ status: 'queued', attempt: 3, last_outcome: 'no_answer', next_attempt_at: sec(210) });
    expect(await retellEnded(callId, await claim(callId, sec(300)), 'dial_busy', sec(310))).toEqual({ result: 'applied', call_status: 'failed' });
    expect(await attemptStatuses(callId)).toEqual(['refused', 'refused', 'no_answer', 'busy']);
  });

  it('a refusal after a counted attempt starts the backoff again at 30 s', async () => {
    const { callId } = await contactInFlight({ max_attempts: 3, retry_delay_minutes: 1 });
    await retellEnded(callId, 1, 'concurrency_limit_reached', sec(0));
    await retellEnded(callId, await claim(callId, sec(30)), 'concurrency_limit_reached', sec(30));
    await retellEnded(callId, await claim(callId, sec(90)), 'dial_no_answer', sec(100));
    await retellEnded(callId, await claim(callId, sec(200)), 'concurrency_limit_reached', sec(200));
    expect(await call(callId)).toMatchObject({ status: 'queued', attempt: 4, next_attempt_at: sec(230) });
  });

  it('fails the contact at the 10th refusal in a row, with last_outcome refused', async () => {
    const { campaignId, callId } = await contactInFlight();
    let at = sec(0);
    for (let n = 1; n <= 10; n++) {
      const attempt = n === 1 ? 1 : await claim(callId, at);
      const result = await retellEnded(callId, attempt, 'concurrency_limit_reached', at);
      expect(result.call_status).toBe(n < 10 ? 'queued' : 'failed');
      at = new Date(at.getTime() + 600_000);
    }
    expect(await call(callId)).toMatchObject({ status: 'failed', attempt: 10, last_outcome: 'refused', next_attempt_at: null });
    const [campaign] = await db.current.sql`select status from campaigns where id = ${campaignId}`;
    expect(campaign).toMatchObject({ status: 'completed' });
  });

  it('in a cancelled campaign cancels the contact instead of queuing it', async () => {
    const { campaignId, callId } = await contactInFlight();
    api.clock.set(sec(1));
    expect((await api.app.inject({ method: 'POST', url: `/api/campaigns/${campaignId}/cancel`, headers: AUTH })).statusCode).toBe(200);
    expect(await retellEnded(callId, 1, 'concurrency_limit_reached', sec(2))).toEqual({ result: 'applied', call_status: 'cancelled' });
    expect(await call(callId)).toMatchObject({ status: 'cancelled', last_outcome: 'refused', next_attempt_at: null });
    expect(await attemptStatuses(callId)).toEqual(['refused']);
  });

  it('maps Vapi call.start.error-subscription-concurrency-limit-reached to the same refusal', async () => {
    const { callId } = await contactInFlight();
    api.clock.set(sec(3));
    const res = await api.app.inject({
      method: 'POST', url: '/api/provider/vapi', headers: { 'content-type': 'application/json', authorization: `Bearer ${VAPI_SECRET}` },
      payload: JSON.stringify({ message: {
        type: 'end-of-call-report', endedReason: 'call.start.error-subscription-concurrency-limit-reached', timestamp: sec(3).getTime(),
        call: { id: 'vapi-1', assistantOverrides: { metadata: { wakeplan_call_id: callId, wakeplan_attempt: '1' } } },
      } }),
    });
    expect(res.statusCode).toBe(200);
    expect(await call(callId)).toMatchObject({ status: 'queued', attempt: 1, last_outcome: 'refused', next_attempt_at: sec(33) });
  });
});
