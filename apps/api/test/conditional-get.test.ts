// ETag / If-None-Match on the GETs dashboards poll (campaigns list and detail,
// scheduler status): a weak ETag, 304 while the data is unchanged — answered
// without the database when nothing can have changed (no write through this
// API, the worker's live /health the same, no clock-driven change due) — and a
// fresh 200 after a write, a worker's activity, or a window opening.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@wakeplan/db/testing';
import { AUTH, campaignBody, json, phoneNumber, startApi, T0, type TestApi } from './helpers.ts';

const db = useTestDatabase();
let api: TestApi;
const ASLEEP = { status: 'ok', state: 'asleep', callsInFlight: 0, nextWakeAt: '2026-03-02T14:00:00.000Z', counters: { wakes: 1, dialed: 0 } };

beforeAll(async () => {
  api = await startApi(db.current);
});
afterAll(() => api.close());
beforeEach(async () => {
  await db.current.sql`truncate campaigns, calls cascade`;
  api.worker.health = { body: ASLEEP };
  api.clock.set(new Date(api.clock.now().getTime() + 10 * 60_000)); // no memory of earlier probes
});

const get = (url: string, etag?: string) => api.app.inject({ method: 'GET', url, headers: { ...AUTH, ...(etag ? { 'if-none-match': etag } : {}) } });

describe('conditional GETs', () => {
  it.each(['/api/campaigns', '/api/scheduler/status'])('%s: a weak ETag, then 304 with no body while nothing changed', async (url) => {
    api.clock.set(T0);
    await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: AUTH, payload: campaignBody() });
    const first = await get(url);
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toMatch(/^W\/"[\w-]{27}"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const again = await get(url, first.headers.etag as string);
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(first.headers.etag);
    expect((await get(url, 'W/"something-else"')).statusCode).toBe(200);
  });

  it('answers a campaign\'s 304 without the database when nothing can have changed, and recomputes when something may have', async () => {
    api.clock.set(T0);
    const { id } = json(await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: AUTH, payload: campaignBody() })).data;
    const url = `/api/campaigns/${id}`;
    const tag = (await get(url)).headers.etag as string;

    // A write through the API: a new version.
    await api.app.inject({ method: 'PATCH', url, headers: AUTH, payload: { max_attempts: 5 } });
    const changed = await get(url, tag);
    expect(changed.statusCode).toBe(200);
    const current = changed.headers.etag as string;
    expect(current).not.toBe(tag);

    // With no database at all, an unchanged campaign is still a 304.
    const isolated = await startApi(db.current);
    try {
      isolated.clock.set(api.clock.now());
      isolated.worker.health = { body: ASLEEP };
      const seen = await isolated.app.inject({ method: 'GET', url, headers: AUTH });
      await isolated.sql.end();
      const conditional = () => isolated.app.inject({ method: 'GET', url, headers: { ...AUTH, 'if-none-match': seen.headers.etag as string } });
      expect((await conditional()).statusCode).toBe(304);
      isolated.clock.set(new Date(T0.getTime() + 10 * 60_000));
      expect((await conditional()).statusCode).toBe(304); // ten minutes later, still closed: nothing to recompute
      isolated.clock.set(new Date(T0.getTime() + 16 * 60_000));
      expect(json(await conditional()).error.code).toBe('DATABASE_UNAVAILABLE'); // past SHORTCUT_MAX_AGE_MS: read again
      isolated.clock.set(new Date(T0.getTime() + 10 * 60_000));
      expect((await conditional()).statusCode).toBe(304);

      // The worker did something (its counters moved): the campaign must be read again — and the database is gone.
      isolated.worker.health = { body: { ...ASLEEP, counters: { wakes: 2, dialed: 1 } } };
      expect(json(await conditional()).error.code).toBe('DATABASE_UNAVAILABLE');
      isolated.worker.health = { body: ASLEEP };
      // The window opens at 09:00 New York (14:00Z): next_open_at changes with no write at all.
      isolated.clock.set(new Date('2026-03-02T14:00:00Z'));
      expect(json(await conditional()).error.code).toBe('DATABASE_UNAVAILABLE');
    } finally {
      await isolated.close().catch(() => undefined);
    }
  });

  it('never takes the shortcut when the worker cannot be asked', async () => {
    const isolated = await startApi(db.current);
    try {
      isolated.worker.health = { status: 503 };
      const tag = (await isolated.app.inject({ method: 'GET', url: '/api/campaigns', headers: AUTH })).headers.etag as string;
      expect((await isolated.app.inject({ method: 'GET', url: '/api/campaigns', headers: { ...AUTH, 'if-none-match': tag } })).statusCode).toBe(304);
      await isolated.sql.end();
      const again = await isolated.app.inject({ method: 'GET', url: '/api/campaigns', headers: { ...AUTH, 'if-none-match': tag } });
      expect(json(again).error.code).toBe('DATABASE_UNAVAILABLE'); // it read the campaigns again to be sure
    } finally {
      await isolated.close().catch(() => undefined);
    }
  });

  it('keeps the tag of an open window steady while the clock moves, and changes it when the window closes', async () => {
    api.clock.set(new Date('2026-03-02T15:00:00Z')); // 10:00 in New York: open
    const { id } = json(await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: AUTH, payload: campaignBody() })).data;
    const url = `/api/campaigns/${id}`;
    const open = await get(url);
    expect(json(open).data.next_open_at).toBe('2026-03-02T15:00:00.000Z');
    api.clock.set(new Date('2026-03-02T16:30:00Z'));
    const later = await get(url, open.headers.etag as string);
    expect(later.statusCode).toBe(304);
    api.clock.set(new Date('2026-03-02T22:30:00Z')); // 17:30 in New York: closed until tomorrow
    const closed = await get(url, open.headers.etag as string);
    expect(closed.statusCode).toBe(200);
    expect(json(closed).data.next_open_at).toBe('2026-03-03T14:00:00.000Z');
  });

  it('ignores the status\'s currentTime, but not the minutes until the wake', async () => {
    api.clock.set(T0);
    await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: AUTH, payload: campaignBody({ contacts: [{ phone: phoneNumber(1) }] }) });
    const first = await get('/api/scheduler/status');
    api.clock.set(new Date(T0.getTime() + 20_000)); // past the status cache, same minute count
    const second = await get('/api/scheduler/status', first.headers.etag as string);
    expect(second.statusCode).toBe(304);
    api.clock.set(new Date(T0.getTime() + 61_000)); // 119 minutes until the wake now
    const third = await get('/api/scheduler/status', first.headers.etag as string);
    expect(third.statusCode).toBe(200);
    expect(json(third).data.minutesUntilWake).toBe(119);
  });
});
