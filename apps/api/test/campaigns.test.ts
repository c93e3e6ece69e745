// Campaign routes through app.inject on a real database: create (with and
// without inline contacts), list, get with stats and next_open_at, patch; and
// every class of bad input answered with a 4xx naming the field, writing nothing.
import { describe, expect, it } from 'vitest';
import { AUTH, campaignBody, json, phoneNumber, rowCounts, startApi, T0, useTestApi } from './helpers.ts';

const { db, api } = useTestApi({ truncate: ['campaigns', 'calls'] });

const post = (payload: unknown, url = '/api/campaigns') => api.app.inject({ method: 'POST', url, headers: AUTH, payload: payload as object });

describe('POST /api/campaigns', () => {
  it('creates a campaign with defaults, stats and the next window opening', async () => {
    const res = await post(campaignBody());
    expect(res.statusCode).toBe(201);
    const { success, data } = json(res);
    expect(success).toBe(true);
    expect(data).toMatchObject({
      name: 'Spring outreach', agent_id: 'agent-1', status: 'active', timezone: 'America/New_York',
      window: '09:00-17:00', days_of_week: [1, 2, 3, 4, 5, 6, 7], max_concurrent_calls: 1, calls_per_minute: null,
      max_attempts: 3, retry_delay_minutes: 60, retry_on: ['no_answer', 'busy', 'failed'],
      next_open_at: '2026-03-02T14:00:00.000Z', created_at: T0.toISOString(), completed_at: null,
    });
    expect(data.stats).toEqual({ queued: 0, dialing: 0, in_progress: 0, unknown: 0, completed: 0, failed: 0, cancelled: 0, expired: 0, total: 0 });
    expect(data.import).toBeUndefined();
  });

  it('imports inline contacts, normalising to E.164 and skipping duplicates', async () => {
    const res = await post(campaignBody({
      default_country: 'us',
      contacts: [
        { phone: '(212) 200-0001', name: 'Ann', variables: { plan: 'gold' } },
        { phone: '+1 212 200 0001' },
        { phone: phoneNumber(2), timezone: 'America/Chicago' },
      ],
    }));
    expect(res.statusCode).toBe(201);
    const { data } = json(res);
    expect(data.default_country).toBe('US');
    expect(data.import).toEqual({ received: 3, imported: 2, duplicates: 1, suppressed: 0, invalid: 0, errors: [], errors_truncated: false });
    expect(data.stats).toMatchObject({ queued: 2, total: 2 });
    const rows = await db.current.sql`select phone, name, timezone, variables from calls order by phone`;
    expect(rows).toEqual([
      { phone: '+12122000001', name: 'Ann', timezone: null, variables: { plan: 'gold' } },
      { phone: '+12122000002', name: null, timezone: 'America/Chicago', variables: {} },
    ]);
  });

  it('refuses the whole request when a contact is invalid, unless skip_invalid', async () => {
    const contacts = [{ phone: phoneNumber(1) }, { phone: '12345' }, { phone: phoneNumber(3), timezone: 'Mars/Olympus' }];
    const refused = await post(campaignBody({ contacts }));
    expect(refused.statusCode).toBe(422);
    expect(json(refused).error.code).toBe('VALIDATION_FAILED');
    expect(json(refused).error.details).toEqual([
      { field: 'contacts[1].phone', message: expect.stringContaining('"12345" has no country code') },
      { field: 'contacts[2].timezone', message: expect.stringContaining('"Mars/Olympus"') },
    ]);
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 0, calls: 0 });

    const skipped = await post(campaignBody({ contacts }), '/api/campaigns?skip_invalid=true');
    expect(skipped.statusCode).toBe(201);
    expect(json(skipped).data.import).toMatchObject({ received: 3, imported: 1, invalid: 2 });
    expect(json(skipped).data.import.errors).toEqual([
      { index: 1, field: 'phone', message: expect.any(String) },
      { index: 2, field: 'timezone', message: expect.any(String) },
    ]);
  });

  it('uses DEFAULT_TIMEZONE only when the request has no timezone', async () => {
    const { timezone: _, ...noZone } = campaignBody();
    const missing = await post(noZone);
    expect(missing.statusCode).toBe(422);
    expect(json(missing).error.details).toEqual([{ field: 'timezone', message: expect.stringMatching(/^is required/) }]);

    const withDefault = await startApi(db.current, { DEFAULT_TIMEZONE: 'Europe/Paris' });
    try {
      const res = await withDefault.app.inject({ method: 'POST', url: '/api/campaigns', headers: AUTH, payload: noZone });
      expect(res.statusCode).toBe(201);
      expect(json(res).data.timezone).toBe('Europe/Paris');
    } finally {
      await withDefault.close();
    }
  });

  it.each([
    ['a time out of range', { last_call_time: '17:61' }, 'last_call_time', 'must be HH:mm (24-hour), got "17:61"'],
    ['an unknown zone', { timezone: 'Mars/Olympus' }, 'timezone', 'must be a valid IANA time zone, got "Mars/Olympus"'],
    ['a day out of range', { days_of_week: [1, 8] }, 'days_of_week[1]', 'must be an ISO weekday 1–7 (1 = Monday, 7 = Sunday), got 8'],
    ['an empty day list', { days_of_week: [] }, 'days_of_week', 'must be a list of 1 to 7 days, each an ISO weekday 1–7 (1 = Monday, 7 = Sunday), got []'],
    ['an unreal date', { start_date: '2026-02-30' }, 'start_date', 'must be a real calendar date written YYYY-MM-DD (or null), got "2026-02-30"'],
    ['a badly written date', { blackout_dates: ['12/25/2026'] }, 'blackout_dates[0]', 'must be a real calendar date written YYYY-MM-DD, got "12/25/2026"'],
    ['a zone that is not a zone name', { timezone: 'New York' }, 'timezone', 'must be an IANA time zone such as America/New_York, got "New York"'],
    ['dates in the wrong order', { start_date: '2026-05-01', end_date: '2026-04-01' }, 'start_date', expect.stringContaining('on or before end_date')],
    ['a wrong type', { max_attempts: '3' }, 'max_attempts', 'must be integer, got "3"'],
    ['a number out of range', { max_concurrent_calls: 0 }, 'max_concurrent_calls', 'must be >= 1, got 0'],
    ['an unknown retry outcome', { retry_on: ['busy', 'angry'] }, 'retry_on[1]', 'must be one of no_answer, busy, voicemail, failed, unknown, got "angry"'],
    ['bad recipient hours', { recipient_calling_hours: { start: '8am', end: '21:00' } }, 'recipient_calling_hours.start', 'must be HH:mm (24-hour), got "8am"'],
    ['an unknown country', { default_country: 'ZZ' }, 'default_country', 'must be a country code such as "US" or "GB", got "ZZ"'],
    ['an unknown field', { colour: 'blue' }, 'colour', 'is not a known field'],
  ])('rejects %s with 422 naming the field', async (_label, extra, field, message) => {
    const res = await post(campaignBody(extra));
    expect(res.statusCode).toBe(422);
    const { error } = json(res);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toContainEqual({ field, message });
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 0, calls: 0 });
  });

  it('lists every problem at once, including missing fields', async () => {
    const res = await post({ last_call_time: '25:00', days_of_week: [0] });
    expect(res.statusCode).toBe(422);
    const fields = json(res).error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'agent_id', 'first_call_time']));
  });

  it('rejects a body that is not an object, and malformed JSON', async () => {
    const array = await post([1, 2]);
    expect(array.statusCode).toBe(422);
    expect(json(array).error.details[0]).toMatchObject({ field: 'body', message: expect.stringContaining('must be object') });
    const broken = await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{"name": ' });
    expect(broken.statusCode).toBe(400);
    expect(json(broken).error.code).toBe('INVALID_JSON');
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 0, calls: 0 });
  });
});

describe('GET /api/campaigns and /api/campaigns/:id', () => {
  it('lists newest first with stats, filters by status, and pages', async () => {
    api.clock.set(new Date(T0.getTime() - 60_000));
    const older = json(await post(campaignBody({ name: 'older', contacts: [{ phone: phoneNumber(1) }] }))).data;
    api.clock.set(T0);
    const newer = json(await post(campaignBody({ name: 'newer' }))).data;
    await api.app.inject({ method: 'POST', url: `/api/campaigns/${newer.id}/pause`, headers: AUTH });

    const all = json(await api.app.inject({ method: 'GET', url: '/api/campaigns', headers: AUTH })).data;
    expect(all.campaigns.map((c: { name: string }) => c.name)).toEqual(['newer', 'older']);
    expect(all).toMatchObject({ total: 2, limit: 100, offset: 0 });
    expect(all.campaigns[1].stats).toMatchObject({ queued: 1, total: 1 });

    const active = json(await api.app.inject({ method: 'GET', url: '/api/campaigns?status=active', headers: AUTH })).data;
    expect(active.campaigns.map((c: { id: string }) => c.id)).toEqual([older.id]);
    const paged = json(await api.app.inject({ method: 'GET', url: '/api/campaigns?limit=1&offset=1', headers: AUTH })).data;
    expect(paged).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(paged.campaigns[0].id).toBe(older.id);

    const bad = await api.app.inject({ method: 'GET', url: '/api/campaigns?limit=0&status=sleeping', headers: AUTH });
    expect(bad.statusCode).toBe(422);
    expect(json(bad).error.details.map((d: { field: string }) => d.field).sort()).toEqual(['limit', 'status']);
  });

  it('gets one campaign, null next_open_at when the window never opens again', async () => {
    const ended = json(await post(campaignBody({ end_date: '2026-03-01' }))).data;
    const res = await api.app.inject({ method: 'GET', url: `/api/campaigns/${ended.id}`, headers: AUTH });
    expect(res.statusCode).toBe(200);
    expect(json(res).data).toMatchObject({ id: ended.id, next_open_at: null, end_date: '2026-03-01' });
  });

  it('answers 404 for a well-formed unknown id, and 422 naming the parameter for a malformed one', async () => {
    const unknown = await api.app.inject({ method: 'GET', url: '/api/campaigns/00000000-0000-4000-8000-000000000000', headers: AUTH });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).error).toMatchObject({ code: 'NOT_FOUND', message: 'no campaign with id "00000000-0000-4000-8000-000000000000"' });
    const malformed = await api.app.inject({ method: 'GET', url: '/api/campaigns/not-a-uuid', headers: AUTH });
    expect(malformed.statusCode).toBe(422);
    expect(json(malformed).error).toMatchObject({
      code: 'VALIDATION_FAILED', details: [{ field: 'id', message: 'must be a UUID, got "not-a-uuid"' }],
    });
  });
});

describe('PATCH /api/campaigns/:id', () => {
  it('changes the window and limits, validating the merged window', async () => {
    const created = json(await post(campaignBody())).data;
    const res = await api.app.inject({
      method: 'PATCH', url: `/api/campaigns/${created.id}`, headers: AUTH,
      payload: { first_call_time: '06:00', days_of_week: [5, 1, 1], calls_per_minute: 30, max_concurrent_calls: 5 },
    });
    expect(res.statusCode).toBe(200);
    expect(json(res).data).toMatchObject({
      first_call_time: '06:00', last_call_time: '17:00', days_of_week: [1, 5], calls_per_minute: 30,
      max_concurrent_calls: 5, next_open_at: '2026-03-02T12:00:00.000Z', updated_at: T0.toISOString(),
    });
    const cleared = json(await api.app.inject({ method: 'PATCH', url: `/api/campaigns/${created.id}`, headers: AUTH, payload: { calls_per_minute: null } })).data;
    expect(cleared.calls_per_minute).toBeNull();
  });

  it('rejects an invalid change, an empty patch and an unknown id, changing nothing', async () => {
    const created = json(await post(campaignBody())).data;
    const bad = await api.app.inject({ method: 'PATCH', url: `/api/campaigns/${created.id}`, headers: AUTH, payload: { start_date: '2027-01-01', end_date: '2026-01-01' } });
    expect(bad.statusCode).toBe(422);
    expect(json(bad).error.details[0].field).toBe('start_date');
    const empty = await api.app.inject({ method: 'PATCH', url: `/api/campaigns/${created.id}`, headers: AUTH, payload: {} });
    expect(empty.statusCode).toBe(422);
    const unknown = await api.app.inject({ method: 'PATCH', url: '/api/campaigns/00000000-0000-4000-8000-000000000000', headers: AUTH, payload: { name: 'x' } });
    expect(unknown.statusCode).toBe(404);
    const [row] = await db.current.sql`select start_date, end_date, updated_at from campaigns`;
    expect(row).toEqual({ start_date: null, end_date: null, updated_at: T0 });
  });
});
