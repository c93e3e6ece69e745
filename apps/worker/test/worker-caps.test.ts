// Three workers at once, on real time against one real database: caps hold
// (per campaign and account-wide) and no attempt is ever dialed twice, while
// calls end at random, some are retried, and NOTIFY/doorbell hints race.
//
// A call leaves the provider's count when it ends, before its outcome is even
// reported, and a claim commits before its dial is sent: every call the provider
// still counts was in flight in the database when any later claim counted, so if
// the provider's count ever exceeds a cap, a claim broke it. (Forgetting the call
// only after the outcome's commit reached the client would be a race of the test
// itself: a loaded host can run a whole claim in that gap.)
import { afterAll, describe, expect, it } from 'vitest';
import { applyProviderEvent, type Sql } from '@wakeplan/db';
import type { DialRequest } from '@wakeplan/contract';
import { insertCampaign, insertContacts, insertDirectCall, useTestDatabase, waitFor } from '@wakeplan/db/testing';
import { createLogger, SystemClock } from '@wakeplan/runtime';
import { PostgresConnector } from '../src/database-connector.ts';
import type { Dialer, DialResult } from '../src/dialers/dialer.ts';
import { seededRandom } from '../src/dialers/prng.ts';
import { Worker } from '../src/worker.ts';

const db = useTestDatabase();
const ACCOUNT_CAP = 6;
const workers: Worker[] = [];

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
});

class Provider {
  readonly dialed: DialRequest[] = [];
  readonly maxActive = new Map<string, number>();
  maxAccount = 0;
  private readonly active = new Map<string, string>();
  private readonly random = seededRandom(7);
  ring: () => void = () => {};

  constructor(private readonly sql: Sql) {}

  dialer(): Dialer {
    return { name: 'provider', resend: 'reconciles', dial: (r) => this.dial(r), close: async () => {} };
  }

  private async dial(request: DialRequest): Promise<DialResult> {
    this.dialed.push(request);
    const group = request.campaignId ?? 'direct';
    this.active.set(request.idempotencyKey, group);
    const inGroup = [...this.active.values()].filter((g) => g === group).length;
    this.maxActive.set(group, Math.max(this.maxActive.get(group) ?? 0, inGroup));
    this.maxAccount = Math.max(this.maxAccount, this.active.size);
    const status = this.random() < 0.3 ? 'no_answer' : 'completed';
    setTimeout(() => void this.finish(request, status), 5 + Math.floor(this.random() * 40));
    return { kind: 'confirmed', providerCallId: `p-${request.idempotencyKey}` };
  }

  private async finish(request: DialRequest, status: 'no_answer' | 'completed'): Promise<void> {
    this.active.delete(request.idempotencyKey);
    const at = new Date();
    await applyProviderEvent(this.sql, { call_id: request.callId, attempt: request.attempt, status, occurred_at: at.toISOString() }, at, { resultTimeoutMinutes: 30 });
    this.ring();
  }
}

describe('three workers at once', () => {
  it('never exceed a cap and never dial an attempt twice', async () => {
    const sql = db.current.sql;
    const always = { first_call_time: '00:00', last_call_time: '00:00', retry_on: ['no_answer'], retry_delay_minutes: 0, max_attempts: 2 };
    const a = await insertCampaign(sql, { ...always, max_concurrent_calls: 3 }, new Date());
    const b = await insertCampaign(sql, { ...always, max_concurrent_calls: 4 }, new Date());
    await insertContacts(sql, a, 40, new Date());
    await insertContacts(sql, b, 40, new Date());
    for (let i = 0; i < 5; i++) await insertDirectCall(sql, new Date());
    const provider = new Provider(sql);
    const errors: string[] = [];
    for (let i = 0; i < 3; i++) {
      const logger = createLogger('wakeplan-worker', 'warn', { write: (line: string) => void errors.push(line) });
      workers.push(new Worker({
        clock: new SystemClock(),
        connector: new PostgresConnector({ url: db.current.url, applicationName: `wakeplan-caps-${i}`, idleTimeoutS: 5 }),
        dialer: provider.dialer(),
        logger,
        mode: { kind: 'wakeplan' },
        settings: { workerId: `w${i}`, accountCap: ACCOUNT_CAP, resultTimeoutMinutes: 30, callbackUrl: 'http://127.0.0.1:9/', shutdownGraceS: 5 },
      }));
    }
    let turn = 0;
    provider.ring = () => workers[turn++ % workers.length]!.wake(); // the API rings one doorbell
    for (const w of workers) w.start();

    await waitFor(async () => {
      const [row] = await sql<{ open: number }[]>`select count(*)::int as open from calls where status not in ('completed', 'failed')`;
      return row!.open === 0;
    }, 'every call to end', 60_000);

    expect(errors.filter((l) => JSON.parse(l).level >= 50)).toEqual([]);
    expect(provider.maxActive.get(a)).toBeLessThanOrEqual(3);
    expect(provider.maxActive.get(b)).toBeLessThanOrEqual(4);
    expect(provider.maxAccount).toBeLessThanOrEqual(ACCOUNT_CAP);
    const keys = provider.dialed.map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    const [attempts] = await sql<{ n: number }[]>`select count(*)::int as n from call_attempts`;
    expect(attempts!.n).toBe(keys.length);
    const perWorker = await sql<{ worker_id: string; n: number }[]>`select worker_id, count(*)::int as n from call_attempts group by 1`;
    expect(perWorker.length).toBeGreaterThan(1); // the work really was shared
    const [retried] = await sql<{ n: number }[]>`select count(*)::int as n from call_attempts where attempt = 2`;
    expect(retried!.n).toBeGreaterThan(0);
  });
});
