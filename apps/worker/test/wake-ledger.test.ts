// The worker's activity ledger on a fake clock against real Postgres: one entry
// per wake with its reason, statements and dials, written at the end of the wake
// with the connection it already had — never while asleep, and nothing written
// means nothing lost but the wakes since the last write.
import { afterEach, describe, expect, it } from 'vitest';
import { insertCampaign, insertContacts, T0, useTestDatabase } from '@wakeplan/db/testing';
import { WakeLedger } from '../src/wake-ledger.ts';
import { startHarness, type Harness } from './helpers/harness.ts';

const db = useTestDatabase();
let h: Harness | null = null;

afterEach(async () => {
  await h?.stop();
  h = null;
});

interface Row { process: string; started_at: Date; ended_at: Date; reason: string; statements: number; details: Record<string, number> }

/** The reasons of each wake, as the worker logged them when it woke. */
function wokeReasons(harness: Harness): string[] {
  return harness.logs.filter((l) => l.msg === 'woke').map((l) => (l as unknown as { reasons: string[] }).reasons.join(', '));
}

const rows = () => db.current.sql<Row[]>`select process, started_at, ended_at, reason, statements, details from activity_ledger order by started_at`;

describe('the wake ledger', () => {
  it('records each wake at its end, with the wake\'s own connection, and nothing while asleep', async () => {
    const id = await insertCampaign(db.current.sql, { last_call_time: '09:03', calls_per_minute: 1, max_concurrent_calls: 5 });
    await insertContacts(db.current.sql, id, 3);
    const ledger = new WakeLedger();
    h = startHarness(db.current, { start: T0, ledger });
    h.dialer.auto = { sql: db.current.sql, afterMs: 20_000, status: 'completed', ring: () => h?.worker.wake() };
    h.worker.start();
    await h.settle();
    expect(h.worker.state).toBe('asleep');
    const [startup] = await rows();
    expect(startup).toMatchObject({ process: 'worker', reason: 'startup', started_at: T0, ended_at: T0, details: { dialed: 0, outcomes: 0 } });
    expect(startup!.statements).toBeGreaterThan(2);
    expect(ledger.buffer.size).toBe(0);

    // Asleep until 09:00 New York: no statement, no ledger write.
    const before = h.stats.statements;
    await h.stepTo(new Date('2026-03-02T13:59:00Z'));
    expect(h.stats.statements).toBe(before);
    expect(await rows()).toHaveLength(1);

    await h.stepTo(new Date('2026-03-02T15:00:00Z'));
    expect(h.dialer.dials).toHaveLength(3);
    const all = await rows();
    expect(all).toHaveLength(h.worker.counters.wakes);
    expect(all.every((r) => r.process === 'worker' && r.statements > 0 && r.ended_at >= r.started_at)).toBe(true);
    expect(all.reduce((n, r) => n + r.details.dialed!, 0)).toBe(3);
    expect(all[1]).toMatchObject({ started_at: new Date('2026-03-02T14:00:00Z') });
    expect(all[1]!.reason).toMatch(/timer/);
    // Each entry carries its own wake's reasons. (An outcome wakes the listening worker by its doorbell ring or
    // by the NOTIFY of the same commit, whichever reaches it first, so which of the two shows varies; two wakes
    // at one instant have no order in the table, hence sorted.)
    expect(all.map((r) => r.reason).sort()).toEqual(wokeReasons(h).sort());
    // Every statement the worker ran belongs to a wake (the write of each entry lands after it was counted).
    expect(all.reduce((n, r) => n + r.statements, 0)).toBeLessThanOrEqual(h.stats.statements);

    // The doorbell of the asleep worker (no LISTEN open to race it): one more entry, for that wake.
    h.worker.wake();
    await h.settle();
    expect(h.worker.state).toBe('asleep');
    const last = (await rows()).slice(all.length);
    expect(last).toHaveLength(1);
    expect(last[0]).toMatchObject({ reason: 'doorbell', started_at: new Date('2026-03-02T15:00:00Z'), details: { dialed: 0, outcomes: 0 } });
    expect(last[0]!.statements).toBeGreaterThan(0);
  });

  it('a wake whose write fails keeps its entry for the next wake', async () => {
    await db.current.sql`truncate activity_ledger`;
    const ledger = new WakeLedger();
    ledger.wakeStarted(T0, ['timer'], { dialed: 0, confirmed: 0, rejected: 0, unconfirmed: 0, deadlinesExpired: 0 } as never);
    ledger.statement();
    const broken = (() => Promise.reject(new Error('connection lost'))) as never;
    expect(await ledger.wakeEnded(broken, new Date(T0.getTime() + 1000), { dialed: 1, confirmed: 1, rejected: 0, unconfirmed: 0, deadlinesExpired: 0 } as never)).toBeInstanceOf(Error);
    expect(ledger.buffer.size).toBe(1);
    ledger.wakeStarted(new Date(T0.getTime() + 60_000), ['doorbell'], { dialed: 1, confirmed: 1, rejected: 0, unconfirmed: 0, deadlinesExpired: 0 } as never);
    expect(await ledger.wakeEnded(db.current.sql, new Date(T0.getTime() + 61_000), { dialed: 1, confirmed: 1, rejected: 0, unconfirmed: 0, deadlinesExpired: 0 } as never)).toBeNull();
    expect((await rows()).map((r) => [r.reason, r.statements, r.details])).toEqual([
      ['timer', 1, { dialed: 1, outcomes: 1 }], ['doorbell', 0, { dialed: 0, outcomes: 0 }],
    ]);
  });
});
