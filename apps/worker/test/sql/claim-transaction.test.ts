// The shape of the claim transaction (sql/claims.ts), against real Postgres:
// what it costs in statements (counted with postgres.js's debug hook, as the
// scale benchmark counts the worker's), so a regression fails here rather than
// in a benchmark table; and its lock order — the campaign row is held before
// the account_semaphore row is waited for, as every claim takes them — and the
// calls in flight it counts include a claim that committed while it waited.
import { afterEach, describe, expect, it } from 'vitest';
import { createSql, PgCodes, pgErrorCode, type Sql, type TransactionSql } from '@wakeplan/db';
import { insertCampaign, insertContacts, insertDirectCall, OPEN, T0, useTestDatabase } from '@wakeplan/db/testing';
import { claimCampaignCalls, claimDirectCalls, type ClaimOptions, type ClaimResult } from '../../src/sql/claims.ts';

const db = useTestDatabase();

afterEach(async () => {
  await db.current.sql`truncate campaigns, calls, call_attempts, dial_sends, do_not_call`;
});

const opts = (extra: Partial<ClaimOptions> = {}): ClaimOptions => ({ at: OPEN, workerId: 'w1', accountCap: 100, resultTimeoutMinutes: 30, ...extra });

/** Runs `claim` on a fresh one-connection pool and returns its result with the statements it sent. */
async function counted(claim: (sql: Sql) => Promise<ClaimResult>): Promise<{ result: ClaimResult; statements: string[] }> {
  let statements: string[] | null = null;
  const sql = createSql({
    url: db.current.url, applicationName: 'claim-count', idleTimeoutS: 5, max: 1,
    debug: (_id, query) => void statements?.push(query.replace(/\s+/g, ' ').trim().split(' ').slice(0, 3).join(' ')),
  });
  try {
    await sql`select 1`; // the connection's own set-up (type lookups) is not the claim's
    statements = [];
    const result = await claim(sql);
    return { result, statements };
  } finally {
    await sql.end();
  }
}

async function list(phone: string): Promise<void> {
  await db.current.sql`insert into do_not_call (phone, reason, source, created_at) values (${phone}, 'asked not to be called', 'api', ${T0})`;
}

describe('the claim transaction costs', () => {
  it('four statements for a campaign: begin, the two row locks, the claim, commit — whatever the batch', async () => {
    const id = await insertCampaign(db.current.sql, { max_concurrent_calls: 3 }, OPEN);
    await insertContacts(db.current.sql, id, 5, OPEN);
    const { result, statements } = await counted((sql) => claimCampaignCalls(sql, id, opts()));
    expect(result.claimed).toHaveLength(3);
    expect(statements).toEqual(['begin', expect.stringMatching(/^select id, name/), expect.stringMatching(/^with room as/), 'commit']);
    const [rows] = await db.current.sql<{ attempts: number; sends: number; last_dial_at: Date | null }[]>`
      select (select count(*)::int from call_attempts) as attempts, (select count(*)::int from dial_sends) as sends,
             (select last_dial_at from campaigns where id = ${id}) as last_dial_at`;
    expect(rows).toEqual({ attempts: 3, sends: 3, last_dial_at: OPEN });
  });

  it('as many when a cap refuses, and one more with recipient hours (the due zones)', async () => {
    const full = await insertCampaign(db.current.sql, { max_concurrent_calls: 1 }, OPEN);
    await insertContacts(db.current.sql, full, 2, OPEN);
    await claimCampaignCalls(db.current.sql, full, opts());
    const refused = await counted((sql) => claimCampaignCalls(sql, full, opts()));
    expect(refused.result.blockedBy).toBe('campaign_cap');
    expect(refused.statements).toHaveLength(4);
    const hours = await insertCampaign(db.current.sql, { max_concurrent_calls: 2, recipient_calling_hours: { start: '08:00', end: '21:00' } }, OPEN);
    await insertContacts(db.current.sql, hours, 2, OPEN, { timezone: 'America/Chicago' });
    const withHours = await counted((sql) => claimCampaignCalls(sql, hours, opts()));
    expect(withHours.result.claimed).toHaveLength(2);
    expect(withHours.statements).toHaveLength(5);
  });

  it('four statements for direct calls: begin, the semaphore, the claim, commit', async () => {
    await insertDirectCall(db.current.sql, OPEN);
    await insertDirectCall(db.current.sql, OPEN);
    const { result, statements } = await counted((sql) => claimDirectCalls(sql, opts()));
    expect(result.claimed).toHaveLength(2);
    expect(statements).toEqual(['begin', 'select id from', expect.stringMatching(/^with room as/), 'commit']);
  });

  it('one more claim statement (and the campaign completion check) only when listed numbers took places', async () => {
    const id = await insertCampaign(db.current.sql, { max_concurrent_calls: 2 }, OPEN);
    const ids = await insertContacts(db.current.sql, id, 3, OPEN);
    const [row] = await db.current.sql<{ phone: string }[]>`select phone from calls where id = ${ids[0]!}`;
    await list(row!.phone);
    const { result, statements } = await counted((sql) => claimCampaignCalls(sql, id, opts()));
    expect(result.claimed.map((c) => c.callId)).toEqual(ids.slice(1));
    expect(statements.filter((s) => s.startsWith('with room as'))).toHaveLength(2);
    expect(statements).toHaveLength(6); // begin, locks, claim (1 claimed, 1 cancelled), claim (1 more), completion check, commit
  });
});

describe('the claim transaction locks', () => {
  it('the campaign row first: it holds it while it waits for the account semaphore', async () => {
    const id = await insertCampaign(db.current.sql, {}, OPEN);
    await insertContacts(db.current.sql, id, 1, OPEN);
    const claimed = await whileHoldingSemaphore(async () => {}, () => claimCampaignCalls(db.current.sql, id, opts()), async (other) => {
      const probe = await other`select id from campaigns where id = ${id} for update nowait`.catch((e: unknown) => e);
      expect(pgErrorCode(probe)).toBe(PgCodes.LOCK_NOT_AVAILABLE);
    });
    expect(claimed.claimed).toHaveLength(1);
  });

  it('counts the calls in flight after both locks: a claim committed while it waited is seen, and the cap holds', async () => {
    const id = await insertCampaign(db.current.sql, { max_concurrent_calls: 5 }, OPEN);
    await insertContacts(db.current.sql, id, 2, OPEN);
    const direct = await insertDirectCall(db.current.sql, OPEN);
    // The holder plays another worker's claim: under the semaphore, a call goes in flight; it commits once this claim waits.
    const result = await whileHoldingSemaphore(
      (tx) => tx`update calls set status = 'dialing', attempt = 1, result_deadline = ${OPEN} where id = ${direct}`,
      () => claimCampaignCalls(db.current.sql, id, opts({ accountCap: 1 })),
    );
    expect(result).toMatchObject({ claimed: [], blockedBy: 'account_cap' });
  });
});

/**
 * Another connection locks the account semaphore, does `hold` in that
 * transaction, then `claim` starts; once the claim waits on a lock, `whileWaiting`
 * runs on the other pool and the holder commits. Returns what the claim did.
 */
async function whileHoldingSemaphore(
  hold: (tx: TransactionSql) => Promise<unknown>, claim: () => Promise<ClaimResult>, whileWaiting: (other: Sql) => Promise<void> = async () => {},
): Promise<ClaimResult> {
  const other = createSql({ url: db.current.url, applicationName: 'lock-order', idleTimeoutS: 1, max: 2 });
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  try {
    let held!: () => void;
    const isHeld = new Promise<void>((resolve) => (held = resolve));
    const holder = other.begin(async (tx) => {
      await tx`select id from account_semaphore where id = 1 for update`;
      await hold(tx);
      held();
      await released;
    });
    await isHeld;
    const claimed = claim();
    let waiting = 0;
    for (let i = 0; i < 100 && waiting === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const [row] = await other<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
      waiting = row!.n;
    }
    expect(waiting).toBe(1);
    await whileWaiting(other);
    release();
    await holder;
    return await claimed;
  } finally {
    release(); // also when an expectation failed: the holder ends, so the pool can
    await other.end();
  }
}
