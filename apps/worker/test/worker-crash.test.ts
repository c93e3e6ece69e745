// The worker as a real process: `kill -9` in the middle of dispatch, then a
// restart — every contact is dialed exactly once per attempt (a deduplicating
// provider sees each idempotency key start one call; re-sent requests carry the
// same key and the same body). Then, asleep in real time, the process holds no
// connection; its doorbell checks the token; SIGTERM exits 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProviderEvent } from '@wakeplan/db';
import { insertCampaign, insertContacts, useTestDatabase, waitFor } from '@wakeplan/db/testing';
import { sleep } from '@wakeplan/runtime';
import { CHILD_WAKE_TOKEN, startChildWorker, type ChildWorker } from './helpers/child-worker.ts';
import { startWebhookTarget, type ReceivedDial, type WebhookTarget } from './helpers/held-webhook.ts';

const db = useTestDatabase();
const CONTACTS = 12;
let target: WebhookTarget;
let current: ChildWorker | null = null;
const started = new Map<string, number>(); // idempotency key → calls the provider started for it

beforeAll(async () => {
  target = await startWebhookTarget((dial) => void startCall(dial));
});
afterAll(async () => {
  current?.process.kill('SIGKILL');
  await target.close();
});

/** The provider deduplicates by key: the first answered request of a key starts the call; it ends 20 ms later. */
async function startCall(dial: ReceivedDial): Promise<void> {
  started.set(dial.key, (started.get(dial.key) ?? 0) + 1);
  if (started.get(dial.key)! > 1) return;
  await sleep(20);
  const { call_id: callId, attempt } = JSON.parse(dial.body) as { call_id: string; attempt: number };
  const at = new Date();
  await applyProviderEvent(db.current.sql, { call_id: callId, attempt, status: 'completed', occurred_at: at.toISOString() }, at, { resultTimeoutMinutes: 30 });
  await current?.wake().catch(() => undefined); // the API's doorbell
}

function childEnv(): Record<string, string> {
  return {
    DATABASE_URL: db.current.url, DIALER: 'webhook', DIALER_WEBHOOK_URL: target.url, DIALER_WEBHOOK_SECRET: 'hook-secret',
    MAX_CONCURRENT_CALLS: '4', DB_IDLE_TIMEOUT_S: '2', SHUTDOWN_GRACE_S: '2',
  };
}

async function workerBackends(): Promise<number> {
  const [row] = await db.current.admin<{ n: number }[]>`
    select count(*)::int as n from pg_stat_activity where datname = ${db.current.name} and application_name like 'wakeplan-worker%'`;
  return row!.n;
}

describe('the worker process', () => {
  it('killed with -9 mid-dispatch and restarted: every contact dialed exactly once per attempt', async () => {
    const id = await insertCampaign(db.current.sql, { first_call_time: '00:00', last_call_time: '00:00', max_concurrent_calls: 4 }, new Date());
    await insertContacts(db.current.sql, id, CONTACTS, new Date());
    target.hold = true;
    const first = current = await startChildWorker(childEnv());
    await waitFor(() => target.received.length === 4, 'four dial requests in flight');
    const [dialing] = await db.current.sql<{ n: number }[]>`select count(*)::int as n from calls where status = 'dialing'`;
    expect(dialing!.n).toBe(4);
    first.process.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    target.hold = false;
    target.drop(); // the provider never acted on them: only a re-send can place these calls

    current = await startChildWorker(childEnv());
    await waitFor(async () => {
      const [row] = await db.current.sql<{ n: number }[]>`select count(*)::int as n from calls where status = 'completed'`;
      return row!.n === CONTACTS;
    }, 'every contact completed', 30_000);

    const attempts = await db.current.sql<{ call_id: string; attempt: number }[]>`select call_id, attempt from call_attempts`;
    expect(attempts).toHaveLength(CONTACTS);
    expect(attempts.every((a) => a.attempt === 1)).toBe(true);
    const keys = new Set(target.received.map((d) => d.key));
    expect([...keys].sort()).toEqual(attempts.map((a) => `${a.call_id}:1`).sort());
    expect(started.size).toBe(CONTACTS); // the provider placed one call per key, whatever was re-sent
    const resent = target.received.filter((d, i) => target.received.findIndex((e) => e.key === d.key) !== i);
    expect(resent.length).toBeGreaterThanOrEqual(4); // the four the dead process never heard back about
    for (const again of resent) expect(again.body).toBe(target.received.find((d) => d.key === again.key)!.body);
    expect(current.logs.filter((l) => l.msg.startsWith('re-sending an unconfirmed dial request'))).toHaveLength(4);
    expect(current.logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('asleep in real time holds no connection; the doorbell checks its token; SIGHUP resyncs; SIGTERM exits 0', async () => {
    const child = current!;
    await waitFor(async () => (await child.health()).state === 'asleep', 'the worker to fall asleep', 15_000);
    await sleep(300);
    expect(await workerBackends()).toBe(0);
    expect(await child.wake('wrong-token')).toBe(401);
    expect(await child.wake(CHILD_WAKE_TOKEN)).toBe(202);
    await waitFor(async () => (await child.health()).counters !== undefined
      && ((await child.health()).counters as { wakes: number }).wakes >= 2, 'the doorbell to wake it');
    await waitFor(async () => (await child.health()).state === 'asleep', 'the worker to sleep again');
    await sleep(300);
    expect(await workerBackends()).toBe(0);
    const resyncs = ((await child.health()).counters as { resyncs: number }).resyncs;
    child.process.kill('SIGHUP');
    await waitFor(async () => ((await child.health()).counters as { resyncs: number }).resyncs === resyncs + 1, 'SIGHUP to resync');
    await waitFor(async () => (await child.health()).state === 'asleep', 'the worker to sleep again');
    child.process.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    current = null;
  });
});
