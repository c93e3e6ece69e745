// The claim transaction against real Postgres (DESIGN.md §6): caps per campaign
// and account-wide (also under concurrent claimers), pacing, the window and
// status re-checked, recipient hours per contact zone, due times, direct calls,
// the call_attempts primary key as the last line of defence, and the plan change
// mark a claim leaves on its campaign.
import { afterEach, describe, expect, it } from 'vitest';
import { createSql, PgCodes, pgErrorCode, readPlanChanges, readPlanWatermark } from '@wakeplan/db';
import {
  insertCampaign, insertContacts, insertDirectCall, OPEN, useTestDatabase, type CampaignFields, type ContactFields,
} from '@wakeplan/db/testing';
import { claimCampaignCalls, claimDirectCalls, type ClaimOptions } from '../../src/sql/claims.ts';

const db = useTestDatabase();

afterEach(async () => {
  await db.current.sql`truncate campaigns, calls, call_attempts, dial_sends, do_not_call`;
});

const campaign = (fields: CampaignFields = {}) => insertCampaign(db.current.sql, { agent_id: 'agent-c', ...fields }, OPEN);
const contacts = (campaignId: string, n: number, fields: ContactFields = {}) => insertContacts(db.current.sql, campaignId, n, OPEN, fields);

const opts = (at: Date, extra: Partial<ClaimOptions> = {}): ClaimOptions => ({ at, workerId: 'w1', accountCap: 100, resultTimeoutMinutes: 30, ...extra });

describe('claimCampaignCalls', () => {
  it('a refusal says when the claim can succeed: the next pacing slot, or the window\'s next opening', async () => {
    const paced = await campaign({ calls_per_minute: 7, max_concurrent_calls: 5 });
    await contacts(paced, 3);
    expect((await claimCampaignCalls(db.current.sql, paced, opts(OPEN))).claimed).toHaveLength(1);
    const refused = await claimCampaignCalls(db.current.sql, paced, opts(new Date(OPEN.getTime() + 8_571)));
    expect(refused).toMatchObject({ claimed: [], blockedBy: 'pacing', notBefore: new Date(OPEN.getTime() + 8_572) });
    expect((await claimCampaignCalls(db.current.sql, paced, opts(refused.notBefore!))).claimed).toHaveLength(1);
    const closed = await campaign({ first_call_time: '11:00' }); // OPEN is 10:00 New York
    await contacts(closed, 1);
    expect(await claimCampaignCalls(db.current.sql, closed, opts(OPEN))).toMatchObject({
      claimed: [], blockedBy: 'window_closed', notBefore: new Date('2026-03-02T16:00:00Z'),
    });
  });

  it('records the dial: dial_sent_at, one send, the next send time, and what was in force in dial_sends', async () => {
    const id = await campaign({ recipient_calling_hours: { start: '08:00', end: '21:00' } });
    const [callId] = await contacts(id, 1, { timezone: 'America/Chicago' });
    await claimCampaignCalls(db.current.sql, id, opts(OPEN, { resendAfterMs: 60_000 }));
    const [attempt] = await db.current.sql`select dial_sent_at, sends, next_send_at from call_attempts where call_id = ${callId!}`;
    expect(attempt).toEqual({ dial_sent_at: OPEN, sends: 1, next_send_at: new Date(OPEN.getTime() + 60_000) });
    const [send] = await db.current.sql`select send_no, sent_at, worker_id, campaign_status, window_in_force, recipient_hours, recipient_zone from dial_sends`;
    expect(send).toMatchObject({
      send_no: 1, sent_at: OPEN, worker_id: 'w1', campaign_status: 'active', recipient_hours: { start: '08:00', end: '21:00' }, recipient_zone: 'America/Chicago',
      window_in_force: expect.objectContaining({ timezone: 'America/New_York', firstCallTime: '09:00', lastCallTime: '17:00' }),
    });
  });

  it('marks its campaign\'s plan changed (plan_changed_xid) when it claims or cancels a listed number, not when it is refused', async () => {
    const changedSince = async (watermark: string) => (await readPlanChanges(db.current.sql, watermark)).campaignIds;
    const id = await campaign({ max_concurrent_calls: 1 });
    await contacts(id, 2);
    let watermark = await readPlanWatermark(db.current.sql);
    expect((await claimCampaignCalls(db.current.sql, id, opts(OPEN))).claimed).toHaveLength(1);
    expect(await changedSince(watermark)).toEqual([id]);
    watermark = await readPlanWatermark(db.current.sql);
    expect(await claimCampaignCalls(db.current.sql, id, opts(OPEN))).toMatchObject({ claimed: [], blockedBy: 'campaign_cap' });
    expect(await changedSince(watermark)).toEqual([]);
    const listedOnly = await campaign();
    const [listed] = await contacts(listedOnly, 1);
    await db.current.sql`insert into do_not_call (phone, source, created_at) select phone, 'api', ${OPEN} from calls where id = ${listed!}`;
    watermark = await readPlanWatermark(db.current.sql);
    expect((await claimCampaignCalls(db.current.sql, listedOnly, opts(OPEN))).claimed).toEqual([]);
    expect(await changedSince(watermark)).toEqual([listedOnly]);
    const [row] = await db.current.sql`select last_dial_at from campaigns where id = ${listedOnly}`;
    expect(row!.last_dial_at).toBeNull(); // nothing dialed: no pacing slot taken
  });

  it('claims up to max_concurrent_calls, oldest first, and records each attempt', async () => {
    const id = await campaign({ max_concurrent_calls: 2 });
    const ids = await contacts(id, 3);
    const first = await claimCampaignCalls(db.current.sql, id, opts(OPEN));
    expect(first.claimed.map((c) => c.callId)).toEqual(ids.slice(0, 2));
    expect(first.claimed[0]).toMatchObject({ attempt: 1, campaignId: id, agentId: 'agent-c', resultDeadline: new Date(OPEN.getTime() + 30 * 60_000) });
    expect(first.blockedBy).toBe('campaign_cap');
    const again = await claimCampaignCalls(db.current.sql, id, opts(OPEN));
    expect(again).toMatchObject({ claimed: [], blockedBy: 'campaign_cap' });
    const attempts = await db.current.sql`select call_id, attempt, status, worker_id, claimed_at from call_attempts order by claimed_at`;
    expect(attempts.map((a) => [a.attempt, a.status, a.worker_id])).toEqual([[1, 'dialing', 'w1'], [1, 'dialing', 'w1']]);
    const calls = await db.current.sql`select status, attempt from calls where id = ${ids[0]!}`;
    expect(calls[0]).toMatchObject({ status: 'dialing', attempt: 1 });
  });

  it('holds the account-wide cap across campaigns', async () => {
    const a = await campaign({ max_concurrent_calls: 2 });
    const b = await campaign({ max_concurrent_calls: 2 });
    await contacts(a, 2);
    await contacts(b, 2);
    expect((await claimCampaignCalls(db.current.sql, a, opts(OPEN, { accountCap: 3 }))).claimed).toHaveLength(2);
    const second = await claimCampaignCalls(db.current.sql, b, opts(OPEN, { accountCap: 3 }));
    expect(second.claimed).toHaveLength(1);
    expect(second.blockedBy).toBe('account_cap');
    expect(await claimDirectCalls(db.current.sql, opts(OPEN, { accountCap: 3 }))).toMatchObject({ claimed: [], blockedBy: 'account_cap' });
  });

  it('holds the caps when many claimers race (SKIP LOCKED alone would not)', async () => {
    const a = await campaign({ max_concurrent_calls: 5 });
    const b = await campaign({ max_concurrent_calls: 5 });
    await contacts(a, 20);
    await contacts(b, 20);
    const pools = Array.from({ length: 6 }, () => createSql({ url: db.current.url, applicationName: 'claim-race', idleTimeoutS: 1, max: 2 }));
    try {
      const results = await Promise.all(pools.flatMap((sql) => [a, b].map((id) => claimCampaignCalls(sql, id, opts(OPEN, { accountCap: 8 })))));
      const claimed = results.flatMap((r) => r.claimed);
      expect(claimed).toHaveLength(8);
      expect(new Set(claimed.map((c) => c.callId)).size).toBe(8);
      expect(claimed.filter((c) => c.campaignId === a).length).toBeLessThanOrEqual(5);
      expect(claimed.filter((c) => c.campaignId === b).length).toBeLessThanOrEqual(5);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('re-checks status and window itself: a paused or closed campaign claims nothing', async () => {
    const paused = await campaign({ status: 'paused' });
    await contacts(paused, 1);
    expect(await claimCampaignCalls(db.current.sql, paused, opts(OPEN))).toMatchObject({ claimed: [], blockedBy: 'not_active' });
    const closed = await campaign({ first_call_time: '18:00', last_call_time: '20:00' });
    await contacts(closed, 1);
    expect(await claimCampaignCalls(db.current.sql, closed, opts(OPEN))).toMatchObject({ claimed: [], blockedBy: 'window_closed' });
    expect(await claimCampaignCalls(db.current.sql, '00000000-0000-4000-8000-000000000000', opts(OPEN))).toMatchObject({ blockedBy: 'not_active' });
  });

  it('a claim racing a pause or a resume sees the committed status: it waits on the campaign row, never reads around it', async () => {
    const id = await campaign();
    await contacts(id, 4);
    const other = createSql({ url: db.current.url, applicationName: 'lifecycle-race', idleTimeoutS: 1, max: 2 });
    try {
      // A pause holds the campaign row (as the API's transaction does) while a claim starts: the claim waits, then sees `paused`.
      const claimedDuringPause = await holdingCampaignRow(other, id, 'paused', () => claimCampaignCalls(db.current.sql, id, opts(OPEN)));
      expect(claimedDuringPause).toMatchObject({ claimed: [], blockedBy: 'not_active' });
      // The resume: a claim started before its commit waits, then dials — after the resume committed, never before.
      const claimedDuringResume = await holdingCampaignRow(other, id, 'active', () => claimCampaignCalls(db.current.sql, id, opts(OPEN)));
      expect(claimedDuringResume.claimed.length).toBeGreaterThan(0);
    } finally {
      await other.end();
    }
  });

  it('claims only what is due: next_attempt_at in the future waits', async () => {
    const id = await campaign({ max_concurrent_calls: 5 });
    const [later] = await contacts(id, 1, { next_attempt_at: new Date(OPEN.getTime() + 60_000) });
    const [now] = await contacts(id, 1);
    expect((await claimCampaignCalls(db.current.sql, id, opts(OPEN))).claimed.map((c) => c.callId)).toEqual([now]);
    expect((await claimCampaignCalls(db.current.sql, id, opts(new Date(OPEN.getTime() + 60_000)))).claimed.map((c) => c.callId)).toEqual([later]);
  });

  it('paces dials from last_dial_at: calls_per_minute slots, at most a second of burst', async () => {
    const slow = await campaign({ max_concurrent_calls: 10, calls_per_minute: 2 });
    await contacts(slow, 5);
    expect((await claimCampaignCalls(db.current.sql, slow, opts(OPEN))).claimed).toHaveLength(1);
    const early = await claimCampaignCalls(db.current.sql, slow, opts(new Date(OPEN.getTime() + 10_000)));
    expect(early).toMatchObject({ claimed: [], blockedBy: 'pacing', pacingReadyAt: new Date(OPEN.getTime() + 30_000) });
    expect((await claimCampaignCalls(db.current.sql, slow, opts(new Date(OPEN.getTime() + 30_000)))).claimed).toHaveLength(1);
    const fast = await campaign({ max_concurrent_calls: 10, calls_per_minute: 120 });
    await contacts(fast, 10);
    expect((await claimCampaignCalls(db.current.sql, fast, opts(OPEN))).claimed).toHaveLength(2);
    expect((await claimCampaignCalls(db.current.sql, fast, opts(new Date(OPEN.getTime() + 499)))).claimed).toHaveLength(0);
    expect((await claimCampaignCalls(db.current.sql, fast, opts(new Date(OPEN.getTime() + 5_000)))).claimed).toHaveLength(2);
  });

  it('dials a contact only inside recipient calling hours in the contact\'s own zone', async () => {
    const id = await campaign({ timezone: 'UTC', first_call_time: '00:00', last_call_time: '00:00', max_concurrent_calls: 10,
      recipient_calling_hours: { start: '08:00', end: '21:00' } });
    const [ny] = await contacts(id, 1, { timezone: 'America/New_York' });
    const [la] = await contacts(id, 1, { timezone: 'America/Los_Angeles' });
    expect((await claimCampaignCalls(db.current.sql, id, opts(new Date('2026-03-02T12:30:00Z')))).claimed).toEqual([]); // 07:30 / 04:30
    expect((await claimCampaignCalls(db.current.sql, id, opts(new Date('2026-03-02T13:30:00Z')))).claimed.map((c) => c.callId)).toEqual([ny]);
    expect((await claimCampaignCalls(db.current.sql, id, opts(new Date('2026-03-02T16:30:00Z')))).claimed.map((c) => c.callId)).toEqual([la]);
  });

  it('makes a second claim of the same attempt impossible (call_attempts primary key)', async () => {
    const id = await campaign();
    const [call] = await contacts(id, 1);
    await claimCampaignCalls(db.current.sql, id, opts(OPEN));
    const error = await db.current.sql`insert into call_attempts (call_id, attempt, claimed_at) values (${call!}, 1, ${OPEN})`.catch((e: unknown) => e);
    expect(pgErrorCode(error)).toBe(PgCodes.UNIQUE_VIOLATION);
  });
});

describe('claimDirectCalls', () => {
  it('claims due direct calls whatever the hour, under the account cap', async () => {
    const night = new Date('2026-03-02T07:00:00Z'); // 02:00 New York
    const due = await insertDirectCall(db.current.sql, OPEN);
    await insertDirectCall(db.current.sql, OPEN, new Date(night.getTime() + 60_000));
    const result = await claimDirectCalls(db.current.sql, opts(night));
    expect(result.claimed.map((c) => [c.callId, c.agentId, c.campaignId])).toEqual([[due, 'agent-direct', null]]);
  });
});

/**
 * Runs `claim` while another connection holds the campaign row in a transaction
 * that sets `status`, commits that transaction once the claim is seen waiting on
 * the lock, and returns what the claim did.
 */
async function holdingCampaignRow<T>(other: ReturnType<typeof createSql>, id: string, status: string, claim: () => Promise<T>): Promise<T> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const change = other.begin(async (tx) => {
    await tx`update campaigns set status = ${status} where id = ${id}`;
    locked();
    await released;
  });
  await isLocked;
  const claimed = claim();
  for (let i = 0; i < 100; i++) {
    const [waiting] = await other<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`; // the claim, blocked
    if (waiting!.n > 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  release();
  await change;
  return claimed;
}
