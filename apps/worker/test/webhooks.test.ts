// Webhook deliveries and the worker's wake plan, against real Postgres and a real
// HTTP receiver: the worker sends what is due while it is awake; a pending retry
// is a planned wake at its time (asleep, no connection, until then); a worker
// killed between the change it committed and the delivery loses nothing —
// another worker sends it once the dead one's lease is over.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifySignedBody, WEBHOOK_EVENT_TYPES, type WebhookEventBody } from '@wakeplan/contract';
import { applyProviderEvent } from '@wakeplan/db';
import { insertCampaign, insertContacts, markDialing, OPEN, useTestDatabase, waitFor } from '@wakeplan/db/testing';
import { FakeClock } from '@wakeplan/runtime';
import { startChildWorker, type ChildWorker } from './helpers/child-worker.ts';
import { startHarness, type Harness } from './helpers/harness.ts';

const db = useTestDatabase();
const SECRET = 'worker-test-secret-0123456789abcdef012345';

let server: Server;
let url = '';
let answer: number | 'hold' = 204;
let clockForVerify: () => Date = () => new Date();
const held: ServerResponse[] = [];
let received: { body: WebhookEventBody; verified: boolean }[] = [];
let requests = 0;
let harness: Harness | null = null;
let child: ChildWorker | null = null;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      requests++;
      if (answer === 'hold') return void held.push(res);
      if (answer < 300) {
        const check = verifySignedBody({ secret: SECRET, rawBody: raw, at: clockForVerify(),
          timestampHeader: req.headers['x-wakeplan-timestamp'] as string, signatureHeader: req.headers['x-wakeplan-signature'] as string });
        received.push({ body: JSON.parse(raw) as WebhookEventBody, verified: check.ok });
      }
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
});
afterAll(async () => {
  child?.process.kill('SIGKILL');
  for (const r of held) r.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
afterEach(async () => {
  await harness?.stop();
  harness = null;
  await db.current.sql`truncate campaigns, calls, call_attempts, provider_events, webhook_subscriptions, outbox_events, webhook_deliveries, worker_state`;
  received = [];
  requests = 0;
  answer = 204;
});

async function subscribe(): Promise<void> {
  await db.current.sql`
    insert into webhook_subscriptions (url, events, secret, created_at) values (${url}, ${[...WEBHOOK_EVENT_TYPES]}, ${SECRET}, ${OPEN})`;
}

async function dialingCall(at: Date, deadline: Date): Promise<string> {
  const campaign = await insertCampaign(db.current.sql, { timezone: 'UTC', first_call_time: '00:00', last_call_time: '00:00' }, at);
  const [call] = await insertContacts(db.current.sql, campaign, 1, at);
  await markDialing(db.current.sql, [call!], at, deadline);
  return call!;
}

describe('the worker and webhook deliveries', () => {
  it('sends due deliveries when woken, and plans a failed one as a wake at its retry time, asleep until then', async () => {
    await subscribe();
    const clock = new FakeClock(OPEN);
    clockForVerify = () => clock.now();
    harness = startHarness(db.current, { start: OPEN, clock });
    harness.worker.start();
    await harness.settle();
    expect(harness.worker.state).toBe('asleep');

    // An outcome recorded by someone else (the API, down before it could send): the doorbell wakes the worker.
    const call = await dialingCall(OPEN, new Date(OPEN.getTime() + 3_600_000));
    answer = 500;
    await applyProviderEvent(db.current.sql, { call_id: call, attempt: 1, status: 'completed', occurred_at: OPEN.toISOString() }, OPEN, { resultTimeoutMinutes: 30 });
    harness.worker.wake();
    await harness.settle();
    expect(requests).toBeGreaterThan(0);
    expect(harness.worker.nextWake).toMatchObject({ reason: 'webhook_retry', at: new Date(OPEN.getTime() + 30_000) });

    // Keep failing for a while: each retry is a planned wake; between them (after the first minutes) it sleeps.
    await harness.stepTo(new Date(OPEN.getTime() + 20 * 60_000));
    expect(harness.worker.nextWake?.reason).toBe('webhook_retry');
    const retryAt = harness.worker.nextWake!.at;
    expect(retryAt.getTime() - clock.now().getTime()).toBeGreaterThan(60_000);
    expect(harness.worker.state).toBe('asleep');
    const statements = harness.stats.statements;
    await harness.stepTo(new Date(retryAt.getTime() - 1000));
    expect(harness.stats.statements).toBe(statements); // asleep: nothing runs before the retry is due

    answer = 204;
    await harness.stepTo(new Date(retryAt.getTime() + 1000));
    const types = received.map((r) => r.body.type);
    expect(types.filter((t) => t.startsWith('call.'))).toEqual(['call.attempt_ended', 'call.completed']);
    expect(types).toContain('campaign.completed');
    expect(received.every((r) => r.verified)).toBe(true);
    const [left] = await db.current.sql<{ n: number }[]>`select count(*)::int as n from webhook_deliveries where status <> 'delivered'`;
    expect(left!.n).toBe(0);
    expect(harness.worker.nextWake).toBeNull();
    expect(harness.worker.state).toBe('asleep');
  });

  it('loses nothing when the worker that committed the change is killed before delivering it', async () => {
    await subscribe();
    const now = new Date();
    // A call whose result deadline has passed: the child worker settles it as `unknown` (→ failed) at once,
    // enqueuing its events in that transaction, and starts sending them — the receiver holds the requests.
    const call = await dialingCall(new Date(now.getTime() - 3_600_000), new Date(now.getTime() - 60_000));
    answer = 'hold';
    child = await startChildWorker({ DATABASE_URL: db.current.url, DB_IDLE_TIMEOUT_S: '2' });
    await waitFor(() => held.length > 0, 'the child worker to start sending');
    child.process.kill('SIGKILL');
    await child.exited;
    child = null;
    for (const r of held.splice(0)) r.destroy();
    const [row] = await db.current.sql<{ status: string; last_outcome: string }[]>`select status, last_outcome from calls where id = ${call}`;
    expect(row).toEqual({ status: 'failed', last_outcome: 'unknown' }); // the change committed
    expect(received).toEqual([]);

    // Another worker, after the dead one's lease: every event delivered, in order for the call.
    answer = 204;
    const clock = new FakeClock(new Date(Date.now() + 60_000));
    clockForVerify = () => clock.now();
    harness = startHarness(db.current, { start: clock.now(), clock });
    harness.worker.start();
    await harness.settle();
    const events = await db.current.sql<{ id: string; type: string }[]>`select id, type from outbox_events order by seq`;
    expect(events.map((e) => e.type)).toEqual(['call.attempt_ended', 'call.failed', 'campaign.completed']);
    expect(new Set(received.map((r) => r.body.id))).toEqual(new Set(events.map((e) => e.id)));
    expect(received.filter((r) => r.body.type.startsWith('call.')).map((r) => r.body.type)).toEqual(['call.attempt_ended', 'call.failed']);
  });
});
