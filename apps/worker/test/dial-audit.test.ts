// The dial audit (packages/db dial-audit.ts) against what the worker records:
// a day of real dials — fresh claims, re-sends after a crash, a refused claim,
// recipient hours — audits empty; each kind of violation, recorded by hand as a
// broken worker would have, is found, judged by what was in force when it left.
import { afterEach, describe, expect, it } from 'vitest';
import { auditDials } from '@wakeplan/db';
import { insertCampaign, insertContacts, OPEN, useTestDatabase } from '@wakeplan/db/testing';
import { claimCampaignCalls } from '../src/sql/claims.ts';
import { startHarness, type Harness } from './helpers/harness.ts';
import { RecordingDialer } from './helpers/recording-dialer.ts';

const db = useTestDatabase();
let h: Harness | null = null;
const DAY = { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-03T00:00:00Z') };
const WINDOW = { timezone: 'America/New_York', firstCallTime: '09:00', lastCallTime: '17:00', daysOfWeek: [1, 2, 3, 4, 5, 6, 7], startDate: null, endDate: null, blackoutDates: [] };

afterEach(async () => {
  await h?.stop();
  h = null;
  await db.current.sql`truncate campaigns, calls, call_attempts, provider_events, worker_state, dial_sends`;
});

/** A dial as a broken worker might have recorded it. */
async function recordSend(callId: string, attempt: number, sentAt: Date, o: { status?: string; hours?: object | null; zone?: string; endedAt?: Date | null } = {}) {
  const sql = db.current.sql;
  await sql`insert into call_attempts (call_id, attempt, status, claimed_at, dial_sent_at, sends, ended_at)
            values (${callId}, ${attempt}, 'completed', ${sentAt}, ${sentAt}, 1, ${o.endedAt === undefined ? new Date(sentAt.getTime() + 60_000) : o.endedAt})`;
  const [call] = await sql<{ campaign_id: string }[]>`select campaign_id from calls where id = ${callId}`;
  await sql`insert into dial_sends ${sql({
    call_id: callId, attempt, send_no: 1, sent_at: sentAt, worker_id: 'broken', campaign_id: call!.campaign_id,
    campaign_status: o.status ?? 'active', window_in_force: sql.json(WINDOW as never),
    recipient_hours: o.hours ? sql.json(o.hours as never) : null, recipient_zone: o.zone ?? 'America/New_York',
  } as never)}`;
}

describe('the dial audit', () => {
  it('a day of real dials, re-sends and recipient hours audits empty', async () => {
    const hours = await insertCampaign(db.current.sql, { recipient_calling_hours: { start: '08:00', end: '21:00' }, max_concurrent_calls: 5 });
    await insertContacts(db.current.sql, hours, 3, OPEN, { timezone: 'America/Los_Angeles' }); // callable from 11:00 New York
    await insertContacts(db.current.sql, hours, 2, OPEN);
    const crashed = await insertCampaign(db.current.sql, { name: 'crashed' });
    await insertContacts(db.current.sql, crashed, 1);
    await claimCampaignCalls(db.current.sql, crashed, { at: OPEN, workerId: 'dead', accountCap: 50, resultTimeoutMinutes: 30, resendAfterMs: 60_000 });
    h = startHarness(db.current, { start: new Date(OPEN.getTime() + 5_000), dialer: (clock) => new RecordingDialer(clock, 'deduplicates') });
    h.dialer.auto = { sql: db.current.sql, afterMs: 30_000, status: 'completed', ring: () => h?.worker.wake() };
    h.worker.start();
    await h.stepTo(new Date('2026-03-02T17:00:00Z'));
    expect(h.dialer.dials).toHaveLength(6); // five contacts and one re-send
    const audit = await auditDials(db.current.sql, DAY.from, DAY.to);
    expect(audit).toEqual({ from: DAY.from.toISOString(), to: DAY.to.toISOString(), dials_checked: 7, violations: [] });
  });

  it('finds dials outside the window, outside recipient hours, while not active, and a second live attempt', async () => {
    const id = await insertCampaign(db.current.sql);
    const [early, paused, asleep, twice] = await insertContacts(db.current.sql, id, 4);
    await recordSend(early!, 1, new Date('2026-03-02T13:00:00Z')); // 08:00 New York
    await recordSend(paused!, 1, OPEN, { status: 'paused' });
    await recordSend(asleep!, 1, OPEN, { hours: { start: '08:00', end: '21:00' }, zone: 'America/Los_Angeles' }); // 07:00 there
    await recordSend(twice!, 1, OPEN, { endedAt: null });
    await recordSend(twice!, 2, new Date(OPEN.getTime() + 60_000));
    const { violations, dials_checked } = await auditDials(db.current.sql, DAY.from, DAY.to);
    expect(dials_checked).toBe(5);
    const found = violations.map((v) => [v.call_id, v.attempt, v.violations, v.overlapping_attempt]);
    expect(found).toHaveLength(4);
    expect(found).toEqual(expect.arrayContaining([
      [early, 1, ['outside_window'], null],
      [asleep, 1, ['outside_recipient_hours'], null],
      [paused, 1, ['campaign_not_active'], null],
      [twice, 2, ['second_live_attempt'], 1],
    ]));
    expect(violations[0]).toMatchObject({ window: WINDOW, campaign_status: 'active', send_no: 1 });
    expect((await auditDials(db.current.sql, DAY.to, new Date(DAY.to.getTime() + 86_400_000))).dials_checked).toBe(0);
  });
});
