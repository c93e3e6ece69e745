// What the worker does when connections die or notifications are garbage, on a
// real Postgres: the listening connection terminated mid-pass is re-opened and
// followed by a full resync; terminated while waiting it stays closed (no
// reconnection) until the doorbell rings, and the outcome is still handled;
// unreadable NOTIFY payloads cause a resync, never a crash.
import { afterEach, describe, expect, it } from 'vitest';
import { applyProviderEvent } from '@wakeplan/db';
import { insertCampaign, insertContacts, useTestDatabase, waitFor } from '@wakeplan/db/testing';
import { sleep } from '@wakeplan/runtime';
import { WebhookDialer } from '../src/dialers/webhook.ts';
import { startHarness, type Harness } from './helpers/harness.ts';
import { startWebhookTarget, type WebhookTarget } from './helpers/held-webhook.ts';
import type { RecordingDialer } from './helpers/recording-dialer.ts';

const db = useTestDatabase();
const OPEN = new Date('2026-03-02T15:00:00Z'); // Monday 10:00 New York: 09:00-17:00 is open
let h: Harness<RecordingDialer | WebhookDialer> | null = null;
const recording = (x: Harness<RecordingDialer | WebhookDialer>) => x as Harness<RecordingDialer>;
let target: WebhookTarget | null = null;

afterEach(async () => {
  expect(h?.logs.filter((l) => l.level >= 50).map((l) => l.msg) ?? []).toEqual([]);
  await h?.stop();
  await target?.close();
  h = null;
  target = null;
  await db.current.sql`truncate campaigns, calls, call_attempts, provider_events, worker_state`;
});

async function listenerPids(): Promise<number[]> {
  const rows = await db.current.admin<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = ${db.current.name} and application_name = 'wakeplan-test-worker-listener'`;
  return rows.map((r) => r.pid);
}

/** A worker whose webhook dialer's requests the target holds, unanswered, until released. */
async function startWithHeldWebhook(): Promise<Harness<WebhookDialer>> {
  target = await startWebhookTarget();
  target.hold = true;
  const url = target.url;
  return startHarness(db.current, { start: OPEN, dialer: (clock) => new WebhookDialer({ url, secret: 's', clock }) });
}

async function complete(callId: string, attempt = 1): Promise<void> {
  await applyProviderEvent(db.current.sql, { call_id: callId, attempt, status: 'completed', occurred_at: OPEN.toISOString() }, OPEN, { resultTimeoutMinutes: 30 });
}

describe('the listening connection', () => {
  it('terminated mid-pass: re-opened, re-LISTENed, full resync; notifications flow again', async () => {
    // The pass is held mid-claim by a lock on the campaign row (dial requests no longer hold a pass).
    h = startHarness(db.current, { start: OPEN });
    const id = await insertCampaign(db.current.sql, { max_concurrent_calls: 1 });
    const [first, second] = await insertContacts(db.current.sql, id, 2);
    let unlock!: () => void;
    const held = new Promise<void>((resolve) => (unlock = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const locking = db.current.sql.begin(async (tx) => {
      await tx`select id from campaigns where id = ${id} for update`;
      locked();
      await held;
    });
    await isLocked;
    h.worker.start();
    await waitFor(async () => {
      const [row] = await db.current.admin<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity where datname = ${db.current.name} and wait_event_type = 'Lock'`;
      return row!.n === 1;
    }, 'the claim waiting on the campaign row');
    expect(h.worker.state).toBe('dispatching');
    const [before] = await listenerPids();
    await db.current.admin`select pg_terminate_backend(${before!})`;
    await waitFor(() => h!.worker.counters.listenerLost === 1, 'the worker to see its listener closed');
    unlock();
    await locking;
    await h.settle();
    expect(h.worker.counters.resyncs).toBe(2); // startup, then after the loss
    expect(h.worker.health().listening).toBe(true);
    const after = await listenerPids();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
    expect(h.worker.state).toBe('waiting');

    await complete(first!); // NOTIFY call_finished only: no doorbell
    await waitFor(() => recording(h!).dialer.dials.length === 2, 'the second contact dialed on NOTIFY alone');
    expect(recording(h).dialer.dials[1]!.request.callId).toBe(second);
  });

  it('terminated while waiting: stays closed until the doorbell rings; the outcome is still handled', async () => {
    h = startHarness(db.current, { start: OPEN });
    const id = await insertCampaign(db.current.sql, { max_concurrent_calls: 1 });
    const [first, second] = await insertContacts(db.current.sql, id, 2);
    h.worker.start();
    await h.settle();
    expect(h.worker.state).toBe('waiting');
    const [pid] = await listenerPids();
    await db.current.admin`select pg_terminate_backend(${pid!})`;
    await waitFor(() => h!.worker.counters.listenerLost === 1, 'the worker to see its listener closed');
    const opened = { ...h.stats.opened };
    const statements = h.stats.statements;
    await sleep(300);
    expect(await listenerPids()).toEqual([]);
    expect(h.worker.health().listening).toBe(false);

    await complete(first!); // its NOTIFY reaches nobody
    await sleep(200);
    await h.settle();
    expect(h.stats.opened).toEqual(opened);
    expect(h.stats.statements).toBe(statements);
    expect(recording(h).dialer.dials).toHaveLength(1);
    expect(h.worker.state).toBe('waiting');

    h.worker.wake();
    await h.settle();
    expect(recording(h).dialer.dials.map((d) => d.request.callId)).toEqual([first, second]);
    expect(h.stats.opened.listener).toBe(opened.listener + 1);
    expect(h.worker.counters.resyncs).toBe(2);
    expect(await listenerPids()).toHaveLength(1);
  });

  it('answers unreadable NOTIFY payloads with a full resync and keeps working', async () => {
    h = startHarness(db.current, { start: OPEN });
    const id = await insertCampaign(db.current.sql, { max_concurrent_calls: 1 });
    const [first, second] = await insertContacts(db.current.sql, id, 2);
    h.worker.start();
    await h.settle();
    const resyncs = h.worker.counters.resyncs;
    for (const payload of ['garbage', '{"v":1,"kind":"nope","at":"2026-03-02T15:00:00Z"}', '[]', '{"v":1,"kind":"call_finished","at":"x"}', 'x'.repeat(7990)]) {
      await db.current.sql`select pg_notify('scheduler_changed', ${payload})`;
    }
    await waitFor(() => h!.worker.counters.notifications === 5, 'five notifications');
    await h.settle();
    expect(h.worker.counters.resyncs).toBeGreaterThan(resyncs);
    expect(h.logs.filter((l) => l.level === 40 && l.msg.startsWith('unreadable NOTIFY'))).toHaveLength(5);
    expect(recording(h).dialer.dials).toHaveLength(1);
    await complete(first!);
    await waitFor(() => recording(h!).dialer.dials.length === 2, 'the freed slot filled');
    expect(recording(h).dialer.dials[1]!.request.callId).toBe(second);
  });

  it('on stop, claims nothing more but waits for the dial requests in flight and records them', async () => {
    h = await startWithHeldWebhook();
    const id = await insertCampaign(db.current.sql, { max_concurrent_calls: 2 });
    await insertContacts(db.current.sql, id, 3);
    h.worker.start();
    await waitFor(() => target!.received.length === 2, 'two dial requests in flight');
    let stopped = false;
    const stopping = h.worker.stop().then(() => void (stopped = true));
    await sleep(200);
    expect(stopped).toBe(false);
    expect(h.worker.state).toBe('stopping');
    target!.release();
    await stopping;
    const rows = await db.current.sql<{ status: string; n: number }[]>`select status, count(*)::int as n from calls group by 1 order by 1`;
    expect(rows).toEqual([{ status: 'in_progress', n: 2 }, { status: 'queued', n: 1 }]);
    expect(await listenerPids()).toEqual([]);
  });
});
