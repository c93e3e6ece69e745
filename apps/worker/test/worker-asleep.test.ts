// Asleep means zero: no statement and no open connection from the worker for as
// long as it sleeps — measured by Postgres, from a connection to another database
// (the server's admin database, so the observer itself counts nowhere here), and
// by the connector itself. Also the polling modes' cost, as the baseline the wake
// plan is compared with.
//
// What Postgres is asked: every client backend seen in this file's database
// (pg_stat_activity, sampled all through the sleep) and its count of client
// sessions ever opened (pg_stat_database.sessions). A statement
// needs a connection, and none is open when the sleep begins, so anything the
// worker ran while asleep opened a session, however briefly it lived. Not its
// transaction count: autovacuum workers visit every database once per
// autovacuum_naptime and commit a few transactions there (two a visit to an
// idle database), which pg_stat_database counts with the clients' — that made
// this test fail now and then. `sessions` counts client backends only.
//
// This file's own database sees no other client while measuring: its setup pool
// is ended first, and the baseline is read once no client backend is left in it
// (since Postgres 15 a backend flushes its statistics to shared memory before it
// leaves pg_stat_activity).
import { beforeAll, describe, expect, it } from 'vitest';
import { createSql, type Sql } from '@wakeplan/db';
import { insertCampaign, insertContacts, T0, useTestDatabase, waitFor } from '@wakeplan/db/testing';
import { sleep } from '@wakeplan/runtime';
import { startHarness } from './helpers/harness.ts';

const db = useTestDatabase();

/** The client backends in this file's database now, as `application_name: state query`. */
async function clients(): Promise<string[]> {
  const rows = await db.current.admin<{ who: string }[]>`
    select application_name || ': ' || coalesce(state, '') || ' ' || left(coalesce(query, ''), 80) as who
    from pg_stat_activity where datname = ${db.current.name} and backend_type = 'client backend'`;
  return rows.map((r) => r.who);
}

/** Client sessions ever opened in this file's database (each counted as it connects). */
async function sessions(): Promise<number> {
  const [row] = await db.current.admin<{ sessions: string }[]>`select sessions from pg_stat_database where datname = ${db.current.name}`;
  return Number(row!.sessions);
}

/** Samples the client backends in this file's database until stopped; returns every one it saw. */
function watchClients(): { stop(): Promise<string[]> } {
  const seen = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const who of await clients()) seen.add(who);
      await sleep(10);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return [...seen];
    },
  };
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
    // Every backend it (and the setup) used has exited, so has flushed its statistics: the baseline is final.
    await waitFor(async () => (await clients()).length === 0, 'the worker\'s and the setup\'s backends to exit');
    const before = await sessions();
    const statements = h.stats.statements;

    const watch = watchClients();
    await h.stepTo(new Date('2026-03-19T12:00:00Z')); // 17 days of virtual sleep
    await sleep(1500); // and real time, for anything the worker would do on a real timer
    expect(await watch.stop()).toEqual([]);
    expect(await clients()).toEqual([]);
    expect(await sessions()).toBe(before);
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
