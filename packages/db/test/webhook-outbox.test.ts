// The webhook outbox against real Postgres and a real HTTP receiver: events are
// written by the outcome's own transaction (rolled back → none), delivered at
// least once and in order per call through a receiver that is down, then
// answers 500, then recovers; signatures verify; two deliverers racing never send
// one delivery at once; 24 hours of failures end `failed`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifySignedBody, WEBHOOK_EVENT_TYPES, type WebhookEventBody } from '@wakeplan/contract';
import {
  applyProviderEvent, applyProviderEventInTransaction, deliverDueWebhooks, httpWebhookSender, readCampaignPlans, readEarliestPendingDelivery,
  readPlanSnapshot,
} from '../src/index.ts';
import { insertCampaign, insertContacts, markDialing, OPEN, useTestDatabase } from '../src/testing/index.ts';

const db = useTestDatabase();
const SECRET = 'test-secret-0123456789abcdef0123456789';
const O = { resultTimeoutMinutes: 30 };

interface Received { body: WebhookEventBody; verified: boolean }
let server: Server;
let url = '';
let mode: 'up' | '500' | 'slow' = 'up';
let received: Received[] = [];
let clockNow = OPEN;
const now = () => clockNow;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (mode === '500') return void res.writeHead(500).end('no');
      const check = verifySignedBody({
        secret: SECRET, rawBody: raw, at: clockNow,
        timestampHeader: req.headers['x-wakeplan-timestamp'] as string, signatureHeader: req.headers['x-wakeplan-signature'] as string,
      });
      received.push({ body: JSON.parse(raw) as WebhookEventBody, verified: check.ok });
      if (mode === 'slow') return void setTimeout(() => res.writeHead(204).end(), 150);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
afterEach(async () => {
  await db.current.sql`truncate campaigns, calls, call_attempts, provider_events, webhook_subscriptions, outbox_events, webhook_deliveries`;
  received = [];
  mode = 'up';
  clockNow = OPEN;
});

async function subscribe(target = url, events: readonly string[] = WEBHOOK_EVENT_TYPES): Promise<string> {
  const [row] = await db.current.sql<{ id: string }[]>`
    insert into webhook_subscriptions (url, events, secret, created_at) values (${target}, ${events as string[]}, ${SECRET}, ${OPEN}) returning id`;
  return row!.id;
}

/** A campaign with `n` contacts on attempt 1 (dialing); retry only on no_answer, 2 attempts. */
async function dialingCampaign(n: number): Promise<{ id: string; calls: string[] }> {
  const id = await insertCampaign(db.current.sql, { max_concurrent_calls: 10, max_attempts: 2, retry_on: ['no_answer'], retry_delay_minutes: 0 }, OPEN);
  const calls = await insertContacts(db.current.sql, id, n, OPEN);
  await markDialing(db.current.sql, calls, OPEN, new Date(OPEN.getTime() + 3_600_000));
  return { id, calls };
}

const outcome = (callId: string, status: 'completed' | 'no_answer' | 'failed', attempt = 1) =>
  applyProviderEvent(db.current.sql, { call_id: callId, attempt, status, occurred_at: clockNow.toISOString() }, clockNow, O);

const deliver = (send = httpWebhookSender(2000)) => deliverDueWebhooks(db.current.sql, { now, send });

/** Runs the deliverer at each earliest pending time (what the worker's wake plan does) until nothing is pending. */
async function drainOnVirtualClock(maxRuns = 200): Promise<number> {
  let runs = 0;
  for (; runs < maxRuns; runs++) {
    const next = await readEarliestPendingDelivery(db.current.sql);
    if (!next) break;
    if (next > clockNow) clockNow = next;
    await deliver();
  }
  return runs;
}

describe('the outbox', () => {
  it('writes nothing while nobody subscribed', async () => {
    const { calls } = await dialingCampaign(1);
    await outcome(calls[0]!, 'completed');
    const [n] = await db.current.sql<{ n: number }[]>`select count(*)::int as n from outbox_events`;
    expect(n!.n).toBe(0);
  });

  it('writes the events of an outcome in its transaction, and none when it rolls back', async () => {
    await subscribe();
    const { calls } = await dialingCampaign(2);
    await db.current.sql.begin(async (tx) => {
      await applyProviderEventInTransaction(tx, { call_id: calls[0]!, attempt: 1, status: 'completed', occurred_at: OPEN.toISOString() }, OPEN, O);
      throw new Error('roll back');
    }).catch(() => {});
    expect((await db.current.sql`select 1 from outbox_events`).length).toBe(0);
    await outcome(calls[0]!, 'completed');
    await outcome(calls[1]!, 'failed');
    const rows = await db.current.sql<{ type: string }[]>`select type from outbox_events order by seq`;
    expect(rows.map((r) => r.type)).toEqual([
      'call.attempt_ended', 'call.completed', 'call.attempt_ended', 'call.failed', 'campaign.completed',
    ]);
  });

  it('only sends the events a subscription asked for', async () => {
    await subscribe(url, ['call.completed']);
    const { calls } = await dialingCampaign(1);
    await outcome(calls[0]!, 'completed');
    await deliver();
    expect(received.map((r) => r.body.type)).toEqual(['call.completed']);
    expect(received[0]!.body.data).toMatchObject({ call_id: calls[0], status: 'completed', attempt: 1, outcome: 'completed' });
  });
});

describe('delivery', () => {
  it('survives a receiver that is down, then answers 500, then recovers: every event, in order per call, signed', async () => {
    await subscribe();
    const { calls } = await dialingCampaign(3);
    await new Promise((resolve) => server.close(resolve)); // down: connection refused
    await outcome(calls[0]!, 'no_answer'); // → queued for attempt 2
    await outcome(calls[1]!, 'completed');
    const down = await deliver();
    expect(down).toMatchObject({ delivered: 0 });
    expect(down.attempted).toBeGreaterThan(0);
    await new Promise<void>((resolve) => server.listen(Number(new URL(url).port), '127.0.0.1', resolve));
    mode = '500';
    clockNow = new Date(OPEN.getTime() + 31_000);
    await deliver();
    expect(received).toEqual([]);
    // more outcomes while it fails: attempt 2 of call 0, call 2
    await markDialing(db.current.sql, [calls[0]!], clockNow, new Date(clockNow.getTime() + 3_600_000));
    await outcome(calls[0]!, 'completed', 2);
    await outcome(calls[2]!, 'failed');
    mode = 'up';
    await drainOnVirtualClock();

    const events = await db.current.sql<{ id: string; type: string; ordering_key: string }[]>`select id, type, ordering_key from outbox_events order by seq`;
    const ids = new Set(received.map((r) => r.body.id));
    expect(ids).toEqual(new Set(events.map((e) => e.id))); // every event, deduplicated by id
    expect(received.every((r) => r.verified)).toBe(true);
    for (const call of calls) {
      const sent = dedupe(received).filter((r) => r.data.call_id === call && r.type.startsWith('call.')).map((r) => r.id);
      const written = events.filter((e) => e.ordering_key === `call:${call}`).map((e) => e.id);
      expect(sent).toEqual(written); // in order per call
    }
    const statuses = await db.current.sql<{ status: string }[]>`select distinct status from webhook_deliveries`;
    expect(statuses.map((s) => s.status)).toEqual(['delivered']);
  });

  it('never sends one delivery twice at once when two deliverers race (FOR UPDATE SKIP LOCKED and a lease)', async () => {
    await subscribe();
    const { calls } = await dialingCampaign(20);
    for (const c of calls) await outcome(c, 'completed');
    mode = 'slow';
    await Promise.all([deliver(), deliver(), deliver()]);
    await drainOnVirtualClock();
    const ids = received.map((r) => r.body.id);
    expect(new Set(ids).size).toBe(ids.length);
    const [n] = await db.current.sql<{ n: number }[]>`select count(*)::int as n from outbox_events`;
    expect(ids.length).toBe(n!.n);
  });

  it('retries with backoff for 24 hours, then marks the delivery failed (and the next of the same call goes)', async () => {
    await subscribe();
    const { calls } = await dialingCampaign(1);
    mode = '500';
    await outcome(calls[0]!, 'completed');
    const runs = await drainOnVirtualClock();
    const rows = await db.current.sql<{ status: string; attempts: number; last_error: string; last_status_code: number; last_attempt_at: Date }[]>`
      select status, attempts, last_error, last_status_code, last_attempt_at from webhook_deliveries order by id`;
    expect(rows.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
    expect(rows[0]!).toMatchObject({ last_status_code: 500, last_error: 'answered 500' });
    expect(rows[0]!.attempts).toBeGreaterThan(20);
    expect(rows[0]!.last_attempt_at.getTime() - OPEN.getTime()).toBeLessThanOrEqual(24 * 3_600_000);
    expect(rows[0]!.last_attempt_at.getTime() - OPEN.getTime()).toBeGreaterThan(23 * 3_600_000);
    expect(runs).toBeLessThan(200);
    expect(await readEarliestPendingDelivery(db.current.sql)).toBeNull();
  });

  it('backs a failing receiver off as a whole: one retry time for all its events, then the backlog at once', async () => {
    await subscribe();
    const { calls } = await dialingCampaign(3);
    mode = '500';
    await outcome(calls[0]!, 'completed');
    expect((await deliver()).attempted).toBe(1); // call 0's head (its call.completed waits behind it)
    clockNow = new Date(OPEN.getTime() + 10_000);
    await outcome(calls[1]!, 'completed'); // a new event while the receiver is backed off
    expect(await readEarliestPendingDelivery(db.current.sql)).toEqual(new Date(OPEN.getTime() + 30_000));
    // The plan's reads bring the same instant among their totals (the worker reads no statement of its own for it).
    expect((await readPlanSnapshot(db.current.sql)).earliestDeliveryAt).toEqual(new Date(OPEN.getTime() + 30_000));
    expect((await readCampaignPlans(db.current.sql, [])).earliestDeliveryAt).toEqual(new Date(OPEN.getTime() + 30_000));
    expect((await deliver()).attempted).toBe(0); // not before the receiver's retry time
    clockNow = new Date(OPEN.getTime() + 30_000);
    await deliver();
    expect(await readEarliestPendingDelivery(db.current.sql)).toEqual(new Date(OPEN.getTime() + 90_000)); // 30 s, then 60 s
    await outcome(calls[2]!, 'completed');
    mode = 'up';
    clockNow = new Date(OPEN.getTime() + 90_000);
    await deliver(); // one run: the probe succeeds and the whole backlog follows
    const rows = await db.current.sql<{ status: string }[]>`select status from webhook_deliveries`;
    expect(rows.every((r) => r.status === 'delivered')).toBe(true);
    expect(rows).toHaveLength(7);
    expect(await readEarliestPendingDelivery(db.current.sql)).toBeNull();
    const [sub] = await db.current.sql<{ consecutive_failures: number; retry_at: Date | null }[]>`select consecutive_failures, retry_at from webhook_subscriptions`;
    expect(sub).toEqual({ consecutive_failures: 0, retry_at: null });
  });

  it('plans the next retry as the earliest pending delivery (the head of each call only)', async () => {
    await subscribe();
    const { calls } = await dialingCampaign(1);
    mode = '500';
    await outcome(calls[0]!, 'completed');
    expect(await readEarliestPendingDelivery(db.current.sql)).toEqual(OPEN);
    await deliver();
    expect(await readEarliestPendingDelivery(db.current.sql)).toEqual(new Date(OPEN.getTime() + 30_000));
  });
});

function dedupe(items: Received[]): WebhookEventBody[] {
  const seen = new Set<string>();
  return items.map((r) => r.body).filter((b) => (seen.has(b.id) ? false : (seen.add(b.id), true)));
}
