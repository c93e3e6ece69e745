// Asleep means zero: no statement and no open connection from the worker for as
// long as it sleeps — measured from a separate connection to another database
// (pg_stat_activity, pg_stat_database), and by the connector itself. Also the
// polling modes' cost, as the baseline the wake plan is compared with.
//
// This file's own database sees no other client while measuring: its setup pool
// is ended first (backends flush their statistics as they exit).
import { beforeAll, describe, expect, it } from 'vitest';
import { createSql, type Sql } from '@wakeplan/db';
import { insertCampaign, insertContacts, T0, useTestDatabase } from '@wakeplan/db/testing';
import { sleep } from '@wakeplan/runtime';
import { startHarness } from './helpers/harness.ts';

const db = useTestDatabase();


interface Activity { connections: number; transactions: number; sessions: number | null }

async function activity(): Promise<Activity> {
  const [row] = await db.current.admin<{ connections: number; transactions: string; sessions: string | null }[]>`
    select (select count(*)::int from pg_stat_activity where datname = ${db.current.name} and backend_type = 'client backend') as connections,
           (select xact_commit + xact_rollback from pg_stat_database where datname = ${db.current.name}) as transactions,
           (select to_jsonb(d) ->> 'sessions' from pg_stat_database d where datname = ${db.current.name}) as sessions`;
  return { connections: row!.connections, transactions: Number(row!.transactions), sessions: row!.sessions === null ? null : Number(row!.sessions) };
}

async function withSetup(fn: (sql: Sql) => Promise<void>): Promise<void> {
  const sql = createSql({ url: db.current.url, applicationName: 'wakeplan-test-setup', idleTimeoutS: 1, max: 1 });
  try {
    await fn(sql);
  } finally {
    await sql.end();
  }
}

describe('asleep', () => {
  it('holds no connection and runs no statement while it sleeps, then wakes on time', async () => {
    let campaignId = '';
    await withSetup(async (sql) => {
      campaignId = await insertCampaign(sql, { start_date: '2026-03-20', max_concurrent_calls: 3 });
      await insertContacts(sql, campaignId, 3);
    });
    const h = startHarness(db.current, { start: T0 });
    h.worker.start();
    await h.settle();
    expect(h.worker.state).toBe('asleep');
    expect(h.stats.opened).toEqual(h.stats.closed); // every connection it opened is closed
    // let exiting backends flush their statistics: on a busy machine that takes longer than any fixed pause
    let before = await activity();
    for (let i = 0; i < 20; i++) {
      await sleep(500);
      const again = await activity();
      if (JSON.stringify(again) === JSON.stringify(before)) break;
      before = again;
    }
    const statements = h.stats.statements;
    expect(before.connections).toBe(0);

    await h.stepTo(new Date('2026-03-19T12:00:00Z')); // 17 days of virtual sleep
    await sleep(1500);
    const after = await activity();
    expect(after).toEqual(before);
    expect(h.stats.statements).toBe(statements);
    expect(h.dialer.dials).toHaveLength(0);

    await h.stepTo(new Date('2026-03-20T14:00:00Z')); // 09:00 EDT (DST began 8 March)
    expect(h.dialer.dials.map((d) => d.at.toISOString())).toEqual(Array(3).fill('2026-03-20T13:00:00.000Z'));
    await h.stop();
  });
});

describe('the polling baselines', () => {
  beforeAll(() => withSetup(async (sql) => {
    await sql`truncate campaigns, calls, call_attempts, provider_events, worker_state`;
    const later = await insertCampaign(sql, { start_date: '2026-03-20' });
    await insertContacts(sql, later, 1);
  }));

  it('polling reads every interval, always, and never LISTENs', async () => {
    const h = startHarness(db.current, { start: T0, mode: { kind: 'polling', intervalMs: 10_000 } });
    h.worker.start();
    await h.stepTo(new Date(T0.getTime() + 60_000));
    expect(h.worker.counters.planReads).toBe(7); // at 0, 10, … 60 s
    expect(h.stats.opened.listener).toBe(0);
    expect(h.worker.state).toBe('waiting');
    await h.stop();
  });

  it('window_polling sleeps outside windows and polls while a window with work is open', async () => {
    const h = startHarness(db.current, { start: T0, mode: { kind: 'window_polling', intervalMs: 10_000 } });
    h.worker.start();
    await h.settle(); // the only campaign opens on 20 March
    expect(h.worker.state).toBe('asleep');
    const reads = h.worker.counters.planReads;
    await h.stepTo(new Date(T0.getTime() + 3_600_000));
    expect(h.worker.counters.planReads).toBe(reads);
    await withSetup(async (sql) => {
      const open = await insertCampaign(sql, { first_call_time: '08:00', max_concurrent_calls: 1 }, h.clock.now());
      await insertContacts(sql, open, 2, h.clock.now());
    });
    h.worker.wake();
    await h.stepTo(new Date(T0.getTime() + 3_600_000 + 60_000));
    expect(h.worker.counters.planReads - reads).toBe(7); // the doorbell pass reads the plan, then 6 polls (no LISTEN: each reads it whole)
    expect(h.worker.counters.campaignRefreshes).toBeGreaterThan(0); // after its claim, that campaign alone
    expect(h.dialer.dials).toHaveLength(1);
    expect(h.stats.opened.listener).toBe(0);
    await h.stop();
  });
});
