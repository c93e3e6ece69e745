// GET /api/scheduler/activity and the API's side of the activity ledger, on a
// virtual clock against real Postgres: a fresh database, a day of simulated
// work (API bursts recorded by the API itself, the worker's wakes as it writes
// them), the 35-day pruning edge, and an idle dashboard that costs the database
// nothing (statements counted by the API pool's own debug hook).
import { beforeEach, describe, expect, it } from 'vitest';
import { writeLedgerEntries, type LedgerEntry } from '@wakeplan/db';
import { waitFor } from '@wakeplan/db/testing';
import { AUTH, campaignBody, T0, useTestApi } from './helpers.ts';

const { db, api } = useTestApi({ truncate: ['activity_ledger', 'campaigns'] });
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(T0.getTime() + ms);
let ids = 0;
const ASLEEP = { status: 'ok', state: 'asleep', callsInFlight: 0, nextWakeAt: null, counters: { wakes: 1, dialed: 0 } };

function workerWake(startMs: number, endMs: number, dialed = 0): LedgerEntry {
  return {
    id: `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`, process: 'worker', startedAt: at(startMs), endedAt: at(endMs),
    reason: 'timer (window opens)', statements: 12, details: { dialed, outcomes: 0 },
  };
}

async function activity(days?: number) {
  const response = await api.app.inject({ method: 'GET', url: `/api/scheduler/activity${days ? `?days=${days}` : ''}`, headers: AUTH });
  return { status: response.statusCode, body: response.json() };
}

beforeEach(() => {
  api.worker.health = { status: 503 };
});

describe('GET /api/scheduler/activity', () => {
  it('on a fresh database: nothing awake, nothing saved, and it says what it cannot see', async () => {
    api.clock.set(at(40 * DAY)); // long after anything earlier tests did
    const { status, body } = await activity();
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ awake_hours: 0, polling_hours: 0, saved_hours: 0, saved_cost: { usd: 0, cu_hour_price: 0.14, compute_units: 0.25 }, suspend_minutes: 5 });
    expect(body.data.intervals).toEqual([]);
    expect(body.data.cannot_see.join(' ')).toMatch(/other clients of the same database/);
  });

  it('rejects a period outside the retention, naming the field', async () => {
    for (const days of ['0', '36', 'x']) {
      const r = await api.app.inject({ method: 'GET', url: `/api/scheduler/activity?days=${days}`, headers: AUTH });
      expect(r.statusCode).toBe(422);
      expect(r.body).toMatch(/days/);
    }
  });

  it('after a day of simulated work: the API\'s bursts and the worker\'s wakes, modelled awake against polling', async () => {
    api.clock.set(at(100 * DAY));
    const start = 100 * DAY;
    // 00:00 a campaign is created (one burst of API statements at that instant).
    expect((await api.app.inject({ method: 'POST', url: '/api/campaigns', headers: AUTH, payload: campaignBody() })).statusCode).toBe(201);
    // The worker's wakes, as it writes them at the end of each wake: 02:00–02:03, 02:04–02:05, 09:00–09:10.
    await writeLedgerEntries(db.current.sql, [workerWake(start + 2 * HOUR, start + 2 * HOUR + 3 * MIN, 3), workerWake(start + 2 * HOUR + 4 * MIN, start + 2 * HOUR + 5 * MIN)], at(start + 2 * HOUR + 5 * MIN));
    await writeLedgerEntries(db.current.sql, [workerWake(start + 9 * HOUR, start + 9 * HOUR + 10 * MIN, 2)], at(start + 9 * HOUR + 10 * MIN));
    // 12:00 someone lists the campaigns: a new burst, and the first one is written with it.
    api.clock.set(at(start + 12 * HOUR));
    expect((await api.app.inject({ method: 'GET', url: '/api/campaigns', headers: AUTH })).statusCode).toBe(200);
    // the entry is written after the response, with the request's own connection work: wait for it
    const readApiEntries = () => db.current.sql<{ process: string; started_at: Date; details: Record<string, number> }[]>`
      select process, started_at, details from activity_ledger where process = 'api' order by started_at`;
    await waitFor(async () => (await readApiEntries()).length > 0, 'the API ledger entry written after the request');
    const written = await readApiEntries();
    expect(written.map((r) => r.started_at)).toContainEqual(at(start));
    expect(written.find((r) => r.started_at.getTime() === at(start).getTime())!.details.campaigns).toBeGreaterThan(0);

    // A day after the first write, the report of the last day.
    api.clock.set(at(start + DAY));
    const { body } = await activity(1);
    const report = body.data;
    const kinds = report.intervals.map((i: { process: string; start: string }) => `${i.process} ${i.start}`);
    expect(kinds).toEqual([
      `api ${at(start).toISOString()}`,
      `worker ${at(start + 2 * HOUR).toISOString()}`,
      `worker ${at(start + 2 * HOUR + 4 * MIN).toISOString()}`,
      `worker ${at(start + 9 * HOUR).toISOString()}`,
      `api ${at(start + 12 * HOUR).toISOString()}`,
    ]); // this very request's read starts at `to`: outside the period

    // Awake: 00:00 +5 min; 02:00–02:10 (two wakes merged); 09:00–09:15; 12:00 +5 min; the last read is clipped at now.
    expect(report.awake_hours).toBeCloseTo((5 + 10 + 15 + 5) / 60, 3);
    expect(report.polling_hours).toBe(24);
    expect(report.saved_hours).toBeCloseTo(24 - 35 / 60, 3);
    expect(report.saved_cost.usd).toBeCloseTo((24 - 35 / 60) * 0.25 * 0.14, 4);
    expect(report.asleep_percent).toBeCloseTo(100 * (1 - 35 / 60 / 24), 1);
    expect(report.awake[0]).toEqual({ start: at(start).toISOString(), end: at(start + 5 * MIN).toISOString() });
  });

  it('across the 35-day pruning edge: a write prunes what ended more than 35 days before it, and the report keeps the rest', async () => {
    const now = 300 * DAY;
    api.clock.set(at(now));
    const edge = now - 35 * DAY;
    await writeLedgerEntries(db.current.sql, [workerWake(edge - 2 * HOUR, edge - 1000), workerWake(edge - HOUR, edge + 1000), workerWake(edge + DAY, edge + DAY + MIN)], at(edge + DAY));
    expect(await db.current.sql`select 1 from activity_ledger where process = 'worker'`).toHaveLength(3);
    await writeLedgerEntries(db.current.sql, [workerWake(now - MIN, now - MIN)], at(now)); // the next write, while awake
    const left = await db.current.sql<{ ended_at: Date }[]>`select ended_at from activity_ledger where process = 'worker' order by ended_at`;
    expect(left.map((r) => r.ended_at)).toEqual([at(edge + 1000), at(edge + DAY + MIN), at(now - MIN)]);
    const { body } = await activity(35);
    const worker = body.data.intervals.filter((i: { process: string }) => i.process === 'worker');
    expect(worker.map((i: { end: string }) => i.end)).toEqual([at(edge + 1000), at(edge + DAY + MIN), at(now - MIN)].map((d) => d.toISOString()));
    expect(body.data.observed_from).toBe(at(edge).toISOString());
    expect(body.data.polling_hours).toBe(35 * 24);
  });

  it('a dashboard left open costs the database nothing while the worker sleeps', async () => {
    api.clock.set(at(400 * DAY));
    api.worker.health = { body: ASLEEP };
    const status = await api.app.inject({ method: 'GET', url: '/api/scheduler/status', headers: AUTH });
    expect((await activity()).status).toBe(200);
    const before = api.statements();
    for (let i = 1; i <= 10; i++) {
      api.clock.set(at(400 * DAY + i * MIN));
      const again = await api.app.inject({ method: 'GET', url: '/api/scheduler/status', headers: { ...AUTH, 'if-none-match': status.headers.etag as string } });
      expect(again.statusCode).toBe(304);
      const report = await activity();
      expect(report.status).toBe(200);
      expect(report.body.data.to).toBe(at(400 * DAY + i * MIN).toISOString());
      expect((await api.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
    }
    expect(api.statements()).toBe(before);
    // The worker woke (its counters moved): the next report reads the ledger again.
    api.worker.health = { body: { ...ASLEEP, counters: { wakes: 2, dialed: 0 } } };
    await activity();
    expect(api.statements()).toBeGreaterThan(before);
  });
});
