// Direct calls: 202 with the call, due at once or at not_before; Idempotency-Key
// returns the same call on retry (even concurrent ones) and 409s a different
// body; GET shows the call with its attempts.
import { describe, expect, it } from 'vitest';
import { AUTH, json, phoneNumber, rowCounts, T0, useTestApi } from './helpers.ts';

const { db, api } = useTestApi({ truncate: ['campaigns', 'calls'] });

const createCall = (payload: object, headers: Record<string, string> = {}) =>
  api.app.inject({ method: 'POST', url: '/api/calls', headers: { ...AUTH, ...headers }, payload });

describe('POST /api/calls', () => {
  it('queues a direct call due at once', async () => {
    const res = await createCall({ phone: '(212) 200-0001', default_country: 'US', agent_id: 'agent-1', variables: { topic: 'renewal' } });
    expect(res.statusCode).toBe(202);
    expect(json(res).data).toMatchObject({
      campaign_id: null, phone: phoneNumber(1), agent_id: 'agent-1', status: 'queued', attempt: 0,
      not_before: null, variables: { topic: 'renewal' }, created_at: T0.toISOString(),
    });
    expect(res.headers['idempotent-replayed']).toBe('false');
  });

  it('honours not_before as an instant with an offset', async () => {
    const res = await createCall({ phone: phoneNumber(1), agent_id: 'a', not_before: '2026-03-02T10:30:00-05:00' });
    expect(json(res).data.not_before).toBe('2026-03-02T15:30:00.000Z');
  });

  it.each([
    ['a bad phone', { phone: 'call me', agent_id: 'a' }, 'phone', '"call me" is not a phone number'],
    ['a national number with no country', { phone: '212 200 0001', agent_id: 'a' }, 'phone', expect.stringContaining('has no country code')],
    ['a missing agent', { phone: phoneNumber(1) }, 'agent_id', 'is required'],
    ['a local time without offset', { phone: phoneNumber(1), agent_id: 'a', not_before: '2026-03-02T10:30:00' }, 'not_before', expect.stringContaining('with a time zone offset')],
    ['a non-date not_before', { phone: phoneNumber(1), agent_id: 'a', not_before: 'tomorrow' }, 'not_before', expect.stringContaining('must be an ISO 8601 instant')],
    ['a wrong variables type', { phone: phoneNumber(1), agent_id: 'a', variables: ['x'] }, 'variables', 'must be object, got ["x"]'],
    ['an invalid time zone', { phone: phoneNumber(1), agent_id: 'a', timezone: 'Nowhere' }, 'timezone', expect.stringContaining('"Nowhere"')],
  ])('rejects %s with 422, writing nothing', async (_label, body, field, message) => {
    const res = await createCall(body);
    expect(res.statusCode).toBe(422);
    expect(json(res).error.details).toContainEqual({ field, message });
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 0, calls: 0 });
  });

  it('returns the same call for a retried request with the same Idempotency-Key', async () => {
    const first = await createCall({ phone: phoneNumber(1), agent_id: 'a', variables: { x: 1, y: 2 } }, { 'idempotency-key': 'key-1' });
    const retry = await createCall({ variables: { y: 2, x: 1 }, agent_id: 'a', phone: phoneNumber(1) }, { 'idempotency-key': 'key-1' });
    expect(retry.statusCode).toBe(202);
    expect(json(retry).data.id).toBe(json(first).data.id);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 0, calls: 1 });
  });

  it('makes one call for concurrent requests with the same key', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => createCall({ phone: phoneNumber(2), agent_id: 'a' }, { 'idempotency-key': 'key-race' })));
    expect(new Set(results.map((r) => json(r).data.id)).size).toBe(1);
    expect(results.every((r) => r.statusCode === 202)).toBe(true);
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 0, calls: 1 });
  });

  it('refuses the same key with a different body (409)', async () => {
    await createCall({ phone: phoneNumber(1), agent_id: 'a' }, { 'idempotency-key': 'key-2' });
    const other = await createCall({ phone: phoneNumber(1), agent_id: 'b' }, { 'idempotency-key': 'key-2' });
    expect(other.statusCode).toBe(409);
    expect(json(other).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 0, calls: 1 });
  });

  it('without a key, two requests are two calls', async () => {
    await createCall({ phone: phoneNumber(1), agent_id: 'a' });
    await createCall({ phone: phoneNumber(1), agent_id: 'a' });
    expect(await rowCounts(db.current.sql)).toEqual({ campaigns: 0, calls: 2 });
  });
});

describe('GET /api/calls/:id', () => {
  it('shows the call with its attempts in order', async () => {
    const { id } = json(await createCall({ phone: phoneNumber(1), agent_id: 'a' })).data;
    const claimed = new Date('2026-03-02T12:01:00Z');
    await db.current.sql`update calls set status = 'in_progress', attempt = 2, result_deadline = ${new Date('2026-03-02T12:40:00Z')}, last_outcome = 'no_answer' where id = ${id}`;
    await db.current.sql`insert into call_attempts (call_id, attempt, status, claimed_at, ended_at, duration_seconds)
      values (${id}, 2, 'in_progress', ${claimed}, null, null), (${id}, 1, 'no_answer', ${claimed}, ${claimed}, 0)`;
    const res = await api.app.inject({ method: 'GET', url: `/api/calls/${id}`, headers: AUTH });
    expect(res.statusCode).toBe(200);
    const { data } = json(res);
    expect(data).toMatchObject({ id, status: 'in_progress', attempt: 2, last_outcome: 'no_answer', result_deadline: '2026-03-02T12:40:00.000Z' });
    expect(data.attempts.map((a: { attempt: number; status: string }) => [a.attempt, a.status])).toEqual([[1, 'no_answer'], [2, 'in_progress']]);
    expect(data.attempts[0]).toMatchObject({ claimed_at: claimed.toISOString(), ended_at: claimed.toISOString(), duration_seconds: 0 });
  });

  it('answers 404 for an unknown id and 422 for a malformed one', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/api/calls/00000000-0000-4000-8000-000000000000', headers: AUTH })).statusCode).toBe(404);
    const malformed = await api.app.inject({ method: 'GET', url: '/api/calls/42', headers: AUTH });
    expect(malformed.statusCode).toBe(422);
    expect(json(malformed).error.details).toEqual([{ field: 'id', message: 'must be a UUID, got "42"' }]);
  });
});
