// What a browser frontend on another origin meets: CORS (preflights answered
// without a token, only for the origins in CORS_ORIGINS), 405 with Allow for a
// method a known path does not take, Location on what a POST creates, and the
// exposed headers it may read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@wakeplan/db/testing';
import { loadApiConfig } from '../src/config.ts';
import { AUTH, campaignBody, json, phoneNumber, startApi, type TestApi } from './helpers.ts';

const FRONTEND = 'http://localhost:5173';
const db = useTestDatabase();
let listed: TestApi;
let sameOrigin: TestApi;

beforeAll(async () => {
  listed = await startApi(db.current, { CORS_ORIGINS: `${FRONTEND}, https://app.example.com` });
  sameOrigin = await startApi(db.current);
});
afterAll(async () => {
  await listed.close();
  await sameOrigin.close();
});

const preflight = (api: TestApi, origin: string, method = 'POST') => api.app.inject({
  method: 'OPTIONS', url: '/api/campaigns',
  headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
});

describe('CORS', () => {
  it('answers a preflight from a listed origin without a token, allowing the methods and headers the API takes', async () => {
    const res = await preflight(listed, FRONTEND);
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(FRONTEND);
    expect(String(res.headers['access-control-allow-methods']).split(',').map((m) => m.trim())).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH']));
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toMatch(/authorization.*content-type.*idempotency-key.*if-none-match/);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
  });

  it('lets the listed origin read the answer and the headers a client needs', async () => {
    const res = await listed.app.inject({ method: 'GET', url: '/api/campaigns', headers: { ...AUTH, origin: FRONTEND } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(FRONTEND);
    expect(String(res.headers['access-control-expose-headers']).toLowerCase().split(', ')).toEqual(expect.arrayContaining([
      'etag', 'location', 'x-request-id', 'idempotent-replayed', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset',
    ]));
  });

  it('gives an unlisted origin nothing to read, and by default only the API\'s own origin — a preflight is never a 401', async () => {
    for (const [api, origin] of [[listed, 'https://evil.example'], [sameOrigin, FRONTEND]] as const) {
      const res = await preflight(api, origin);
      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const get = await api.app.inject({ method: 'GET', url: '/api/campaigns', headers: { ...AUTH, origin } });
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('takes * outside production only, and refuses what is not an origin', () => {
    expect(loadApiConfig({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    expect(() => loadApiConfig({ NODE_ENV: 'production', API_TOKENS: 't', DATABASE_URL: 'postgres://db/w', CORS_ORIGINS: '*' }))
      .toThrow(/CORS_ORIGINS must name the allowed origins in production, not "\*"/);
    expect(() => loadApiConfig({ CORS_ORIGINS: 'https://app.example.com/path' })).toThrow(/CORS_ORIGINS must be origins such as/);
    expect(() => loadApiConfig({ CORS_ORIGINS: 'app.example.com' })).toThrow(/CORS_ORIGINS must be origins such as/);
  });
});

describe('methods', () => {
  it('answers a method a known path does not take with 405 and Allow; an unknown path stays 404', async () => {
    const created = json(await sameOrigin.app.inject({ method: 'POST', url: '/api/campaigns', headers: AUTH, payload: campaignBody() })).data;
    const put = await sameOrigin.app.inject({ method: 'PUT', url: `/api/campaigns/${created.id}`, headers: AUTH, payload: {} });
    expect(put.statusCode).toBe(405);
    expect(put.headers.allow).toBe('GET, HEAD, PATCH');
    expect(json(put).error).toMatchObject({ code: 'METHOD_NOT_ALLOWED', message: expect.stringContaining('takes GET, HEAD, PATCH') });
    const deleteHealth = await sameOrigin.app.inject({ method: 'DELETE', url: '/api/scheduler/status', headers: AUTH });
    expect(deleteHealth.statusCode).toBe(405);
    expect(deleteHealth.headers.allow).toBe('GET, HEAD');
    expect((await sameOrigin.app.inject({ method: 'GET', url: '/api/nothing', headers: AUTH })).statusCode).toBe(404);
  });
});

describe('Location', () => {
  it('names what a POST created', async () => {
    const campaign = await sameOrigin.app.inject({ method: 'POST', url: '/api/campaigns', headers: AUTH, payload: campaignBody() });
    expect(campaign.statusCode).toBe(201);
    expect(campaign.headers.location).toBe(`/api/campaigns/${json(campaign).data.id}`);
    expect((await sameOrigin.app.inject({ method: 'GET', url: campaign.headers.location as string, headers: AUTH })).statusCode).toBe(200);
    const call = await sameOrigin.app.inject({ method: 'POST', url: '/api/calls', headers: AUTH, payload: { phone: phoneNumber(1), agent_id: 'a' } });
    expect(call.statusCode).toBe(202);
    expect(call.headers.location).toBe(`/api/calls/${json(call).data.id}`);
  });
});
