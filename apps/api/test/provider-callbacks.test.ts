// The real providers' callback routes through the real app on a real database,
// each request signed exactly as its provider documents (PROVIDERS.md): Twilio's
// X-Twilio-Signature over the public URL and form parameters, Vapi's bearer
// credential or HMAC, Retell's x-retell-signature, Bolna's path token. Every
// refusal (bad signature, stale timestamp, wrong token, unknown call) is
// checked to record nothing.
import { createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { insertCampaign, insertContacts, markDialing } from '@wakeplan/db/testing';
import { retellSignature, twilioSignature } from '@wakeplan/providers';
import { AUTH, json, startApi, useTestApi } from './helpers.ts';

const AT = new Date('2026-03-02T15:00:00Z');
const PUBLIC_URL = 'https://wakeplan.example.com';
const TWILIO_TOKEN = 'twilio-auth-token';
const VAPI_SECRET = 'vapi-webhook-secret';
const RETELL_KEY = 'key_retell_test';
const BOLNA_TOKEN = 'bolna-token-0123456789';
const { db, api } = useTestApi({
  env: { PUBLIC_URL, TWILIO_AUTH_TOKEN: TWILIO_TOKEN, VAPI_WEBHOOK_SECRET: VAPI_SECRET, RETELL_API_KEY: RETELL_KEY, BOLNA_WEBHOOK_TOKEN: BOLNA_TOKEN },
  truncate: ['campaigns', 'calls', 'call_attempts', 'provider_events'],
});
let campaignId = '';
const UNKNOWN_CALL = '00000000-0000-4000-8000-000000000000';

beforeEach(async () => {
  api.clock.set(AT);
  campaignId = await insertCampaign(db.current.sql, { timezone: 'UTC', first_call_time: '00:00', last_call_time: '00:00', max_concurrent_calls: 5 }, AT);
});

async function claimedCall(providerCallId?: string): Promise<string> {
  const [callId] = await insertContacts(db.current.sql, campaignId, 1, AT);
  await markDialing(db.current.sql, [callId!], AT, new Date(AT.getTime() + 30 * 60_000));
  if (providerCallId) await db.current.sql`update call_attempts set provider_call_id = ${providerCallId} where call_id = ${callId!}`;
  return callId!;
}

async function state(callId: string) {
  const [call] = await db.current.sql`select status, attempt, last_outcome from calls where id = ${callId}`;
  const [attempt] = await db.current.sql`
    select status, duration_seconds, provider_call_id, ended_reason, recording_url, transcript from call_attempts where call_id = ${callId} and attempt = 1`;
  const [counted] = await db.current.sql<{ events: number }[]>`select count(*)::int as events from provider_events where call_id = ${callId}`;
  return { call, attempt, events: counted!.events };
}

describe('POST /api/provider/twilio/status', () => {
  const path = (callId: string) => `/api/provider/twilio/status?call_id=${callId}&attempt=1`;
  function postTwilio(callId: string, fields: Record<string, string>, o: { token?: string; url?: string } = {}) {
    const params = new URLSearchParams(fields);
    const signature = twilioSignature(o.token ?? TWILIO_TOKEN, o.url ?? `${PUBLIC_URL}${path(callId)}`, params).toString('base64');
    return api.app.inject({
      method: 'POST', url: path(callId), payload: params.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    });
  }

  it('applies a signed completed status, with duration and recording, signed over PUBLIC_URL', async () => {
    const callId = await claimedCall();
    const res = await postTwilio(callId, { CallSid: 'CA1', CallStatus: 'completed', CallDuration: '37', RecordingUrl: 'https://rec/1' });
    expect(res.statusCode).toBe(200);
    expect(json(res).data).toEqual({ result: 'applied', call_status: 'completed' });
    expect(await state(callId)).toMatchObject({
      call: { status: 'completed' },
      attempt: { status: 'completed', duration_seconds: 37, provider_call_id: 'CA1', ended_reason: 'completed', recording_url: 'https://rec/1' },
      events: 1,
    });
    const again = await postTwilio(callId, { CallSid: 'CA1', CallStatus: 'completed', CallDuration: '37' });
    expect(json(again).data).toEqual({ result: 'duplicate' });
  });

  it('maps a machine answer to voicemail and ringing to progress; queued is ignored', async () => {
    const callId = await claimedCall();
    expect(json(await postTwilio(callId, { CallSid: 'CA2', CallStatus: 'initiated' })).data.result).toBe('ignored');
    expect(json(await postTwilio(callId, { CallSid: 'CA2', CallStatus: 'ringing' })).data).toEqual({ result: 'applied', call_status: 'in_progress' });
    await postTwilio(callId, { CallSid: 'CA2', CallStatus: 'completed', AnsweredBy: 'machine_end_beep', CallDuration: '12' });
    expect((await state(callId)).attempt).toMatchObject({ status: 'voicemail' });
  });

  it.each([
    ['a wrong auth token', { token: 'not-the-token' }],
    ['a signature over another URL', { url: `https://elsewhere.example.com/api/provider/twilio/status` }],
  ])('refuses %s with 401 and records nothing', async (_name, o) => {
    const callId = await claimedCall();
    const res = await postTwilio(callId, { CallSid: 'CA3', CallStatus: 'completed' }, o);
    expect(res.statusCode).toBe(401);
    expect(json(res).error.code).toBe('UNAUTHORIZED');
    expect(await state(callId)).toMatchObject({ call: { status: 'dialing' }, events: 0 });
  });

  it('answers 404 for an unknown call and 422 for an unknown status, recording nothing', async () => {
    expect((await postTwilio(UNKNOWN_CALL, { CallSid: 'CA4', CallStatus: 'completed' })).statusCode).toBe(404);
    const callId = await claimedCall();
    expect((await postTwilio(callId, { CallSid: 'CA4', CallStatus: 'exploded' })).statusCode).toBe(422);
    const [counted] = await db.current.sql<{ n: number }[]>`select count(*)::int as n from provider_events`;
    expect(counted!.n).toBe(0);
  });
});

describe('POST /api/provider/vapi', () => {
  const report = (callId: string, endedReason: string) => ({
    message: {
      type: 'end-of-call-report', endedReason, timestamp: AT.getTime(),
      startedAt: '2026-03-02T14:58:00.000Z', endedAt: '2026-03-02T14:59:30.000Z',
      artifact: { transcript: 'AI: hello', recordingUrl: 'https://vapi/rec.wav' },
      call: { id: 'vapi-call-1', assistantOverrides: { metadata: { wakeplan_call_id: callId, wakeplan_attempt: '1', wakeplan_key: `${callId}:1` } } },
    },
  });
  const postVapi = (body: unknown, headers: Record<string, string>) => api.app.inject({
    method: 'POST', url: '/api/provider/vapi', payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers },
  });

  it('applies an end-of-call-report with a bearer credential: endedReason, duration, transcript', async () => {
    const callId = await claimedCall();
    const res = await postVapi(report(callId, 'customer-did-not-answer'), { authorization: `Bearer ${VAPI_SECRET}` });
    expect(res.statusCode).toBe(200);
    expect(await state(callId)).toMatchObject({
      call: { status: 'queued', last_outcome: 'no_answer' },
      attempt: { status: 'no_answer', duration_seconds: 90, ended_reason: 'customer-did-not-answer', transcript: 'AI: hello', recording_url: 'https://vapi/rec.wav' },
    });
    // what the provider reported is what the results and their export show
    const results = await api.app.inject({ method: 'GET', url: `/api/campaigns/${campaignId}/calls`, headers: AUTH });
    expect(json(results).data.calls[0]).toMatchObject({
      id: callId, last_outcome: 'no_answer', duration_seconds: 90, ended_reason: 'customer-did-not-answer', recording_url: 'https://vapi/rec.wav', transcript: 'AI: hello',
    });
    const csv = await api.app.inject({ method: 'GET', url: `/api/campaigns/${campaignId}/calls.csv`, headers: AUTH });
    expect(csv.body).toContain('"customer-did-not-answer","https://vapi/rec.wav","AI: hello"');
  });

  it('accepts the HMAC credential within 5 minutes and refuses it stale or tampered', async () => {
    const callId = await claimedCall();
    const raw = JSON.stringify(report(callId, 'customer-ended-call'));
    const sign = (ts: number, body = raw) => ({ 'x-timestamp': String(ts), 'x-signature': createHmac('sha256', VAPI_SECRET).update(`${ts}.${body}`).digest('hex') });
    const stale = await api.app.inject({ method: 'POST', url: '/api/provider/vapi', payload: raw, headers: { 'content-type': 'application/json', ...sign(AT.getTime() - 6 * 60_000) } });
    expect(stale.statusCode).toBe(401);
    const tampered = await api.app.inject({ method: 'POST', url: '/api/provider/vapi', payload: raw.replace('customer-ended-call', 'customer-busy'), headers: { 'content-type': 'application/json', ...sign(AT.getTime()) } });
    expect(tampered.statusCode).toBe(401);
    expect((await state(callId)).events).toBe(0);
    const good = await api.app.inject({ method: 'POST', url: '/api/provider/vapi', payload: raw, headers: { 'content-type': 'application/json', ...sign(AT.getTime()) } });
    expect(json(good).data).toEqual({ result: 'applied', call_status: 'completed' });
  });

  it('refuses a wrong secret (401), an unhandled type (422), an unknown call (404)', async () => {
    const callId = await claimedCall();
    expect((await postVapi(report(callId, 'voicemail'), { authorization: 'Bearer wrong' })).statusCode).toBe(401);
    expect((await postVapi({ message: { type: 'transcript', call: { id: 'x' } } }, { 'x-vapi-secret': VAPI_SECRET })).statusCode).toBe(422);
    expect((await postVapi(report(UNKNOWN_CALL, 'voicemail'), { 'x-vapi-secret': VAPI_SECRET })).statusCode).toBe(404);
    expect(await state(callId)).toMatchObject({ call: { status: 'dialing' }, events: 0 });
  });
});

describe('POST /api/provider/retell', () => {
  const ended = (callId: string, reason: string) => ({
    event: 'call_ended',
    call: {
      call_id: 'retell-1', disconnection_reason: reason, duration_ms: 61_400, start_timestamp: AT.getTime() - 61_400, end_timestamp: AT.getTime(),
      recording_url: 'https://retell/rec.wav', transcript: 'Agent: hi', metadata: { wakeplan_call_id: callId, wakeplan_attempt: '1' },
    },
  });
  function postRetell(body: unknown, o: { at?: number; key?: string; payload?: string } = {}) {
    const raw = JSON.stringify(body);
    const ts = o.at ?? AT.getTime();
    return api.app.inject({
      method: 'POST', url: '/api/provider/retell', payload: o.payload ?? raw,
      headers: { 'content-type': 'application/json', 'x-retell-signature': `v=${ts},d=${retellSignature(o.key ?? RETELL_KEY, raw, ts)}` },
    });
  }

  it('applies call_started then call_ended with its disconnection reason, duration and transcript', async () => {
    const callId = await claimedCall();
    expect(json(await postRetell({ event: 'call_started', call: ended(callId, 'x').call })).data).toEqual({ result: 'applied', call_status: 'in_progress' });
    expect(json(await postRetell(ended(callId, 'user_hangup'))).data).toEqual({ result: 'applied', call_status: 'completed' });
    expect((await state(callId)).attempt).toMatchObject({ status: 'completed', duration_seconds: 61, ended_reason: 'user_hangup', transcript: 'Agent: hi' });
  });

  it.each([
    ['a stale timestamp (a replay after 5 minutes)', { at: AT.getTime() - 5 * 60_000 - 1 }],
    ['another key', { key: 'key_other' }],
    ['a tampered body', { payload: '{"event":"call_ended","call":{}}' }],
  ])('refuses %s with 401 and records nothing', async (_name, o) => {
    const callId = await claimedCall();
    const res = await postRetell(ended(callId, 'dial_busy'), o);
    expect(res.statusCode).toBe(401);
    expect(await state(callId)).toMatchObject({ call: { status: 'dialing' }, events: 0 });
  });
});

describe('POST /api/provider/bolna/:token', () => {
  const execution = (status: string, extra: Record<string, unknown> = {}) => ({
    id: 'exec-1', status, conversation_duration: 45, updated_at: AT.toISOString(),
    telephony_data: { to_number: '+15550000001', recording_url: 'https://bolna/rec.mp3', hangup_reason: 'normal' }, ...extra,
  });
  const postBolna = (body: unknown, token = BOLNA_TOKEN) => api.app.inject({
    method: 'POST', url: `/api/provider/bolna/${token}`, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' },
  });

  it('finds the attempt by execution id; call-disconnected is not final, completed is', async () => {
    const callId = await claimedCall('exec-1');
    expect(json(await postBolna(execution('call-disconnected'))).data).toEqual({ result: 'applied', call_status: 'in_progress' });
    expect((await state(callId)).call).toMatchObject({ status: 'in_progress' });
    expect(json(await postBolna(execution('completed'))).data).toEqual({ result: 'applied', call_status: 'completed' });
    expect((await state(callId)).attempt).toMatchObject({ status: 'completed', duration_seconds: 45, recording_url: 'https://bolna/rec.mp3', ended_reason: 'normal' });
  });

  it.each([
    ['answered by voicemail', { answered_by_voice_mail: true }, 'voicemail'],
    ['completed with zero duration', { conversation_duration: 0 }, 'no_answer'],
  ])('maps completed %s', async (_name, extra, expected) => {
    const callId = await claimedCall('exec-1');
    await postBolna(execution('completed', extra));
    expect((await state(callId)).attempt).toMatchObject({ status: expected });
  });

  it('refuses a wrong token with 403, an unknown execution with 404, recording nothing', async () => {
    const callId = await claimedCall('exec-1');
    const wrong = await postBolna(execution('completed'), 'bolna-token-0123456780');
    expect(wrong.statusCode).toBe(403);
    expect(json(wrong).error.code).toBe('FORBIDDEN');
    expect((await postBolna({ ...execution('completed'), id: 'exec-unknown' })).statusCode).toBe(404);
    expect((await postBolna({ id: 'exec-1', status: 'teleported' })).statusCode).toBe(422);
    expect(await state(callId)).toMatchObject({ call: { status: 'dialing' }, events: 0 });
  });
});

describe('behind a proxy, and the signed-webhook bucket', () => {
  it('without PUBLIC_URL, checks the Twilio signature over the forwarded scheme and host (TRUST_PROXY)', async () => {
    const proxied = await startApi(db.current, { TRUST_PROXY: 'true', TWILIO_AUTH_TOKEN: TWILIO_TOKEN });
    try {
      proxied.clock.set(AT);
      const callId = await claimedCall();
      const path = `/api/provider/twilio/status?call_id=${callId}&attempt=1`;
      const params = new URLSearchParams({ CallSid: 'CA7', CallStatus: 'busy' });
      const signature = twilioSignature(TWILIO_TOKEN, `https://wakeplan.up.railway.app${path}`, params).toString('base64');
      const post = (headers: Record<string, string>) => proxied.app.inject({
        method: 'POST', url: path, payload: params.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, ...headers },
      });
      expect((await post({})).statusCode).toBe(401);
      const res = await post({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'wakeplan.up.railway.app' });
      expect(res.statusCode).toBe(200);
      expect((await state(callId)).attempt).toMatchObject({ status: 'busy' });
    } finally {
      await proxied.close();
    }
  });

  it('counts authenticated callbacks against PROVIDER_EVENTS_PER_MINUTE, bad credentials against the caller', async () => {
    const limited = await startApi(db.current, { PROVIDER_EVENTS_PER_MINUTE: '1', RATE_LIMIT_PER_MINUTE: '2', BOLNA_WEBHOOK_TOKEN: BOLNA_TOKEN });
    try {
      const post = (token: string) => limited.app.inject({
        method: 'POST', url: `/api/provider/bolna/${token}`, payload: '{"id":"exec-77","status":"queued"}', headers: { 'content-type': 'application/json' },
      });
      expect((await post(BOLNA_TOKEN)).statusCode).toBe(404);
      expect((await post(BOLNA_TOKEN)).statusCode).toBe(429);
      expect((await post('wrong-token-000000')).statusCode).toBe(403);
      expect((await post('wrong-token-000000')).statusCode).toBe(403);
      expect((await post('wrong-token-000000')).statusCode).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

it('takes form bodies on the Twilio route only: the JSON routes answer 415', async () => {
  const res = await api.app.inject({ method: 'POST', url: '/api/provider/vapi', payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${VAPI_SECRET}` } });
  expect(res.statusCode).toBe(415);
  const events = await api.app.inject({ method: 'POST', url: '/api/provider/events', payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(events.statusCode).toBe(415);
});
