// Letting the database sleep: /health never opens a connection, and after
// DB_IDLE_TIMEOUT_S the API's pool holds none at all (checked in
// pg_stat_activity from a separate connection).
import { describe, expect, it, vi } from 'vitest';
import { AUTH, useTestApi } from './helpers.ts';

const { db, api } = useTestApi({ env: { DB_IDLE_TIMEOUT_S: '1' } });

async function apiConnections(): Promise<number> {
  const [row] = await db.current.sql<{ n: number }[]>`
    select count(*)::int as n from pg_stat_activity
    where application_name = 'wakeplan-api' and datname = ${db.current.name}`;
  return row!.n;
}

describe('the API lets the database sleep', () => {
  it('answers /health and the docs without opening a connection', async () => {
    for (let i = 0; i < 5; i++) expect((await api.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    await api.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(await apiConnections()).toBe(0);
  });

  it('holds no connection once the idle timeout has passed after a request', async () => {
    await api.app.inject({ method: 'GET', url: '/api/scheduler/status', headers: AUTH });
    await api.app.inject({ method: 'POST', url: '/api/scheduler/reload', headers: AUTH });
    expect(await apiConnections()).toBeGreaterThan(0);
    await vi.waitFor(async () => expect(await apiConnections()).toBe(0), { timeout: 15_000, interval: 250 });
  });
});
