// The API's GET /metrics, parsed by a real Prometheus text parser: request
// durations by route and status, provider events by result, doorbell rings by
// result, contacts imported, default process metrics; METRICS_TOKEN when set;
// and a scrape never touches the database.
import { describe, expect, it } from 'vitest';
import { signedHeaders } from '@wakeplan/contract';
import { histogramOf, insertContacts, markDialing, parseMetrics, valueOf } from '@wakeplan/db/testing';
import { AUTH, campaignBody, T0, useTestApi } from './helpers.ts';

const SECRET = 'events-secret';
const METRICS_TOKEN = 'metrics-secret';
const { db, api } = useTestApi({ env: { PROVIDER_EVENTS_SECRET: SECRET, METRICS_TOKEN } });

const scrape = async () => {
  const response = await api.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(response.body);
};

function providerEvent(body: unknown) {
  const raw = JSON.stringify(body);
  return api.app.inject({ method: 'POST', url: '/api/provider/events', headers: { 'content-type': 'application/json', ...signedHeaders(SECRET, raw, T0) }, payload: raw });
}

describe('the API\'s /metrics', () => {
  it('needs METRICS_TOKEN when it is set (and not an API token)', async () => {
    for (const authorization of [undefined, AUTH.authorization, 'Bearer wrong']) {
      const r = await api.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
      expect(r.statusCode).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('counts requests, provider events, doorbell rings and imported contacts', async () => {
    api.clock.set(T0);
    const created = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: AUTH, payload: campaignBody() });
    expect(created.statusCode).toBe(201);
    const id = created.json().data.id as string;
    const csv = 'phone\n+12025550101\n+12025550102\nnot-a-phone\n';
    const imported = await api.app.inject({ method: 'POST', url: `/api/campaigns/${id}/contacts?skip_invalid=true`, headers: { ...AUTH, 'content-type': 'text/csv' }, payload: csv });
    expect(imported.statusCode).toBe(200);
    expect(imported.json().data.imported).toBe(2);
    const [callId] = await insertContacts(db.current.sql, id, 1, T0);
    await markDialing(db.current.sql, [callId!], T0, new Date(T0.getTime() + 30 * 60_000));
    const event = { call_id: callId, attempt: 1, status: 'completed', occurred_at: T0.toISOString(), provider_call_id: 'pc-1', duration_seconds: 30 };
    expect((await providerEvent(event)).json().data.result).toBe('applied');
    expect((await providerEvent(event)).json().data.result).toBe('duplicate');
    const unsigned = await api.app.inject({ method: 'POST', url: '/api/provider/events', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(event) });
    expect(unsigned.statusCode).toBe(401);
    await expect.poll(() => api.worker.rings.length).toBeGreaterThanOrEqual(3);

    await expect.poll(async () => valueOf(await scrape(), 'wakeplan_api_doorbell_rings_total', { result: 'rung' })).toBeGreaterThanOrEqual(3);
    const m = await scrape();
    const posts = histogramOf(m, 'wakeplan_api_request_duration_seconds', { route: '/api/campaigns/:id/contacts', method: 'POST', status: '200' });
    expect(posts.count).toBe(1);
    expect(posts.buckets['+Inf']).toBe(1);
    expect(posts.sum).toBeGreaterThan(0);
    expect(histogramOf(m, 'wakeplan_api_request_duration_seconds', { route: '/api/campaigns', method: 'POST', status: '201' }).count).toBe(1);
    expect(valueOf(m, 'wakeplan_api_provider_events_total', { result: 'applied' })).toBe(1);
    expect(valueOf(m, 'wakeplan_api_provider_events_total', { result: 'duplicate' })).toBe(1);
    expect(valueOf(m, 'wakeplan_api_provider_events_total', { result: 'rejected_401' })).toBe(1);
    expect(valueOf(m, 'wakeplan_api_contacts_imported_total', { source: 'csv' })).toBe(2);
    expect(m.types.get('process_cpu_user_seconds_total')).toBe('COUNTER');
    expect(m.types.get('nodejs_eventloop_lag_seconds')).toBe('GAUGE');
  });

  it('a scrape runs no statement', async () => {
    await api.app.inject({ method: 'GET', url: '/api/campaigns', headers: AUTH });
    const before = api.statements();
    for (let i = 0; i < 5; i++) await scrape();
    expect(api.statements()).toBe(before);
  });
});
