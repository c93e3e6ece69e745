// The shared outcome logic (packages/db outcomes.ts) driven the way the worker
// drives it, against real Postgres (DESIGN.md §6): keyed by (call_id,
// attempt) so duplicates and out-of-order events are harmless; the retry policy;
// expiry at end_date; campaign completion by one conditional update under the
// campaign lock (also when the last two calls end at once); deadlines; dial
// results; NOTIFY call_finished on commit.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderEventStatus } from '@wakeplan/contract';
import { applyProviderEvent, createListener, createSql, type Sql } from '@wakeplan/db';
import { insertCampaign, insertContacts, insertDirectCall, OPEN, useTestDatabase, type CampaignFields } from '@wakeplan/db/testing';
import { claimCampaignCalls, claimDirectCalls } from '../../src/sql/claims.ts';
import { recordDialConfirmations, recordDialRejection } from '../../src/sql/dial-results.ts';
import { listDueResends } from '../../src/sql/resends.ts';
import { expireEndedCampaign, expireOverdueCalls } from '../../src/sql/expiry.ts';

const db = useTestDatabase();
const O = { resultTimeoutMinutes: 30 };
const min = (n: number) => new Date(OPEN.getTime() + n * 60_000);
let listener: Sql;
const notes: string[] = [];

beforeAll(async () => {
  listener = createListener({ url: db.current.url, applicationName: 'test-listener', onnotify: (_channel, payload) => void notes.push(payload) });
  await listener`listen scheduler_changed`;
});
afterAll(async () => {
  await listener.end();
});
afterEach(async () => {
  await db.current.sql`truncate campaigns, calls, call_attempts, provider_events`;
  notes.length = 0;
});

/** A campaign (up to 10 calls at once) with `n` contacts, all claimed at OPEN. */
async function campaignWith(n: number, fields: CampaignFields = {}): Promise<{ id: string; calls: string[] }> {
  const id = await insertCampaign(db.current.sql, { max_concurrent_calls: 10, ...fields }, OPEN);
  const calls = await insertContacts(db.current.sql, id, n, OPEN);
  await claimCampaignCalls(db.current.sql, id, { at: OPEN, workerId: 'w', accountCap: 100, resultTimeoutMinutes: 30 });
  return { id, calls };
}

const event = (callId: string, status: ProviderEventStatus, at = OPEN, attempt = 1) =>
  ({ call_id: callId, attempt, status, occurred_at: at.toISOString(), provider_call_id: 'pc-1' });

async function call(id: string) {
  const [row] = await db.current.sql`select status, attempt, next_attempt_at, result_deadline, last_outcome, provider_call_id from calls where id = ${id}`;
  return row!;
}
async function campaignStatus(id: string): Promise<string> {
  const [row] = await db.current.sql<{ status: string }[]>`select status from campaigns where id = ${id}`;
  return row!.status;
}

describe('applyProviderEvent', () => {
  it('completes the call, records the attempt and the event, completes the campaign, and sends call_finished', async () => {
    const { id, calls: [c] } = await campaignWith(1);
    const result = await applyProviderEvent(db.current.sql, { ...event(c!, 'completed', min(3)), duration_seconds: 170 }, min(3), O);
    expect(result).toEqual({ result: 'applied', callStatus: 'completed', campaignId: id });
    expect(await call(c!)).toMatchObject({ status: 'completed', last_outcome: 'completed', result_deadline: null, provider_call_id: 'pc-1' });
    const [attempt] = await db.current.sql`select status, duration_seconds, ended_at from call_attempts where call_id = ${c!}`;
    expect(attempt).toMatchObject({ status: 'completed', duration_seconds: 170, ended_at: min(3) });
    expect(await campaignStatus(id)).toBe('completed');
    const [pe] = await db.current.sql`select applied, received_at from provider_events`;
    expect(pe).toMatchObject({ applied: true, received_at: min(3) });
    await expect.poll(() => notes.map((n) => JSON.parse(n).kind)).toEqual(['call_finished']);
    expect(JSON.parse(notes[0]!)).toMatchObject({ campaign_id: id, call_id: c });
  });

  it('is harmless when repeated or late: duplicate, stale, unknown call', async () => {
    const { calls: [c] } = await campaignWith(2);
    await applyProviderEvent(db.current.sql, event(c!, 'completed'), OPEN, O);
    expect(await applyProviderEvent(db.current.sql, event(c!, 'completed'), OPEN, O)).toMatchObject({ result: 'duplicate' });
    expect(await applyProviderEvent(db.current.sql, event(c!, 'busy'), OPEN, O)).toMatchObject({ result: 'stale' });
    expect(await applyProviderEvent(db.current.sql, event(c!, 'ringing'), OPEN, O)).toMatchObject({ result: 'stale' });
    expect(await applyProviderEvent(db.current.sql, event(c!, 'completed', OPEN, 2), OPEN, O)).toMatchObject({ result: 'stale' });
    expect(await applyProviderEvent(db.current.sql, event('00000000-0000-4000-8000-000000000000', 'completed'), OPEN, O)).toEqual({ result: 'unknown_call', campaignId: null });
    expect(await call(c!)).toMatchObject({ status: 'completed' });
    const [counts] = await db.current.sql`select count(*)::int as n, count(*) filter (where applied)::int as applied from provider_events`;
    expect(counts).toEqual({ n: 6, applied: 1 });
  });

  it('pushes the result deadline back on every progress event, and moves dialing to in_progress', async () => {
    const { calls: [c] } = await campaignWith(1);
    expect(await applyProviderEvent(db.current.sql, event(c!, 'ringing'), min(20), O)).toMatchObject({ result: 'applied', callStatus: 'in_progress' });
    expect(await call(c!)).toMatchObject({ status: 'in_progress', result_deadline: min(50) });
    await applyProviderEvent(db.current.sql, event(c!, 'in_progress'), min(45), O);
    expect((await call(c!)).result_deadline).toEqual(min(75));
    expect(await expireOverdueCalls(db.current.sql, min(60))).toBe(0); // a long call is not a lost one
  });

  it('applies the retry policy: retry_on with attempts left → queued at outcome + delay; else failed', async () => {
    const { calls: [a, b, v] } = await campaignWith(3, { max_attempts: 2, retry_delay_minutes: 45 });
    await applyProviderEvent(db.current.sql, event(a!, 'no_answer', min(2)), min(3), O);
    expect(await call(a!)).toMatchObject({ status: 'queued', next_attempt_at: min(47), last_outcome: 'no_answer' });
    await applyProviderEvent(db.current.sql, event(v!, 'voicemail'), OPEN, O); // not in the default retry_on
    expect(await call(v!)).toMatchObject({ status: 'failed' });
    await applyProviderEvent(db.current.sql, event(b!, 'busy', min(90)), min(5), O); // a provider clock ahead is clamped
    expect((await call(b!)).next_attempt_at).toEqual(min(50));
    const [c] = await db.current.sql<{ id: string }[]>`select campaign_id as id from calls where id = ${a!}`;
    await claimCampaignCalls(db.current.sql, c!.id, { at: min(50), workerId: 'w', accountCap: 100, resultTimeoutMinutes: 30 });
    await applyProviderEvent(db.current.sql, event(a!, 'no_answer', min(51), 2), min(51), O);
    expect(await call(a!)).toMatchObject({ status: 'failed', attempt: 2 });
  });

  it('expires a contact whose retry would fall after the campaign end_date', async () => {
    const { id, calls: [c] } = await campaignWith(1, { end_date: '2026-03-02', retry_delay_minutes: 24 * 60 });
    await applyProviderEvent(db.current.sql, event(c!, 'no_answer'), OPEN, O);
    expect(await call(c!)).toMatchObject({ status: 'expired' });
    expect(await campaignStatus(id)).toBe('completed');
  });

  it('completes the campaign exactly once when its last two calls end at the same moment', async () => {
    for (let round = 0; round < 5; round++) {
      const { id, calls: [a, b] } = await campaignWith(2);
      await Promise.all([a, b].map((c) => applyProviderEvent(db.current.sql, event(c!, 'completed'), OPEN, O)));
      expect(await campaignStatus(id)).toBe('completed');
    }
  });

  it('a late outcome corrects an attempt given up as unknown', async () => {
    const { id, calls: [c] } = await campaignWith(1);
    expect(await expireOverdueCalls(db.current.sql, min(31))).toBe(1);
    expect(await call(c!)).toMatchObject({ status: 'failed', last_outcome: 'unknown' });
    expect(await campaignStatus(id)).toBe('completed');
    expect(await applyProviderEvent(db.current.sql, event(c!, 'completed', min(10)), min(32), O)).toMatchObject({ result: 'applied', callStatus: 'completed' });
    expect(await call(c!)).toMatchObject({ status: 'completed', last_outcome: 'completed' });
    const { calls: [d] } = await campaignWith(1, { retry_on: ['no_answer'] });
    await expireOverdueCalls(db.current.sql, min(31));
    await applyProviderEvent(db.current.sql, event(d!, 'no_answer', min(10)), min(32), O); // now retryable: queued again
    expect(await call(d!)).toMatchObject({ status: 'queued', last_outcome: 'no_answer' });
  });
});

describe('dial results and deadlines', () => {
  it('confirms only a claim still dialing on that attempt; a 4xx fails it through the retry policy', async () => {
    const { calls: [a, b] } = await campaignWith(2);
    expect(await recordDialConfirmations(db.current.sql, [{ callId: a!, attempt: 1, providerCallId: 'pc-a' }, { callId: b!, attempt: 2, providerCallId: 'x' }], OPEN)).toBe(1);
    expect(await call(a!)).toMatchObject({ status: 'in_progress', provider_call_id: 'pc-a' });
    expect(await call(b!)).toMatchObject({ status: 'dialing' });
    expect((await listDueResends(db.current.sql, OPEN, { all: true, callbackUrl: 'http://cb', exclude: new Set(), limit: 10 })).map((d) => d.request))
      .toMatchObject([{ callId: b, attempt: 1, idempotencyKey: `${b}:1`, callbackUrl: 'http://cb' }]);
    expect(await recordDialRejection(db.current.sql, b!, 1, 'HTTP 422', OPEN)).toBe(true);
    expect(await call(b!)).toMatchObject({ status: 'queued', last_outcome: 'failed' }); // failed is in the default retry_on
    expect(await recordDialRejection(db.current.sql, b!, 1, 'again', OPEN)).toBe(false);
    expect(await recordDialRejection(db.current.sql, a!, 1, 'confirmed already', OPEN)).toBe(false);
  });

  it('records a round of confirmations in one statement; an attempt whose call already ended keeps its status', async () => {
    const { calls: [a, b, c] } = await campaignWith(3);
    await applyProviderEvent(db.current.sql, event(c!, 'completed', min(1)), min(1), O); // the outcome came before the answer
    let statements = 0;
    const counting = createSql({ url: db.current.url, applicationName: 'confirm-count', idleTimeoutS: 1, max: 1, debug: () => void statements++ });
    try {
      await counting`select 1`;
      statements = 0;
      const confirmations = [a!, b!, c!].map((id) => ({ callId: id, attempt: 1, providerCallId: `pc-${id}` }));
      expect(await recordDialConfirmations(counting, confirmations, min(2))).toBe(2);
      expect(statements).toBe(1);
    } finally {
      await counting.end();
    }
    expect(await call(a!)).toMatchObject({ status: 'in_progress', provider_call_id: `pc-${a}` });
    expect(await call(c!)).toMatchObject({ status: 'completed' });
    const attempts = await db.current.sql<{ call_id: string; status: string; confirmed_at: Date; next_send_at: Date | null }[]>`
      select call_id, status, confirmed_at, next_send_at from call_attempts order by call_id`;
    expect(Object.fromEntries(attempts.map((r) => [r.call_id, [r.status, r.confirmed_at, r.next_send_at]]))).toEqual({
      [a!]: ['in_progress', min(2), null], [b!]: ['in_progress', min(2), null], [c!]: ['completed', min(2), null],
    });
  });

  it('gives up on direct calls after one attempt', async () => {
    await insertDirectCall(db.current.sql, OPEN);
    const [claimed] = (await claimDirectCalls(db.current.sql, { at: OPEN, workerId: 'w', accountCap: 5, resultTimeoutMinutes: 30 })).claimed;
    await applyProviderEvent(db.current.sql, event(claimed!.callId, 'no_answer'), OPEN, O);
    expect(await call(claimed!.callId)).toMatchObject({ status: 'failed' });
  });

  it('expires queued contacts once the campaign window has ended for good', async () => {
    const id = await insertCampaign(db.current.sql, { end_date: '2026-03-01' }, OPEN);
    await insertContacts(db.current.sql, id, 1, OPEN);
    expect(await expireEndedCampaign(db.current.sql, id, new Date('2026-03-01T20:00:00Z'))).toBe(0); // 15:00 on its last day
    expect(await expireEndedCampaign(db.current.sql, id, OPEN)).toBe(1);
    expect(await campaignStatus(id)).toBe('completed');
  });
});
