// readPlanSnapshot / readCampaignPlans against real Postgres: groups, direct
// calls, deadlines, what it leaves out (paused campaigns, finished work), and
// the partial read of named campaigns the worker refreshes after a hint.
import { describe, expect, it } from 'vitest';
import { insertCampaign, nextPhones, T0, useTestDatabase, type CampaignFields } from '../src/testing/index.ts';
import { readCampaignPlans, readPlanSnapshot } from '../src/plan-snapshot.ts';

const db = useTestDatabase();
const campaign = (fields: CampaignFields = {}) => insertCampaign(db.current.sql, fields, T0);

/** A call in any state (the fixtures make queued ones only). */
async function call(fields: Record<string, unknown>): Promise<void> {
  const row = { phone: nextPhones(1)[0], created_at: T0, updated_at: T0, ...fields };
  await db.current.sql`insert into calls ${db.current.sql(row as never)}`;
}

describe('readPlanSnapshot', () => {
  it('is empty on an empty database', async () => {
    expect(await readPlanSnapshot(db.current.sql)).toEqual({
      campaigns: [], directEarliestDueAt: null, inFlightTotal: 0, earliestResultDeadline: null, earliestResendAt: null, earliestDeliveryAt: null,
    });
  });

  it('reports pending groups, by contact zone only when recipient hours apply', async () => {
    const plain = await campaign({ days_of_week: [1, 2, 3, 4, 5], blackout_dates: ['2026-12-25', '2026-07-04'], start_date: '2026-03-01' });
    const hours = await campaign({ recipient_calling_hours: { start: '08:00', end: '21:00' }, timezone: 'America/Chicago' });
    await campaign({ status: 'paused' });
    await call({ campaign_id: plain, timezone: 'Europe/Paris' });
    await call({ campaign_id: plain, next_attempt_at: new Date('2026-03-03T00:00:00Z') });
    await call({ campaign_id: hours, timezone: 'America/Los_Angeles', next_attempt_at: new Date('2026-03-04T00:00:00Z') });
    await call({ campaign_id: hours });
    await call({ campaign_id: hours, status: 'completed', attempt: 1 });
    await call({ agent_id: 'a', next_attempt_at: new Date('2026-03-05T00:00:00Z') });
    await call({ agent_id: 'a', status: 'dialing', attempt: 1, result_deadline: new Date('2026-03-02T12:30:00Z') });
    const snap = await readPlanSnapshot(db.current.sql);
    expect(snap.campaigns).toHaveLength(2);
    const p = snap.campaigns.find((c) => c.id === plain)!;
    expect(p.window).toEqual({ timezone: 'America/New_York', firstCallTime: '09:00', lastCallTime: '17:00',
      daysOfWeek: [1, 2, 3, 4, 5], startDate: '2026-03-01', endDate: null, blackoutDates: ['2026-07-04', '2026-12-25'] });
    expect(p.pending).toEqual([{ timezone: null, earliestDueAt: new Date(0) }]);
    const h = snap.campaigns.find((c) => c.id === hours)!;
    expect(h.recipientHours).toEqual({ start: '08:00', end: '21:00' });
    expect(h.pending.sort((a, b) => String(a.timezone).localeCompare(String(b.timezone)))).toEqual([
      { timezone: 'America/Chicago', earliestDueAt: new Date(0) },
      { timezone: 'America/Los_Angeles', earliestDueAt: new Date('2026-03-04T00:00:00Z') },
    ]);
    expect(snap.directEarliestDueAt).toEqual(new Date('2026-03-05T00:00:00Z'));
    expect(snap.inFlightTotal).toBe(1);
    expect(snap.earliestResultDeadline).toEqual(new Date('2026-03-02T12:30:00Z'));
  });

  it('merges contacts without a zone into the campaign zone, taking the earliest of each zone', async () => {
    const hours = await campaign({ recipient_calling_hours: { start: '08:00', end: '21:00' }, timezone: 'America/Chicago' });
    await call({ campaign_id: hours, next_attempt_at: new Date('2026-03-06T00:00:00Z') });
    await call({ campaign_id: hours, timezone: 'America/Chicago', next_attempt_at: new Date('2026-03-05T00:00:00Z') });
    await call({ campaign_id: hours, timezone: 'Asia/Tokyo', next_attempt_at: new Date('2026-03-07T00:00:00Z') });
    await call({ campaign_id: hours, timezone: 'Asia/Tokyo', next_attempt_at: new Date('2026-03-08T00:00:00Z') });
    await call({ campaign_id: hours, timezone: 'Europe/Berlin', status: 'completed', attempt: 1 });
    const h = (await readPlanSnapshot(db.current.sql)).campaigns.find((c) => c.id === hours);
    expect(h!.pending.sort((a, b) => String(a.timezone).localeCompare(String(b.timezone)))).toEqual([
      { timezone: 'America/Chicago', earliestDueAt: new Date('2026-03-05T00:00:00Z') },
      { timezone: 'Asia/Tokyo', earliestDueAt: new Date('2026-03-07T00:00:00Z') },
    ]);
  });

  it('reads only the campaigns named, with the account-wide totals; one with only calls in flight is kept', async () => {
    const a = await campaign();
    const b = await campaign();
    const flying = await campaign();
    await call({ campaign_id: a });
    await call({ campaign_id: b });
    await call({ campaign_id: flying, status: 'in_progress', attempt: 1, result_deadline: new Date('2026-03-02T12:30:00Z') });
    await call({ agent_id: 'a', next_attempt_at: new Date('2026-03-05T00:00:00Z') });
    const whole = await readPlanSnapshot(db.current.sql);
    const part = await readCampaignPlans(db.current.sql, [a, flying]);
    expect(part.campaigns.map((c) => c.id).sort()).toEqual([a, flying].sort());
    expect(part.campaigns.find((c) => c.id === flying)).toMatchObject({ inFlight: 1, pending: [] });
    expect(part.campaigns.find((c) => c.id === a)).toEqual(whole.campaigns.find((c) => c.id === a));
    const { campaigns: _all, ...totals } = whole;
    expect(part).toMatchObject(totals);
    expect((await readCampaignPlans(db.current.sql, [])).campaigns).toEqual([]);
  });
});
