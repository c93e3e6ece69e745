// Waking from sleep without reading the whole plan (issue 11): a worker that
// slept without LISTEN catches up on the campaigns marked changed since its
// plan's watermark (packages/db plan-changes.ts) — so a change whose doorbell
// was lost is still found at the next wake, by a read of what changed only —
// and reads the whole plan again when its last whole read is older than
// WHOLE_READ_MAX_AGE_MS or a reload is rung at the doorbell (a write that left
// no mark is found then).
import { describe, expect, it } from 'vitest';
import { insertCampaign, insertContacts, T0, useTestDatabase } from '@wakeplan/db/testing';
import { WHOLE_READ_MAX_AGE_MS } from '../src/campaign-plan.ts';
import { harnessPerTest, type Harness } from './helpers/harness.ts';

const db = useTestDatabase();
const startHarness = harnessPerTest(db);
let h: Harness | null = null;

const at = (iso: string) => new Date(iso);

/** A campaign open now with one contact, written by hand-made SQL: no NOTIFY, no change mark. */
async function insertByHand(phone: string): Promise<string> {
  const [row] = await db.current.sql<{ id: string }[]>`
    insert into campaigns (name, agent_id, timezone, first_call_time, last_call_time, days_of_week, created_at, updated_at)
    values ('by hand', 'agent-1', 'America/New_York', '09:00', '17:00', '{1,2,3,4,5}', ${T0}, ${T0}) returning id`;
  await db.current.sql`insert into calls (campaign_id, phone, created_at, updated_at) values (${row!.id}, ${phone}, ${T0}, ${T0})`;
  return row!.id;
}

describe('catching up after sleeping', () => {
  it('a change whose doorbell was lost is dialed at the next wake, by a catch-up, not a whole read', async () => {
    const later = await insertCampaign(db.current.sql, { first_call_time: '11:00' });
    await insertContacts(db.current.sql, later, 1);
    h = startHarness({ start: at('2026-03-02T15:00:00Z') }); // 10:00 New York
    h.worker.start();
    await h.settle();
    expect(h.worker.state).toBe('asleep');
    expect(h.worker.nextWake?.at).toEqual(at('2026-03-02T16:00:00Z'));
    const { planReads, catchUps } = h.worker.counters;

    // Written while the worker sleeps, marked as the API marks it; its doorbell never arrives.
    const lost = await insertCampaign(db.current.sql, {}, h.clock.now());
    const [contact] = await insertContacts(db.current.sql, lost, 1, h.clock.now());
    await h.stepTo(at('2026-03-02T15:30:00Z'));
    expect(h.dialer.dials).toHaveLength(0); // asleep: nothing heard

    // Any later wake (here a doorbell for something else) finds it.
    h.worker.wake();
    await h.settle();
    expect(h.dialer.dials.map((d) => d.request.callId)).toEqual([contact]);
    expect(h.worker.counters.catchUps - catchUps).toBe(1);
    expect(h.worker.counters.planReads - planReads).toBe(0);
  });

  it('a write that left no mark is found by the whole read once the last one is too old', async () => {
    const first = await insertCampaign(db.current.sql, { first_call_time: '11:00' });
    await insertContacts(db.current.sql, first, 1);
    h = startHarness({ start: at('2026-03-02T15:00:00Z') });
    h.worker.start();
    await h.settle();
    const { planReads } = h.worker.counters;
    // Hand-made SQL: no NOTIFY, no mark (what a reload rung at the doorbell is for: the last test).
    const unmarked = await insertByHand('+12125550199');

    await h.stepTo(at('2026-03-02T16:00:01Z')); // the 11:00 wake catches up: the unmarked campaign stays unseen
    expect(h.dialer.dials.map((d) => d.request.campaignId)).toEqual([first]);
    expect(h.worker.counters.planReads - planReads).toBe(0);

    const stale = new Date(at('2026-03-02T15:00:00Z').getTime() + WHOLE_READ_MAX_AGE_MS);
    const nextMorning = at('2026-03-03T14:00:00Z'); // next wake: tomorrow's window, past the age bound
    expect(stale < nextMorning).toBe(true);
    h.worker.wake(); // a wake before the bound still catches up only
    await h.settle();
    expect(h.dialer.dials).toHaveLength(1);
    await h.stepTo(stale);
    h.worker.wake(); // past it: the whole plan is read and the unmarked campaign is dialed
    await h.settle();
    expect(h.worker.counters.planReads - planReads).toBe(1);
    expect(h.dialer.dials.map((d) => d.request.campaignId)).toEqual([first, unmarked]);
  });

  it('a reload rung at the doorbell reads the whole plan at once', async () => {
    h = startHarness({ start: at('2026-03-02T15:00:00Z') });
    h.worker.start();
    await h.settle();
    expect(h.worker.state).toBe('asleep');
    const { planReads } = h.worker.counters;
    const unmarked = await insertByHand('+12125550198');
    h.worker.wake([], false);
    await h.settle();
    expect(h.dialer.dials).toHaveLength(0); // a plain ring catches up: the hand-made rows left no mark
    await h.stepTo(at('2026-03-02T15:05:00Z'));
    h.worker.wake([], true);
    await h.settle();
    expect(h.worker.counters.planReads - planReads).toBe(1);
    expect(h.dialer.dials.map((d) => d.request.campaignId)).toEqual([unmarked]);
  });
});
