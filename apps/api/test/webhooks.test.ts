// Outbound webhooks through the real app, a real database and a real HTTP
// receiver: registration and its 4xx, secrets shown once, events written by the
// change's own transaction and sent by the API right after the commit (signed
// with the webhook's secret), failures visible in the delivery log, failed after
// 24 hours, keyset pages.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signedHeaders, verifySignedBody, type WebhookEventBody } from '@wakeplan/contract';
import { insertCampaign, insertContacts, markDialing, waitFor } from '@wakeplan/db/testing';
import { AUTH, json, useTestApi } from './helpers.ts';

const PROVIDER_SECRET = 'events-secret';
const AT = new Date('2026-03-02T15:00:00Z');
const { db, api } = useTestApi({
  env: { PROVIDER_EVENTS_SECRET: PROVIDER_SECRET },
  truncate: ['campaigns', 'calls', 'call_attempts', 'provider_events', 'webhook_subscriptions', 'outbox_events', 'webhook_deliveries'],
});

interface Received { body: WebhookEventBody; raw: string; timestamp: string; signature: string }
let server: Server;
let receiverUrl = '';
let answer = 204;
let received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      if (answer < 300) {
        received.push({ body: JSON.parse(raw) as WebhookEventBody, raw,
          timestamp: req.headers['x-wakeplan-timestamp'] as string, signature: req.headers['x-wakeplan-signature'] as string });
      }
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  api.clock.set(AT);
  answer = 204;
  received = [];
});

const register = (payload: unknown) => api.app.inject({ method: 'POST', url: '/api/webhooks', headers: AUTH, payload: payload as object });
const get = (url: string) => api.app.inject({ method: 'GET', url, headers: AUTH });

async function claimedCall(): Promise<{ campaignId: string; callId: string }> {
  const campaignId = await insertCampaign(db.current.sql, { timezone: 'UTC', first_call_time: '00:00', last_call_time: '00:00' }, AT);
  const [callId] = await insertContacts(db.current.sql, campaignId, 1, AT);
  await markDialing(db.current.sql, [callId!], AT, new Date(AT.getTime() + 30 * 60_000));
  return { campaignId, callId: callId! };
}

function providerEvent(callId: string, status: string) {
  const raw = JSON.stringify({ call_id: callId, attempt: 1, status, occurred_at: AT.toISOString(), provider_call_id: 'pc-1', duration_seconds: 42 });
  return api.app.inject({
    method: 'POST', url: '/api/provider/events', payload: raw,
    headers: { 'content-type': 'application/json', ...signedHeaders(PROVIDER_SECRET, raw, api.clock.now()) },
  });
}

describe('registering webhooks', () => {
  it.each([
    [{ url: 'ftp://example.com/x', events: ['call.completed'] }, 'url', 'must use http or https, not ftp'],
    [{ url: 'not a url', events: ['call.completed'] }, 'url', 'must be an absolute URL'],
    [{ url: 'https://user:pw@example.com/x', events: ['call.completed'] }, 'url', 'must not carry credentials'],
    [{ url: 'https://example.com/x#frag', events: ['call.completed'] }, 'url', 'must not have a #fragment'],
    [{ url: 'https://example.com/x', events: ['call.exploded'] }, 'events', 'call.completed'],
    [{ url: 'https://example.com/x', events: [] }, 'events', ''],
    [{ events: ['call.completed'] }, 'url', ''],
  ])('refuses %j with a 4xx naming the field', async (payload, field, words) => {
    const res = await register(payload);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    const body = json(res);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(body.error.details)).toContain(field);
    expect(body.error.message).toContain(words);
    expect((await db.current.sql`select 1 from webhook_subscriptions`).length).toBe(0);
  });

  it('answers 201 with the secret once; GET never shows it; DELETE removes it', async () => {
    const res = await register({ url: receiverUrl, events: ['call.completed', 'call.completed', 'campaign.paused'] });
    expect(res.statusCode).toBe(201);
    const created = json(res).data;
    expect(created).toMatchObject({ url: receiverUrl, events: ['call.completed', 'campaign.paused'] });
    expect(created.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect(res.headers.location).toBe(`/api/webhooks/${created.id}`);
    const one = json(await get(`/api/webhooks/${created.id}`)).data;
    expect(one).toEqual({ id: created.id, url: receiverUrl, events: created.events, created_at: AT.toISOString() });
    expect(json(await get('/api/webhooks')).data.webhooks).toEqual([one]);
    expect((await api.app.inject({ method: 'DELETE', url: `/api/webhooks/${created.id}`, headers: AUTH })).statusCode).toBe(200);
    expect((await get(`/api/webhooks/${created.id}`)).statusCode).toBe(404);
    expect((await get(`/api/webhooks/${created.id}/deliveries`)).statusCode).toBe(404);
  });
});

describe('events sent by the API right after the commit', () => {
  it('sends call.attempt_ended then call.completed, signed with the secret, and campaign.paused after a pause', async () => {
    const { secret } = json(await register({ url: receiverUrl, events: ['call.attempt_ended', 'call.completed', 'campaign.completed', 'campaign.paused'] })).data;
    const { callId } = await claimedCall();
    expect((await providerEvent(callId, 'completed')).statusCode).toBe(200);
    await waitFor(() => received.length >= 3, 'three events delivered');
    const callEvents = received.filter((r) => r.body.type.startsWith('call.'));
    expect(callEvents.map((r) => r.body.type)).toEqual(['call.attempt_ended', 'call.completed']); // in order per call
    expect(received.map((r) => r.body.type)).toContain('campaign.completed');
    expect(callEvents[1]!.body.data).toMatchObject({ call_id: callId, status: 'completed', outcome: 'completed', provider_call_id: 'pc-1', duration_seconds: 42 });
    expect(received[0]!.body.created_at).toBe(AT.toISOString());
    for (const r of received) {
      expect(verifySignedBody({ secret, rawBody: r.raw, timestampHeader: r.timestamp, signatureHeader: r.signature, at: AT })).toEqual({ ok: true });
    }
    const other = await insertCampaign(db.current.sql, {}, AT);
    await api.app.inject({ method: 'POST', url: `/api/campaigns/${other}/pause`, headers: AUTH });
    await waitFor(() => received.length >= 4, 'campaign.paused delivered');
    expect(received[3]!.body).toMatchObject({ type: 'campaign.paused', data: { campaign_id: other, status: 'paused' } });
  });

  it('shows failed attempts in the delivery log, retries them, and marks them failed after 24 hours', async () => {
    const { id } = json(await register({ url: receiverUrl, events: ['campaign.paused', 'campaign.resumed'] })).data;
    const campaign = await insertCampaign(db.current.sql, {}, AT);
    answer = 500;
    await api.app.inject({ method: 'POST', url: `/api/campaigns/${campaign}/pause`, headers: AUTH });
    await waitFor(async () => (await db.current.sql`select 1 from webhook_deliveries where attempts > 0 and lease_token is null`).length > 0, 'an attempt');
    const pending = json(await get(`/api/webhooks/${id}/deliveries`)).data;
    expect(pending.deliveries).toHaveLength(1);
    expect(pending.deliveries[0]).toMatchObject({
      event_type: 'campaign.paused', status: 'pending', attempts: 1, last_status_code: 500, last_error: 'answered 500',
      next_attempt_at: new Date(AT.getTime() + 30_000).toISOString(), give_up_at: new Date(AT.getTime() + 86_400_000).toISOString(),
    });
    // a day later the receiver still fails: the next write's after-commit run gives up on it
    api.clock.set(new Date(AT.getTime() + 25 * 3_600_000));
    await api.app.inject({ method: 'POST', url: `/api/campaigns/${campaign}/resume`, headers: AUTH });
    await waitFor(async () => (await db.current.sql`select 1 from webhook_deliveries where status = 'failed'`).length > 0, 'failed');
    const failed = json(await get(`/api/webhooks/${id}/deliveries?status=failed`)).data;
    expect(failed.deliveries).toHaveLength(1);
    expect(failed.deliveries[0]).toMatchObject({ event_type: 'campaign.paused', status: 'failed', attempts: 2, next_attempt_at: null });
  });

  it('pages the delivery log with a cursor, newest first, no row skipped or repeated', async () => {
    const { id } = json(await register({ url: receiverUrl, events: ['campaign.paused', 'campaign.resumed'] })).data;
    const campaign = await insertCampaign(db.current.sql, {}, AT);
    for (let i = 0; i < 5; i++) {
      await api.app.inject({ method: 'POST', url: `/api/campaigns/${campaign}/pause`, headers: AUTH });
      await api.app.inject({ method: 'POST', url: `/api/campaigns/${campaign}/resume`, headers: AUTH });
    }
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { deliveries: { id: string }[]; next_cursor: string | null } =
        json(await get(`/api/webhooks/${id}/deliveries?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).data;
      expect(page.deliveries.length).toBeLessThanOrEqual(3);
      seen.push(...page.deliveries.map((d) => d.id));
      cursor = page.next_cursor;
    }
    expect(seen).toHaveLength(10);
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
    expect((await get(`/api/webhooks/${id}/deliveries?limit=0`)).statusCode).toBe(422);
  });
});
