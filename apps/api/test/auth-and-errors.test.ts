// Auth (bearer tokens, the exempt routes), rate limiting, the API description,
// and the one error handler: unknown routes, bad bodies, oversize bodies, and
// Postgres errors that slip past the validators all become 4xx envelopes.
import { describe, expect, it } from 'vitest';
import { mapError } from '../src/errors.ts';
import { signedHeaders } from '@wakeplan/contract';
import { AUTH, campaignBody, json, rowCounts, startApi, T0, TOKEN, useTestApi, type TestApi } from './helpers.ts';

const { db, api } = useTestApi({ env: { BODY_LIMIT_BYTES: '2048' } });

describe('bearer auth', () => {
  it.each([
    ['no header', {}, 'missing Authorization header'],
    ['a wrong token', { authorization: 'Bearer nope' }, 'invalid bearer token'],
    ['another scheme', { authorization: `Basic ${TOKEN}` }, 'must be "Bearer <token>"'],
    ['an empty bearer', { authorization: 'Bearer ' }, 'must be "Bearer <token>"'],
    ['a token with a suffix', { authorization: `Bearer ${TOKEN}x` }, 'invalid bearer token'],
  ])('answers 401 for %s, writing nothing', async (_label, headers, message) => {
    const res = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers, payload: campaignBody() });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(json(res)).toEqual({ success: false, error: { code: 'UNAUTHORIZED', message: expect.stringContaining(message), details: [] } });
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 0, calls: 0 });
  });

  it('accepts every configured token, case-insensitive scheme, and never logs it', async () => {
    for (const authorization of [`Bearer ${TOKEN}`, 'bearer test-token-2']) {
      expect((await api.app.inject({ method: 'GET', url: '/api/campaigns', headers: { authorization } })).statusCode).toBe(200);
    }
    expect(api.logLines.length).toBeGreaterThan(0);
    expect(api.logLines.join('\n')).not.toMatch(/test-token-[12]/);
  });

  it('leaves /health, /openapi.json and /docs open', async () => {
    const health = await api.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(json(health).data).toMatchObject({ status: 'ok', service: 'wakeplan-api' });
    const spec = await api.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(spec.statusCode).toBe(200);
    const doc = json(spec);
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/campaigns', '/api/campaigns/import', '/api/campaigns/{id}', '/api/campaigns/{id}/contacts',
      '/api/campaigns/{id}/pause', '/api/campaigns/{id}/resume', '/api/campaigns/{id}/cancel',
      '/api/calls', '/api/calls/{id}', '/api/scheduler/status', '/api/scheduler/reload', '/api/scheduler/plan', '/health',
    ]));
    expect(doc.paths['/api/campaigns/{id}/contacts'].post.requestBody.content).toHaveProperty('text/csv');
    const docs = await api.app.inject({ method: 'GET', url: '/docs' });
    expect(docs.statusCode).toBeLessThan(400);
  });

  it('keeps POST /api/provider/events out of bearer auth (it verifies an HMAC instead)', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/api/provider/events', payload: {} });
    expect(json(res).error?.message ?? '').not.toMatch(/Authorization header|bearer token/);
    expect(json(res).error?.message ?? '').toMatch(/provider event rejected/);
  });

  it('exempts only health, the API description, docs and provider events, by their own declaration', async () => {
    const open = [['GET', '/health'], ['HEAD', '/health'], ['GET', '/openapi.json'], ['GET', '/docs/static/index.html'], ['GET', '/']] as const;
    for (const [method, url] of open) {
      const res = await api.app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBeLessThan(400);
    }
    const closed = [['POST', '/health'], ['GET', '/api/provider/events'], ['GET', '/docsx'], ['GET', '/api/scheduler/status'], ['GET', '/api/nothing-here']] as const;
    for (const [method, url] of closed) {
      const res = await api.app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('says in the OpenAPI document which routes need no token, and declares every tag it uses', async () => {
    const doc = json(await api.app.inject({ method: 'GET', url: '/openapi.json' }));
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/health'].get.security).toEqual([]);
    expect(doc.paths['/api/provider/events'].post.security).toEqual([]);
    expect(doc.paths['/api/campaigns'].post.security).toBeUndefined(); // the document's default: a bearer token
    const declared = new Set(doc.tags.map((t: { name: string }) => t.name));
    const used = Object.values(doc.paths).flatMap((ops) => Object.values(ops as Record<string, { tags?: string[] }>).flatMap((op) => op.tags ?? []));
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((t) => !declared.has(t))).toEqual([]);
  });
});

describe('the error handler', () => {
  it('answers unknown routes with 404 in the envelope', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/nothing-here', headers: AUTH });
    expect(res.statusCode).toBe(404);
    expect(json(res).error).toEqual({ code: 'NOT_FOUND', message: 'no route GET /api/nothing-here', details: [] });
  });

  it('answers a body over the limit with 413, an unknown content type with 415', async () => {
    const big = await api.app.inject({ method: 'POST', url: '/api/calls', headers: AUTH, payload: { phone: 'x'.repeat(4000), agent_id: 'a' } });
    expect(big.statusCode).toBe(413);
    expect(json(big).error.code).toBe('PAYLOAD_TOO_LARGE');
    const xml = await api.app.inject({ method: 'POST', url: '/api/calls', headers: { ...AUTH, 'content-type': 'application/xml' }, payload: '<call/>' });
    expect(xml.statusCode).toBe(415);
    expect(json(xml).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const empty = await api.app.inject({ method: 'POST', url: '/api/calls', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '' });
    expect(empty.statusCode).toBe(400);
    expect(json(empty).error.code).toBe('INVALID_JSON');
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 0, calls: 0 });
  });

  it('maps Postgres errors that slip past the validators to 4xx, never 500', async () => {
    const failures = [
      db.current.sql`insert into campaigns (name, agent_id, timezone, first_call_time, last_call_time, created_at, updated_at)
        values ('x', 'a', 'UTC', '25:00', '17:00', now(), now())`,
      db.current.sql`select ${'not-a-uuid'}::uuid`,
      db.current.sql`insert into calls (phone, agent_id, campaign_id, created_at, updated_at) values ('+12122000001', 'a', gen_random_uuid(), now(), now())`,
    ];
    const mapped = [];
    for (const f of failures) mapped.push(mapError(await f.catch((e: unknown) => e)));
    expect(mapped.map((m) => [m.status, m.body.error.code])).toEqual([[422, 'VALIDATION_FAILED'], [422, 'VALIDATION_FAILED'], [404, 'NOT_FOUND']]);
    expect(mapped[0]!.body.error.message).toContain('campaigns_first_call_time_check');
  });

  it('hides the detail of a 500', () => {
    const mapped = mapError(new Error('secret internals at /srv/app.ts:12'));
    expect(mapped).toEqual({ status: 500, body: { success: false, error: { code: 'INTERNAL_ERROR', message: expect.not.stringContaining('secret'), details: [] } } });
  });
});

describe('rate limiting', () => {
  const eventBody = JSON.stringify({ call_id: '00000000-0000-4000-8000-000000000001', attempt: 1, status: 'completed', occurred_at: T0.toISOString() });
  const providerEvent = (app: TestApi, secret: string) => app.app.inject({
    method: 'POST', url: '/api/provider/events', payload: eventBody,
    headers: { 'content-type': 'application/json', ...signedHeaders(secret, eventBody, app.clock.now()) },
  });

  it('keeps /health and signed provider events out of other traffic\'s limit; signed events have their own', async () => {
    const limited = await startApi(db.current, { RATE_LIMIT_PER_MINUTE: '3', PROVIDER_EVENTS_SECRET: 'pes', PROVIDER_EVENTS_PER_MINUTE: '4' });
    try {
      for (let i = 0; i < 3; i++) expect((await limited.app.inject({ method: 'GET', url: '/api/campaigns' })).statusCode).toBe(401);
      expect((await limited.app.inject({ method: 'GET', url: '/api/campaigns' })).statusCode).toBe(429); // this address is spent
      for (let i = 0; i < 10; i++) expect((await limited.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      for (let i = 0; i < 4; i++) {
        const signed = await providerEvent(limited, 'pes');
        expect(signed.statusCode).toBe(404); // accepted as signed and processed: an unknown call
        expect(signed.headers['x-ratelimit-limit']).toBe('4');
      }
      const fifth = await providerEvent(limited, 'pes');
      expect(fifth.statusCode).toBe(429);
      expect(fifth.headers['retry-after']).toBeDefined();
      expect((await providerEvent(limited, 'wrong-secret')).statusCode).toBe(429); // anonymous, and this address is spent
    } finally {
      await limited.close();
    }
  });

  it('counts events with a bad signature against their address, like any anonymous request', async () => {
    const limited = await startApi(db.current, { RATE_LIMIT_PER_MINUTE: '3', PROVIDER_EVENTS_SECRET: 'pes' });
    try {
      for (let i = 0; i < 3; i++) expect((await providerEvent(limited, 'wrong-secret')).statusCode).toBe(401);
      expect((await limited.app.inject({ method: 'GET', url: '/api/campaigns' })).statusCode).toBe(429);
      expect((await providerEvent(limited, 'pes')).statusCode).toBe(404); // a signed one still gets through
    } finally {
      await limited.close();
    }
  });

  it('answers 429 past the limit, per token', async () => {
    const limited = await startApi(db.current, { RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const get = (authorization: string) => limited.app.inject({ method: 'GET', url: '/api/campaigns', headers: { authorization } });
      for (let i = 0; i < 3; i++) expect((await get(`Bearer ${TOKEN}`)).statusCode).toBe(200);
      const over = await get(`Bearer ${TOKEN}`);
      expect(over.statusCode).toBe(429);
      expect(json(over).error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('the limit is 3 a minute') });
      expect(over.headers['retry-after']).toBeDefined();
      expect((await get('Bearer test-token-2')).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('request ids', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('names every request with a new UUID, echoed in X-Request-Id and in its log lines', async () => {
    const a = await api.app.inject({ method: 'GET', url: '/health' });
    const b = await api.app.inject({ method: 'GET', url: '/api/campaigns' }); // a 401 carries it too
    expect(a.headers['x-request-id']).toMatch(UUID);
    expect(b.statusCode).toBe(401);
    expect(b.headers['x-request-id']).toMatch(UUID);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    const logged = api.logLines.map((l) => JSON.parse(l) as { reqId?: string }).filter((l) => l.reqId === b.headers['x-request-id']);
    expect(logged.length).toBeGreaterThanOrEqual(2);
  });

  it('honours a sane incoming X-Request-Id and replaces one that is not', async () => {
    const sane = await api.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'lb-7f3a:01/2' } });
    expect(sane.headers['x-request-id']).toBe('lb-7f3a:01/2');
    for (const bad of ['', 'has space', 'x'.repeat(129), 'line\u2028break', '{"inject":1}']) {
      const res = await api.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id'], JSON.stringify(bad)).toMatch(UUID);
    }
  });
});
