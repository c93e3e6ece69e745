// What the fast plan read (plan-snapshot.ts, plan-row.ts) must keep exact, against
// real Postgres: every window field through its one-text form, contact zones
// and their earliest due by the loose index scan, in-flight counts (a campaign
// with only calls in flight included), shared windows, the `known` rows handed
// back only when nothing changed, and a refresh large enough to turn JIT off.
import { describe, expect, it } from 'vitest';
import { insertCampaign, nextPhones, T0, useTestDatabase, type CampaignFields } from '../src/testing/index.ts';
import { readCampaignPlans, readPlanSnapshot, type CampaignPlanRow } from '../src/plan-snapshot.ts';

const db = useTestDatabase();
const campaign = (fields: CampaignFields = {}) => insertCampaign(db.current.sql, fields, T0);
const at = (iso: string) => new Date(iso);

async function call(fields: Record<string, unknown>): Promise<void> {
  const row = { phone: nextPhones(1)[0], created_at: T0, updated_at: T0, ...fields };
  await db.current.sql`insert into calls ${db.current.sql(row as never)}`;
}

const inFlight = (campaignId: string | null, status = 'dialing') =>
  call({ campaign_id: campaignId, agent_id: campaignId ? null : 'a', status, attempt: 1, result_deadline: at('2026-03-02T12:30:00Z') });

async function rowOf(id: string): Promise<CampaignPlanRow | undefined> {
  return (await readPlanSnapshot(db.current.sql)).campaigns.find((c) => c.id === id);
}

describe('the plan read keeps every field exact', () => {
  it('reads each window field: dates, days in their stored order, blackout dates sorted (duplicates kept), a zone with slashes', async () => {
    const id = await campaign({
      timezone: 'America/Argentina/Buenos_Aires', first_call_time: '22:00', last_call_time: '06:30', days_of_week: [5, 1, 3],
      start_date: '2026-03-01', end_date: '2026-12-31', blackout_dates: ['2026-12-25', '2026-05-05', '2026-05-05'],
    });
    const bare = await campaign({ start_date: null, end_date: null, blackout_dates: [] });
    await call({ campaign_id: id });
    await call({ campaign_id: bare });
    expect((await rowOf(id))!.window).toEqual({
      timezone: 'America/Argentina/Buenos_Aires', firstCallTime: '22:00', lastCallTime: '06:30', daysOfWeek: [5, 1, 3],
      startDate: '2026-03-01', endDate: '2026-12-31', blackoutDates: ['2026-05-05', '2026-05-05', '2026-12-25'],
    });
    expect((await rowOf(bare))!.window).toEqual({
      timezone: 'America/New_York', firstCallTime: '09:00', lastCallTime: '17:00', daysOfWeek: [1, 2, 3, 4, 5, 6, 7],
      startDate: null, endDate: null, blackoutDates: [],
    });
  });

  it('gives one group per contact zone with that zone\'s earliest due, in zone order, unzoned contacts in the campaign zone', async () => {
    const id = await campaign({ recipient_calling_hours: { start: '08:00', end: '21:00' }, timezone: 'Europe/Paris' });
    await call({ campaign_id: id, timezone: 'Asia/Tokyo', next_attempt_at: at('2026-03-09T00:00:00Z') });
    await call({ campaign_id: id, timezone: 'Asia/Tokyo', next_attempt_at: at('2026-03-04T00:00:00Z') });
    await call({ campaign_id: id, timezone: 'America/Chicago', next_attempt_at: at('2026-03-05T00:00:00Z') });
    await call({ campaign_id: id, timezone: 'America/Chicago' }); // no next_attempt_at: due since forever
    await call({ campaign_id: id, timezone: 'Europe/Paris', next_attempt_at: at('2026-03-07T00:00:00Z') });
    await call({ campaign_id: id, next_attempt_at: at('2026-03-06T00:00:00Z') }); // no zone: the campaign's (Paris), earlier
    await call({ campaign_id: id, timezone: 'UTC', next_attempt_at: at('2026-03-03T00:00:00Z'), status: 'completed', attempt: 1 });
    await inFlight(id); // a zone of no queued contact is no group
    const row = (await rowOf(id))!;
    expect(row.recipientHours).toEqual({ start: '08:00', end: '21:00' });
    expect(row.pending).toEqual([
      { timezone: 'Europe/Paris', earliestDueAt: at('2026-03-06T00:00:00Z') },
      { timezone: 'America/Chicago', earliestDueAt: new Date(0) },
      { timezone: 'Asia/Tokyo', earliestDueAt: at('2026-03-04T00:00:00Z') },
    ]);
    expect(row.inFlight).toBe(1);
  });

  it('counts calls dialing or in progress per campaign (not unknown ones, not direct calls) and keeps a campaign with only calls in flight', async () => {
    const before = (await readPlanSnapshot(db.current.sql)).inFlightTotal;
    const busy = await campaign({ max_concurrent_calls: 5 });
    const flying = await campaign();
    const idle = await campaign();
    await call({ campaign_id: busy, next_attempt_at: at('2026-03-03T00:00:00Z') });
    await inFlight(busy);
    await inFlight(busy, 'in_progress');
    await inFlight(busy, 'unknown');
    await inFlight(flying);
    await inFlight(null);
    await call({ campaign_id: idle, status: 'completed', attempt: 1 });
    const snap = await readPlanSnapshot(db.current.sql);
    const byId = new Map(snap.campaigns.map((c) => [c.id, c]));
    expect(byId.get(busy)).toMatchObject({ inFlight: 2, maxConcurrentCalls: 5, pending: [{ timezone: null, earliestDueAt: at('2026-03-03T00:00:00Z') }] });
    expect(byId.get(flying)).toMatchObject({ inFlight: 1, pending: [] });
    expect(byId.has(idle)).toBe(false);
    expect(snap.inFlightTotal).toBe(before + 4);
  });
});

describe('sharing and reuse', () => {
  it('gives campaigns with the same window one window object', async () => {
    const a = await campaign({ days_of_week: [2, 4] });
    const b = await campaign({ days_of_week: [2, 4] });
    await call({ campaign_id: a });
    await call({ campaign_id: b });
    const snap = await readPlanSnapshot(db.current.sql);
    const [ra, rb] = [a, b].map((id) => snap.campaigns.find((c) => c.id === id)!);
    expect(ra!.window).toBe(rb!.window);
  });

  it('hands back a known row only while nothing it says has changed', async () => {
    const id = await campaign({ recipient_calling_hours: { start: '08:00', end: '21:00' } });
    await call({ campaign_id: id, timezone: 'Asia/Tokyo', next_attempt_at: at('2026-03-04T00:00:00Z') });
    const sql = db.current.sql;
    let held = (await rowOf(id))!;
    const again = async () => (await readCampaignPlans(sql, [id], { known: (k) => (k === id ? held : undefined) })).campaigns[0]!;
    const changes = [
      () => sql`update calls set next_attempt_at = '2026-03-03T00:00:00Z' where campaign_id = ${id}`,
      () => call({ campaign_id: id, timezone: 'Europe/Paris', next_attempt_at: at('2026-03-05T00:00:00Z') }),
      () => inFlight(id),
      () => sql`update campaigns set max_concurrent_calls = 3 where id = ${id}`,
      () => sql`update campaigns set calls_per_minute = 10 where id = ${id}`,
      () => sql`update campaigns set last_dial_at = ${T0} where id = ${id}`,
      () => sql`update campaigns set days_of_week = '{1,2}' where id = ${id}`,
      () => sql`update campaigns set blackout_dates = '{2026-12-25}' where id = ${id}`,
      () => sql`update campaigns set recipient_calling_hours = '{"start":"09:00","end":"20:00"}' where id = ${id}`,
      () => sql`update campaigns set recipient_calling_hours = null where id = ${id}`,
    ];
    for (const change of changes) {
      expect(await again()).toBe(held);
      await change();
      const row = await again();
      expect(row).not.toBe(held);
      expect(row).toEqual(await rowOf(id));
      held = row;
    }
  });

  it('reads a refresh of many campaigns (JIT off in its own transaction, or in the caller\'s) like the whole read', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push(await campaign({ first_call_time: i % 2 ? '08:00' : '09:00' }));
    for (const id of ids) await call({ campaign_id: id, next_attempt_at: at('2026-03-04T00:00:00Z') });
    const whole = await readPlanSnapshot(db.current.sql);
    const expected = whole.campaigns.filter((c) => ids.includes(c.id));
    const sorted = (rows: CampaignPlanRow[]) => [...rows].sort((x, y) => x.id.localeCompare(y.id));
    expect(sorted((await readCampaignPlans(db.current.sql, ids)).campaigns)).toEqual(sorted(expected));
    const inTx = await db.current.sql.begin((tx) => readCampaignPlans(tx, ids));
    expect(sorted(inTx.campaigns)).toEqual(sorted(expected));
  });
});
