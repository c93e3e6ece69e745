// Issue 15's dispatch cases on a fake clock against real Postgres: the one dial
// rule for re-sends after a crash (paused, closed window, past the deadline),
// re-sends by the running worker (backoff, refused, reconcile, recovery), a
// hanging request that must not hold back other campaigns, and wakes owed to
// refused claims (calls_per_minute 7).
import { afterEach, describe, expect, it } from 'vitest';
import { callStatuses, insertCampaign, insertContacts, OPEN, useTestDatabase, waitFor, type CampaignFields } from '@wakeplan/db/testing';
import { buildNotification, type DialRequest } from '@wakeplan/contract';
import { notifySchedulerChanged } from '@wakeplan/db';
import type { CallLookup, DialResult } from '../src/dialers/dialer.ts';
import { claimCampaignCalls } from '../src/sql/claims.ts';
import { startHarness, type Harness } from './helpers/harness.ts';
import { RecordingDialer } from './helpers/recording-dialer.ts';

const db = useTestDatabase();
let h: Harness | null = null;
const sec = (s: number) => new Date(OPEN.getTime() + s * 1000);

afterEach(async () => {
  expect(h?.logs.filter((l) => l.level >= 50).map((l) => l.msg) ?? []).toEqual([]);
  await h?.stop();
  h = null;
  await db.current.sql`truncate campaigns, calls, call_attempts, provider_events, worker_state, dial_sends, do_not_call`;
});

function deduplicating(at: Date = OPEN): Harness {
  return startHarness(db.current, { start: at, dialer: (clock) => new RecordingDialer(clock, 'deduplicates') });
}

/** A campaign with one contact claimed at OPEN by a worker that died before its request left (or before it heard back). */
async function crashedClaim(fields: CampaignFields = {}): Promise<{ campaignId: string; callId: string }> {
  const campaignId = await insertCampaign(db.current.sql, fields);
  const [callId] = await insertContacts(db.current.sql, campaignId, 1);
  const claim = await claimCampaignCalls(db.current.sql, campaignId, { at: OPEN, workerId: 'dead', accountCap: 10, resultTimeoutMinutes: 30, resendAfterMs: 60_000 });
  expect(claim.claimed).toHaveLength(1);
  return { campaignId, callId: callId! };
}

async function attemptRows(callId: string) {
  return db.current.sql<{ attempt: number; status: string; sends: number; dial_sent_at: Date | null; ended_at: Date | null; error: string | null }[]>`
    select attempt, status, sends, dial_sent_at, ended_at, error from call_attempts where call_id = ${callId} order by attempt`;
}

async function callRow(callId: string) {
  const [row] = await db.current.sql<{ status: string; attempt: number; next_attempt_at: Date | null }[]>`
    select status, attempt, next_attempt_at from calls where id = ${callId}`;
  return row!;
}

describe('the dial rule for a re-send after a crash', () => {
  it('a campaign paused since the claim: not re-sent; the attempt ends unknown and a retry waits past its deadline', async () => {
    const { campaignId, callId } = await crashedClaim({ retry_on: ['unknown'], retry_delay_minutes: 0 });
    await db.current.sql`update campaigns set status = 'paused' where id = ${campaignId}`;
    h = deduplicating(sec(10));
    h.worker.start();
    await h.settle();
    expect(h.dialer.dials).toEqual([]);
    expect(await attemptRows(callId)).toMatchObject([{ attempt: 1, status: 'unknown', sends: 1, error: 'not re-sent: its campaign is paused' }]);
    // queued again, but not before the deadline of the attempt that may have left: never two live calls
    expect(await callRow(callId)).toMatchObject({ status: 'queued', attempt: 1, next_attempt_at: sec(30 * 60) });
    expect(h.worker.counters.closedUnsent).toBe(1);
  });

  it('a window edited so it is closed now: not re-sent; the retry policy decides (failed without unknown in retry_on)', async () => {
    const { campaignId, callId } = await crashedClaim();
    await db.current.sql`update campaigns set last_call_time = '10:00' where id = ${campaignId}`; // 10:00 New York = OPEN: closed from now
    h = deduplicating(sec(10));
    h.worker.start();
    await h.settle();
    expect(h.dialer.dials).toEqual([]);
    expect(await attemptRows(callId)).toMatchObject([{ status: 'unknown', error: 'not re-sent: its campaign window is closed' }]);
    expect(await callRow(callId)).toMatchObject({ status: 'failed' });
  });

  it('a cancelled campaign: not re-sent; the contact is cancelled, never queued again', async () => {
    const { campaignId, callId } = await crashedClaim({ retry_on: ['unknown'] });
    await db.current.sql`update campaigns set status = 'cancelled' where id = ${campaignId}`;
    h = deduplicating(sec(10));
    h.worker.start();
    await h.settle();
    expect(h.dialer.dials).toEqual([]);
    expect(await callRow(callId)).toMatchObject({ status: 'cancelled' });
  });

  it('`unknown` retried with no delay, restarted after the deadline: attempt 1 is never re-sent; only attempt 2 is dialed', async () => {
    const { callId } = await crashedClaim({ retry_on: ['unknown'], retry_delay_minutes: 0 });
    h = deduplicating(sec(31 * 60));
    h.worker.start();
    await h.settle();
    expect(h.dialer.dials.map((d) => d.request.attempt)).toEqual([2]);
    const [one, two] = await attemptRows(callId);
    expect(one).toMatchObject({ status: 'unknown', sends: 1 });
    expect(two).toMatchObject({ status: 'in_progress', sends: 1, dial_sent_at: sec(31 * 60) });
    expect(one!.ended_at!.getTime()).toBeLessThanOrEqual(two!.dial_sent_at!.getTime()); // never two live attempts
  });

  it('a number put on the do-not-call list since the claim: not re-sent; the contact is cancelled as a claim would leave it', async () => {
    const { campaignId, callId } = await crashedClaim({ retry_on: ['unknown'], retry_delay_minutes: 0 });
    await db.current.sql`insert into do_not_call (phone, source, created_at) select phone, 'api', ${OPEN} from calls where id = ${callId}`;
    h = deduplicating(sec(10));
    h.worker.start();
    await h.settle();
    expect(h.dialer.dials).toEqual([]);
    expect(await attemptRows(callId)).toMatchObject([{ status: 'unknown', sends: 1, error: 'not re-sent: its number is on the do-not-call list' }]);
    const [call] = await db.current.sql`select status, last_outcome from calls where id = ${callId}`;
    expect(call).toMatchObject({ status: 'cancelled', last_outcome: 'dnc' });
    const [campaign] = await db.current.sql`select status from campaigns where id = ${campaignId}`;
    expect(campaign).toMatchObject({ status: 'completed' });
  });

  it('still inside the rule: re-sent at start-up under the same key, recorded as a second send', async () => {
    const { callId } = await crashedClaim();
    h = deduplicating(sec(10));
    h.worker.start();
    await h.settle();
    expect(h.dialer.dials.map((d) => d.request.idempotencyKey)).toEqual([`${callId}:1`]);
    expect(await attemptRows(callId)).toMatchObject([{ status: 'in_progress', sends: 2, dial_sent_at: OPEN }]);
    const sends = await db.current.sql`select send_no, sent_at, campaign_status, recipient_zone from dial_sends where call_id = ${callId} order by send_no`;
    expect(sends).toMatchObject([
      { send_no: 1, sent_at: OPEN, campaign_status: 'active', recipient_zone: 'America/New_York' },
      { send_no: 2, sent_at: sec(10), campaign_status: 'active' },
    ]);
  });
});

describe('start-up with a reconciling dialer', () => {
  it("leaves a claim whose request may still be on the wire alone until its hold ends, then finds it: never a second call", async () => {
    // Another worker claimed at OPEN and its request lands at the provider at 2 s; this worker starts at 1 s.
    const { callId } = await crashedClaim();
    const lookups: Date[] = [];
    h = startHarness(db.current, {
      start: sec(1),
      dialer: (clock) => Object.assign(new RecordingDialer(clock, 'reconciles'), {
        find: async (): Promise<CallLookup> => {
          lookups.push(clock.now());
          return clock.now() >= sec(2) ? { kind: 'found', providerCallId: 'p-other' } : { kind: 'not_found' };
        },
      }),
    });
    h.worker.start();
    await h.settle();
    expect(lookups).toEqual([]); // a find() now would say not_found and send a second call
    expect(h.dialer.dials).toEqual([]);
    await h.stepTo(sec(61)); // the hold set at the claim (60 s) is over: looked up, found, confirmed
    expect(lookups).toEqual([sec(60)]);
    expect(h.dialer.dials).toEqual([]);
    expect(await attemptRows(callId)).toMatchObject([{ status: 'in_progress', sends: 1 }]);
  });
});

describe('re-sends by the running worker', () => {
  /** The provider is down (no answer) until `upAt`; every request the worker sends is recorded. */
  function downUntil(upAt: Date, down: DialResult = { kind: 'unconfirmed', reason: 'provider down' }): Harness {
    const harness = deduplicating();
    harness.dialer.answer = async () => (harness.clock.now() < upAt ? down : { kind: 'confirmed', providerCallId: 'p-1' });
    return harness;
  }

  it('backs off 5 s, 15 s, 45 s, then every minute, and dials within a minute of the provider coming back', async () => {
    const id = await insertCampaign(db.current.sql, { retry_on: ['unknown'] });
    const [callId] = await insertContacts(db.current.sql, id, 1);
    const upAt = sec(10 * 60 + 7);
    h = downUntil(upAt);
    h.worker.start();
    await h.stepTo(sec(12 * 60));
    const times = h.dialer.dials.map((d) => (d.at.getTime() - OPEN.getTime()) / 1000);
    expect(times.slice(0, 6)).toEqual([0, 5, 20, 65, 125, 185]);
    const recovered = h.dialer.dials.find((d) => d.at >= upAt)!;
    expect(recovered.at.getTime() - upAt.getTime()).toBeLessThanOrEqual(60_000);
    expect(h.dialer.dials.every((d) => d.request.idempotencyKey === `${callId}:1`)).toBe(true);
    expect(await attemptRows(callId!)).toMatchObject([{ status: 'in_progress', sends: h.dialer.dials.length }]);
    expect(await callStatuses(db.current.sql, id)).toEqual({ in_progress: 1 });
  });

  it('stops at the deadline: the attempt ends unknown and nothing more leaves for it', async () => {
    const id = await insertCampaign(db.current.sql);
    const [callId] = await insertContacts(db.current.sql, id, 1);
    h = downUntil(sec(24 * 3600));
    h.worker.start();
    await h.stepTo(sec(40 * 60));
    expect(h.dialer.dials.every((d) => d.at < sec(30 * 60))).toBe(true);
    expect(await attemptRows(callId!)).toMatchObject([{ status: 'unknown' }]);
    expect(await callRow(callId!)).toMatchObject({ status: 'failed' });
  });

  it('stops when the campaign is paused: the next re-send fails the rule and is not sent', async () => {
    const id = await insertCampaign(db.current.sql);
    const [callId] = await insertContacts(db.current.sql, id, 1);
    h = downUntil(sec(24 * 3600));
    h.worker.start();
    await h.stepTo(sec(30));
    const before = h.dialer.dials.length;
    await db.current.sql`update campaigns set status = 'paused' where id = ${id}`;
    await h.stepTo(sec(5 * 60));
    expect(h.dialer.dials).toHaveLength(before);
    expect(await attemptRows(callId!)).toMatchObject([{ status: 'unknown', error: 'not re-sent: its campaign is paused' }]);
  });

  it('a refusal is sent again not before its Retry-After', async () => {
    const id = await insertCampaign(db.current.sql);
    await insertContacts(db.current.sql, id, 1);
    h = downUntil(sec(1), { kind: 'refused', reason: 'HTTP 429', retryAfterMs: 20_000 });
    h.worker.start();
    await h.stepTo(sec(60));
    expect(h.dialer.dials.map((d) => d.at)).toEqual([OPEN, sec(20)]);
  });

  it('a reconciling dialer looks the call up first: found → confirmed without sending; not_found → sent', async () => {
    const id = await insertCampaign(db.current.sql, { max_concurrent_calls: 2 });
    const [found, lost] = await insertContacts(db.current.sql, id, 2);
    const lookups: string[] = [];
    h = startHarness(db.current, {
      start: OPEN,
      dialer: (clock) => Object.assign(new RecordingDialer(clock, 'reconciles'), {
        find: async (request: DialRequest): Promise<CallLookup> => {
          lookups.push(request.callId);
          return request.callId === found ? { kind: 'found', providerCallId: 'p-found' } : { kind: 'not_found' };
        },
      }),
    });
    h.dialer.answer = async () => (h!.dialer.dials.length <= 2 ? { kind: 'unconfirmed', reason: 'timeout' } : { kind: 'confirmed', providerCallId: 'p-lost' });
    h.worker.start();
    await h.stepTo(sec(10));
    expect(lookups.sort()).toEqual([found, lost].sort());
    expect(h.dialer.dials.map((d) => d.request.callId)).toEqual([found, lost, lost]);
    const [f] = await db.current.sql`select status, provider_call_id from calls where id = ${found!}`;
    expect(f).toMatchObject({ status: 'in_progress', provider_call_id: 'p-found' });
    expect(await callRow(lost!)).toMatchObject({ status: 'in_progress' });
  });
});

describe('dial requests in flight', () => {
  it("campaign A's request hangs: campaign B, created later inside its window, is dialed at once", async () => {
    const a = await insertCampaign(db.current.sql, { name: 'A' });
    await insertContacts(db.current.sql, a, 1);
    h = deduplicating();
    let releaseA!: (r: DialResult) => void;
    h.dialer.answer = (request) => request.campaignId === a
      ? new Promise<DialResult>((resolve) => (releaseA = resolve))
      : Promise.resolve({ kind: 'confirmed', providerCallId: 'p-b' });
    h.worker.start();
    await waitFor(() => h!.dialer.dials.length === 1 && h!.worker.state === 'waiting', "A's request in flight");
    const b = await insertCampaign(db.current.sql, { name: 'B' }, OPEN);
    await insertContacts(db.current.sql, b, 1);
    // What the API's write sends: the NOTIFY naming B (the listening worker refreshes B alone), and the doorbell.
    await notifySchedulerChanged(db.current.sql, buildNotification('contacts_added', OPEN, { campaignId: b }));
    h.worker.wake();
    try {
      await waitFor(() => h!.dialer.dials.some((d) => d.request.campaignId === b), "B's request sent while A's hangs");
      await waitFor(async () => (await callStatuses(db.current.sql, b)).in_progress === 1, "B's confirmation recorded while A's hangs");
      expect(await callStatuses(db.current.sql, a)).toEqual({ dialing: 1 });
    } finally {
      releaseA({ kind: 'confirmed', providerCallId: 'p-a' });
    }
    await h.settle();
    expect(await callStatuses(db.current.sql, a)).toEqual({ in_progress: 1 });
  });

  it('never more than DIAL_CONCURRENCY requests in flight; claims again as soon as one is answered', async () => {
    const id = await insertCampaign(db.current.sql, { max_concurrent_calls: 10 });
    await insertContacts(db.current.sql, id, 5);
    h = startHarness(db.current, { start: OPEN, dialer: (clock) => new RecordingDialer(clock, 'deduplicates'), dialConcurrency: 2 });
    const pending: ((r: DialResult) => void)[] = [];
    h.dialer.answer = () => new Promise<DialResult>((resolve) => pending.push(resolve));
    h.worker.start();
    await waitFor(() => pending.length === 2 && h!.worker.state === 'waiting', 'two requests in flight');
    expect(h.dialer.dials).toHaveLength(2);
    pending.shift()!({ kind: 'confirmed', providerCallId: null });
    await waitFor(() => h!.dialer.dials.length === 3, 'a third request once one was answered');
    expect(pending).toHaveLength(2);
    while (h.dialer.dials.length < 5 || pending.length > 0) {
      if (pending.length > 0) pending.shift()!({ kind: 'confirmed', providerCallId: null });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await h.settle();
    expect(await callStatuses(db.current.sql, id)).toEqual({ in_progress: 5 });
  });
});

describe('wakes owed to refused claims', () => {
  it('calls_per_minute 7: every contact is dialed, slots ceil(60000/7) ms apart, and the worker never rests with work due', async () => {
    const id = await insertCampaign(db.current.sql, { calls_per_minute: 7, max_concurrent_calls: 20 });
    await insertContacts(db.current.sql, id, 8);
    h = deduplicating();
    h.dialer.auto = { sql: db.current.sql, afterMs: 1_000, status: 'completed', ring: () => h?.worker.wake() };
    h.worker.start();
    await h.stepTo(sec(120));
    expect(h.dialer.dials.map((d) => d.at.getTime() - OPEN.getTime())).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((k) => k * 8572));
    expect(await callStatuses(db.current.sql, id)).toEqual({ completed: 8 });
  });
});

describe('a dialer that can neither re-send nor look up', () => {
  it('is sent a refused request again after its Retry-After, but never an unconfirmed one', async () => {
    const id = await insertCampaign(db.current.sql, { max_concurrent_calls: 2 });
    const [refused, lost] = await insertContacts(db.current.sql, id, 2);
    h = startHarness(db.current, { start: OPEN }); // RecordingDialer: reconciles, no find()
    h.dialer.answer = async (request) => {
      if (h!.clock.now() > OPEN) return { kind: 'confirmed', providerCallId: null };
      return request.callId === refused ? { kind: 'refused', reason: 'HTTP 429', retryAfterMs: 10_000 } : { kind: 'unconfirmed', reason: 'timeout' };
    };
    h.worker.start();
    await h.stepTo(sec(5 * 60));
    expect(h.dialer.dials.map((d) => [d.request.callId, d.at])).toEqual([[refused, OPEN], [lost, OPEN], [refused, sec(10)]]);
    expect(await callRow(refused!)).toMatchObject({ status: 'in_progress' });
    expect(await callRow(lost!)).toMatchObject({ status: 'dialing' }); // left to its deadline
  });
});
