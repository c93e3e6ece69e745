// Per-contact results: GET /api/campaigns/:id/calls (keyset pages that neither
// skip nor repeat a contact while calls change state underneath, filters, the
// next attempt time in UTC and contact-local time), its CSV export (header,
// filters, formula cells neutralised, filename), and GET /api/calls/:id with the
// attempt history and provider events.
import { get as httpGet } from 'node:http';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { insertCampaign, insertContacts, OPEN } from '@wakeplan/db/testing';
import { AUTH, json, startApi, T0, useTestApi } from './helpers.ts';

const { db, api } = useTestApi({ truncate: ['campaigns', 'calls', 'call_attempts', 'provider_events'] });

const get = (url: string) => api.app.inject({ method: 'GET', url, headers: AUTH });

async function readAllPages(url: string, limit: number, between: (page: number) => Promise<void> = async () => {}) {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const res = await get(`${url}${url.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode).toBe(200);
    const data = json(res).data;
    ids.push(...data.calls.map((c: { id: string }) => c.id));
    cursor = data.next_cursor;
    if (!cursor) return ids;
    await between(page);
  }
  throw new Error('never reached the last page');
}

describe('GET /api/campaigns/:id/calls', () => {
  it('pages through every contact exactly once while contacts change state underneath', async () => {
    const sql = db.current.sql;
    const campaignId = await insertCampaign(sql);
    const all = await insertContacts(sql, campaignId, 457);
    let tick = 0;
    const ids = await readAllPages(`/api/campaigns/${campaignId}/calls`, 50, async () => {
      tick++;
      // Between pages, calls on both sides of the cursor move through states and get new updated_at values.
      const at = new Date(T0.getTime() + tick * 1000);
      await sql`update calls set status = 'dialing', attempt = attempt + 1, result_deadline = ${at}, updated_at = ${at}
                where id in (select id from calls where campaign_id = ${campaignId} and status = 'queued' order by random() limit 40)`;
      await sql`update calls set status = 'completed', last_outcome = 'completed', result_deadline = null, updated_at = ${at}
                where id in (select id from calls where campaign_id = ${campaignId} and status = 'dialing' order by random() limit 25)`;
      await sql`update calls set status = 'queued', last_outcome = 'no_answer', result_deadline = null, next_attempt_at = ${at}, updated_at = ${at}
                where id in (select id from calls where campaign_id = ${campaignId} and status = 'dialing' order by random() limit 10)`;
    });
    expect(ids.length).toBe(all.length);
    expect(new Set(ids)).toEqual(new Set(all));
    expect(tick).toBeGreaterThan(5);
  });

  it('shows status, attempts, outcome, provider id, duration and the next attempt in UTC and contact-local time', async () => {
    const sql = db.current.sql;
    const campaignId = await insertCampaign(sql);
    const [waiting, done, retry] = await insertContacts(sql, campaignId, 3);
    await sql`update calls set timezone = 'America/Los_Angeles' where id = ${waiting!}`;
    await sql`update calls set status = 'completed', attempt = 1, last_outcome = 'completed', provider_call_id = 'prov-1' where id = ${done!}`;
    await sql`insert into call_attempts (call_id, attempt, status, worker_id, provider_call_id, claimed_at, ended_at, duration_seconds)
              values (${done!}, 1, 'completed', 'w1', 'prov-1', ${T0}, ${T0}, 42)`;
    // a retry due at 16:50 New York: the window closes at 17:00, so it is due then
    await sql`update calls set attempt = 1, last_outcome = 'no_answer', next_attempt_at = ${new Date('2026-03-02T21:50:00Z')} where id = ${retry!}`;
    const calls = json(await get(`/api/campaigns/${campaignId}/calls`)).data.calls as Record<string, unknown>[];
    const byId = new Map(calls.map((c) => [c.id, c]));
    expect(byId.get(waiting!)).toMatchObject({
      status: 'queued', attempts: 0, timezone: 'America/Los_Angeles', not_before: null,
      next_attempt_at: '2026-03-02T14:00:00.000Z', next_attempt_local: '2026-03-02T06:00:00-08:00', ended_reason: null, recording_url: null, transcript: null,
    });
    expect(byId.get(done!)).toMatchObject({
      status: 'completed', attempts: 1, last_outcome: 'completed', provider_call_id: 'prov-1', duration_seconds: 42, next_attempt_at: null,
    });
    expect(byId.get(retry!)).toMatchObject({
      attempts: 1, last_outcome: 'no_answer', not_before: '2026-03-02T21:50:00.000Z', next_attempt_at: '2026-03-02T21:50:00.000Z',
      next_attempt_local: '2026-03-02T16:50:00-05:00',
    });
  });

  it('filters by status (repeatable), outcome, phone prefix and updated_since', async () => {
    const sql = db.current.sql;
    const campaignId = await insertCampaign(sql);
    const ids = await insertContacts(sql, campaignId, 6);
    await sql`update calls set status = 'failed', last_outcome = 'busy', updated_at = ${OPEN} where id = ${ids[0]!}`;
    await sql`update calls set status = 'completed', last_outcome = 'completed', updated_at = ${OPEN} where id = ${ids[1]!}`;
    await sql`update calls set status = 'cancelled', last_outcome = 'dnc' where id = ${ids[2]!}`;
    await sql`update calls set phone = '+442079460000' where id = ${ids[3]!}`;
    const idsOf = async (query: string) => (json(await get(`/api/campaigns/${campaignId}/calls?${query}`)).data.calls as { id: string }[]).map((c) => c.id).sort();
    expect(await idsOf('status=failed')).toEqual([ids[0]]);
    expect(await idsOf('status=failed&status=completed')).toEqual([ids[0], ids[1]].sort());
    expect(await idsOf('outcome=dnc')).toEqual([ids[2]]);
    expect(await idsOf('phone=%2B44')).toEqual([ids[3]]);
    expect(await idsOf('phone=4420')).toEqual([ids[3]]);
    expect(await idsOf(`updated_since=${encodeURIComponent(OPEN.toISOString())}`)).toEqual([ids[0], ids[1]].sort());
  });

  it.each([
    ['a cursor it never gave out', 'cursor=bm9wZQ', 'cursor'],
    ['a limit over 1,000', 'limit=1001', 'limit'],
    ['an unknown status', 'status=lost', 'status'],
    ['a phone prefix with letters', 'phone=abc', 'phone'],
    ['a non-instant updated_since', 'updated_since=yesterday', 'updated_since'],
  ])('refuses %s with a 422 naming the field', async (_label, query, field) => {
    const campaignId = await insertCampaign(db.current.sql);
    const res = await get(`/api/campaigns/${campaignId}/calls?${query}`);
    expect(res.statusCode).toBe(422);
    expect(json(res).error.details.map((d: { field: string }) => d.field.replace(/\[\d+\]$/, ''))).toContain(field);
  });

  it('answers 404 for an unknown campaign', async () => {
    const res = await get('/api/campaigns/00000000-0000-4000-8000-000000000000/calls');
    expect(res.statusCode).toBe(404);
  });
});

describe('GET /api/campaigns/:id/calls.csv', () => {
  it('streams the same rows as CSV with a header, a filename, and formula cells neutralised', async () => {
    const sql = db.current.sql;
    const campaignId = await insertCampaign(sql, { name: 'Spring outreach: ünïcode' });
    const ids = await insertContacts(sql, campaignId, 5);
    const names = ['=HYPERLINK("http://evil","x")', '+1+2', '-2+3', '@SUM(A1)', '\tcmd'];
    for (const [i, id] of ids.entries()) await sql`update calls set name = ${names[i]!} where id = ${id}`;
    const res = await get(`/api/campaigns/${campaignId}/calls.csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="campaign-spring-outreach-unicode-calls.csv"');
    expect(res.body.startsWith('\uFEFF"id","phone"')).toBe(true);
    const rows = parse(res.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(rows.map((r) => r.name).sort()).toEqual(names.map((n) => `'${n}`).sort());
    expect(rows.every((r) => r.phone!.startsWith("'+1212"))).toBe(true);
    expect(Object.keys(rows[0]!)).toEqual(Object.keys(json(await get(`/api/campaigns/${campaignId}/calls?limit=1`)).data.calls[0]));
  });

  it('lets go of its cursor and connection when the client goes away mid-download', async () => {
    const sql = db.current.sql;
    const campaignId = await insertCampaign(sql);
    for (let i = 0; i < 4; i++) await insertContacts(sql, campaignId, 10_000);
    const own = await startApi(db.current);
    try {
      const address = await own.app.listen({ host: '127.0.0.1', port: 0 });
      await new Promise<void>((resolve, reject) => {
        const req = httpGet(`${address}/api/campaigns/${campaignId}/calls.csv`, { headers: AUTH }, (res) => {
          res.once('data', () => {
            req.destroy(); // the client goes away after the first chunk
            resolve();
          });
        });
        req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
      });
      const openConnections = () => new Promise<number>((resolve) => own.app.server.getConnections((_e, n) => resolve(n)));
      await expect.poll(openConnections, { timeout: 10_000 }).toBe(0);
      // The batch being fetched when the client left finishes; then the cursor is closed and its connection idle.
      const busy = async () => (await sql<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and application_name = 'wakeplan-api' and state <> 'idle'`)[0]!.n;
      await expect.poll(busy, { timeout: 10_000 }).toBe(0);
      expect((await own.app.inject({ method: 'GET', url: `/api/campaigns/${campaignId}/calls?limit=1`, headers: AUTH })).statusCode).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('answers HEAD with the headers and no export', async () => {
    const campaignId = await insertCampaign(db.current.sql);
    await insertContacts(db.current.sql, campaignId, 3);
    const res = await api.app.inject({ method: 'HEAD', url: `/api/campaigns/${campaignId}/calls.csv`, headers: AUTH });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="campaign-/);
    expect(res.body).toBe('');
  });

  it('applies the same filters', async () => {
    const sql = db.current.sql;
    const campaignId = await insertCampaign(sql);
    const ids = await insertContacts(sql, campaignId, 4);
    await sql`update calls set status = 'failed', last_outcome = 'busy' where id = ${ids[1]!}`;
    const res = await get(`/api/campaigns/${campaignId}/calls.csv?status=failed`);
    const rows = parse(res.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.id)).toEqual([ids[1]]);
  });
});

describe('GET /api/calls/:id', () => {
  it('adds the attempt history (worker, instants, outcome, error) and the provider events received', async () => {
    const sql = db.current.sql;
    const campaignId = await insertCampaign(sql);
    const [id] = await insertContacts(sql, campaignId, 1);
    await sql`update calls set status = 'completed', attempt = 2, last_outcome = 'completed' where id = ${id!}`;
    await sql`insert into call_attempts (call_id, attempt, status, worker_id, claimed_at, ended_at, error)
              values (${id!}, 1, 'unknown', 'worker-a', ${T0}, ${OPEN}, 'no result by the deadline')`;
    await sql`insert into call_attempts (call_id, attempt, status, worker_id, provider_call_id, claimed_at, confirmed_at, ended_at, duration_seconds)
              values (${id!}, 2, 'completed', 'worker-b', 'p-2', ${OPEN}, ${OPEN}, ${OPEN}, 61)`;
    await sql`insert into provider_events (call_id, attempt, status, provider_call_id, duration_seconds, occurred_at, received_at, applied)
              values (${id!}, 2, 'completed', 'p-2', 61, ${OPEN}, ${OPEN}, true), (${id!}, 2, 'completed', 'p-2', 61, ${OPEN}, ${OPEN}, false)`;
    const data = json(await get(`/api/calls/${id!}`)).data;
    expect(data.attempts).toEqual([
      expect.objectContaining({ attempt: 1, status: 'unknown', worker_id: 'worker-a', error: 'no result by the deadline', ended_at: OPEN.toISOString() }),
      expect.objectContaining({ attempt: 2, status: 'completed', worker_id: 'worker-b', provider_call_id: 'p-2', duration_seconds: 61, confirmed_at: OPEN.toISOString() }),
    ]);
    expect(data.events).toEqual([
      expect.objectContaining({ attempt: 2, status: 'completed', applied: true }),
      expect.objectContaining({ attempt: 2, status: 'completed', applied: false }),
    ]);
    expect(typeof data.events[0].id).toBe('string');
  });
});
