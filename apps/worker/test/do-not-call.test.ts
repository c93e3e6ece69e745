// The do-not-call list in the claim transaction (sql/do-not-call.ts): a number
// listed after its contact was queued is never dialed — by the claim alone and
// by a sleeping worker that wakes on its plan — and its call ends `cancelled`
// with last_outcome `dnc`; a campaign left with nothing pending completes.
import { afterEach, describe, expect, it } from 'vitest';
import { callStatuses, insertCampaign, insertContacts, insertDirectCall, OPEN, T0, useTestDatabase } from '@wakeplan/db/testing';
import { claimCampaignCalls, claimDirectCalls, type ClaimOptions } from '../src/sql/claims.ts';
import { startHarness, type Harness } from './helpers/harness.ts';

const db = useTestDatabase();
let h: Harness | null = null;

afterEach(async () => {
  await h?.stop();
  h = null;
  await db.current.sql`truncate campaigns, calls, call_attempts, provider_events, worker_state, do_not_call`;
});

const opts = (at: Date): ClaimOptions => ({ at, workerId: 'w1', accountCap: 100, resultTimeoutMinutes: 30 });

async function list(phone: string): Promise<void> {
  await db.current.sql`insert into do_not_call (phone, reason, source, created_at) values (${phone}, 'asked not to be called', 'api', ${T0})`;
}

async function phoneOf(id: string): Promise<string> {
  const [row] = await db.current.sql<{ phone: string }[]>`select phone from calls where id = ${id}`;
  return row!.phone;
}

async function callRow(id: string) {
  const [row] = await db.current.sql<{ status: string; last_outcome: string | null; attempt: number }[]>`
    select status, last_outcome, attempt from calls where id = ${id}`;
  return row;
}

describe('the claim transaction', () => {
  it('never claims a listed number: its queued call ends cancelled with last_outcome dnc, the others are dialed', async () => {
    const campaignId = await insertCampaign(db.current.sql, { max_concurrent_calls: 10 }, OPEN);
    const ids = await insertContacts(db.current.sql, campaignId, 3, OPEN);
    await list(await phoneOf(ids[1]!));
    const result = await claimCampaignCalls(db.current.sql, campaignId, opts(OPEN));
    expect(result.claimed.map((c) => c.callId).sort()).toEqual([ids[0], ids[2]].sort());
    expect(await callRow(ids[1]!)).toEqual({ status: 'cancelled', last_outcome: 'dnc', attempt: 0 });
    const [attempts] = await db.current.sql<{ n: number }[]>`select count(*)::int as n from call_attempts where call_id = ${ids[1]!}`;
    expect(attempts!.n).toBe(0);
  });

  it('cancels a listed contact when its retry falls due, and completes a campaign left with nothing pending', async () => {
    const campaignId = await insertCampaign(db.current.sql, {}, OPEN);
    const due = new Date(OPEN.getTime() + 3_600_000);
    const [later] = await insertContacts(db.current.sql, campaignId, 1, OPEN, { next_attempt_at: due });
    await list(await phoneOf(later!));
    expect((await claimCampaignCalls(db.current.sql, campaignId, opts(OPEN))).claimed).toEqual([]);
    expect(await callStatuses(db.current.sql, campaignId)).toEqual({ queued: 1 }); // not due: the claim does not touch it
    expect((await claimCampaignCalls(db.current.sql, campaignId, opts(due))).claimed).toEqual([]);
    expect(await callRow(later!)).toEqual({ status: 'cancelled', last_outcome: 'dnc', attempt: 0 });
    const [campaign] = await db.current.sql<{ status: string }[]>`select status from campaigns where id = ${campaignId}`;
    expect(campaign!.status).toBe('completed');
  });

  it('claims as many as the caps allow when listed numbers come first', async () => {
    const campaignId = await insertCampaign(db.current.sql, { max_concurrent_calls: 3 }, OPEN);
    const ids = await insertContacts(db.current.sql, campaignId, 8, OPEN);
    for (const id of ids.slice(0, 4)) await list(await phoneOf(id));
    const result = await claimCampaignCalls(db.current.sql, campaignId, opts(OPEN));
    expect(result.claimed.map((c) => c.callId).sort()).toEqual(ids.slice(4, 7).sort());
    expect(result.blockedBy).toBe('campaign_cap');
    expect(await callStatuses(db.current.sql, campaignId)).toEqual({ cancelled: 4, dialing: 3, queued: 1 });
  });

  it('never claims a listed direct call', async () => {
    const listed = await insertDirectCall(db.current.sql, OPEN);
    const other = await insertDirectCall(db.current.sql, OPEN);
    await list(await phoneOf(listed));
    const result = await claimDirectCalls(db.current.sql, opts(OPEN));
    expect(result.claimed.map((c) => c.callId)).toEqual([other]);
    expect(await callRow(listed)).toEqual({ status: 'cancelled', last_outcome: 'dnc', attempt: 0 });
  });
});

describe('a sleeping worker', () => {
  it('wakes on its plan and never dials a number listed while it slept', async () => {
    const campaignId = await insertCampaign(db.current.sql, { max_concurrent_calls: 5 });
    const ids = await insertContacts(db.current.sql, campaignId, 3);
    h = startHarness(db.current, { start: T0 });
    h.dialer.auto = { sql: db.current.sql, afterMs: 20_000, status: 'completed', ring: () => h?.worker.wake() };
    h.worker.start();
    await h.settle();
    expect(h.worker.state).toBe('asleep');
    const listedPhone = await phoneOf(ids[0]!);
    await list(listedPhone); // no doorbell, no NOTIFY: only the claim transaction protects it
    await h.stepTo(new Date('2026-03-02T15:00:00Z'));
    expect(h.dialer.dials.map((d) => d.request.to).sort()).toEqual([await phoneOf(ids[1]!), await phoneOf(ids[2]!)].sort());
    expect(await callRow(ids[0]!)).toEqual({ status: 'cancelled', last_outcome: 'dnc', attempt: 0 });
    expect(await callStatuses(db.current.sql, campaignId)).toEqual({ cancelled: 1, completed: 2 });
  });
});
