// Lifecycle is total on the worker's side (issue 15 item 3), against real
// Postgres: what the worker settles itself — a result deadline passing (with
// `unknown` in retry_on) and a dial rejection — never queues a retry in a
// cancelled campaign, also one paused and then cancelled; in a paused campaign
// it queues the retry as usual (due after resume). The instants are given, so
// the deadline is crossed deterministically. Each test ends with `wakeplan check`'s
// query finding nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { checkConsistency } from '@wakeplan/db';
import { callStatuses, insertCampaign, insertContacts, OPEN, useTestDatabase } from '@wakeplan/db/testing';
import { claimCampaignCalls } from '../../src/sql/claims.ts';
import { recordDialRejection } from '../../src/sql/dial-results.ts';
import { expireOverdueCalls } from '../../src/sql/expiry.ts';

const db = useTestDatabase();
const min = (n: number) => new Date(OPEN.getTime() + n * 60_000);
let checkAt = OPEN;

afterEach(async () => {
  expect(await checkConsistency(db.current.sql, checkAt)).toEqual([]);
  await db.current.sql`truncate campaigns, calls, call_attempts, provider_events`;
});

/** A campaign retrying everything, `unknown` included, at once; its `n` contacts claimed at OPEN. */
async function claimed(n: number): Promise<{ id: string; calls: string[] }> {
  const id = await insertCampaign(db.current.sql, {
    max_concurrent_calls: 10, max_attempts: 3, retry_delay_minutes: 0, retry_on: ['no_answer', 'busy', 'failed', 'unknown'],
  }, OPEN);
  const calls = await insertContacts(db.current.sql, id, n, OPEN);
  const result = await claimCampaignCalls(db.current.sql, id, { at: OPEN, workerId: 'w', accountCap: 100, resultTimeoutMinutes: 30 });
  expect(result.claimed).toHaveLength(n);
  return { id, calls };
}
const setStatus = (id: string, status: string) => db.current.sql`update campaigns set status = ${status} where id = ${id}`;
/** What the API's cancel does under the campaign lock: the campaign and its queued contacts cancelled. */
async function cancel(id: string) {
  await db.current.sql.begin(async (tx) => {
    await tx`update campaigns set status = 'cancelled' where id = ${id}`;
    await tx`update calls set status = 'cancelled' where campaign_id = ${id} and status = 'queued'`;
  });
}

describe('deadline expiry and dial rejections respect the lifecycle', () => {
  it('a deadline passing in a cancelled campaign cancels the contact instead of retrying it', async () => {
    const { id, calls } = await claimed(2);
    await cancel(id);
    checkAt = min(31);
    expect(await expireOverdueCalls(db.current.sql, min(31))).toBe(2);
    expect(await callStatuses(db.current.sql, id)).toEqual({ cancelled: 2 });
    const attempts = await db.current.sql`select status from call_attempts where call_id = any(${calls}::uuid[])`;
    expect(attempts.map((a) => a.status)).toEqual(['unknown', 'unknown']);
    const [row] = await db.current.sql`select status from campaigns where id = ${id}`;
    expect(row!.status).toBe('cancelled');
  });

  it('paused: the deadline queues the retry as usual (due at once after resume); cancelled next, it is cancelled', async () => {
    const { id, calls } = await claimed(1);
    await setStatus(id, 'paused');
    checkAt = min(31);
    await expireOverdueCalls(db.current.sql, min(31));
    const [queued] = await db.current.sql`select status, attempt, next_attempt_at from calls where id = ${calls[0]!}`;
    expect(queued).toEqual({ status: 'queued', attempt: 1, next_attempt_at: min(31) });
    await cancel(id);
    expect(await callStatuses(db.current.sql, id)).toEqual({ cancelled: 1 });
  });

  it('a dial rejection in a cancelled campaign cancels the contact', async () => {
    const { id, calls } = await claimed(1);
    await cancel(id);
    checkAt = min(1);
    expect(await recordDialRejection(db.current.sql, calls[0]!, 1, 'HTTP 400', min(1))).toBe(true);
    expect(await callStatuses(db.current.sql, id)).toEqual({ cancelled: 1 });
  });

  it('a campaign paused during its last call stays paused when the deadline ends it (resume completes it)', async () => {
    const id = await insertCampaign(db.current.sql, { max_concurrent_calls: 10, max_attempts: 1 }, OPEN);
    await insertContacts(db.current.sql, id, 1, OPEN);
    await claimCampaignCalls(db.current.sql, id, { at: OPEN, workerId: 'w', accountCap: 100, resultTimeoutMinutes: 30 });
    await setStatus(id, 'paused');
    checkAt = min(31);
    await expireOverdueCalls(db.current.sql, min(31));
    expect(await callStatuses(db.current.sql, id)).toEqual({ failed: 1 });
    const [row] = await db.current.sql`select status from campaigns where id = ${id}`;
    expect(row!.status).toBe('paused');
  });
});
