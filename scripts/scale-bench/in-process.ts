// The parts of the scale benchmark that count what a process cannot report
// about itself: SQL statements the worker sends per dialed call (an in-process
// Worker, the same code as the worker process, with a counting connector), and
// the time of one campaign claim (claimCampaignCalls, timed call by call).
import { applyProviderEvent, createSql, notifySchedulerChanged, type Sql } from '@wakeplan/db';
import { waitFor } from '@wakeplan/db/testing';
import { buildNotification, type DialRequest } from '@wakeplan/contract';
import { createLogger, SystemClock } from '@wakeplan/runtime';
import { PostgresConnector } from '../../apps/worker/src/database-connector.ts';
import type { Dialer, DialResult } from '../../apps/worker/src/dialers/dialer.ts';
import { claimCampaignCalls } from '../../apps/worker/src/sql/claims.ts';
import { Worker } from '../../apps/worker/src/worker.ts';

/** Confirms every dial and ends the call at once (outcome + NOTIFY call_finished, as the API records it). */
class FinishingDialer implements Dialer {
  readonly name = 'finishing';
  readonly resend = 'reconciles' as const;
  constructor(private readonly sql: Sql) {}
  async dial(r: DialRequest): Promise<DialResult> {
    setImmediate(() => void applyProviderEvent(this.sql,
      { call_id: r.callId, attempt: r.attempt, status: 'completed', occurred_at: new Date().toISOString() },
      new Date(), { resultTimeoutMinutes: 30 }).catch(() => {}));
    return { kind: 'confirmed', providerCallId: `p-${r.callId}` };
  }
  async close(): Promise<void> {}
}

export interface StatementCount { dialed: number; statements: number; perCall: number }

/**
 * `campaigns` campaigns open now with `contacts` contacts each and cap `cap`,
 * created while the worker (started on the loaded database) rests; counts the
 * worker's statements from their creation until every contact was dialed and finished.
 */
export async function statementsPerDialedCall(url: string, o: { campaigns: number; contacts: number; cap: number }): Promise<StatementCount> {
  const sql = createSql({ url, applicationName: 'scale-bench-outcomes', idleTimeoutS: 5, max: 4 });
  let statements = 0;
  const clock = new SystemClock();
  const worker = new Worker({
    clock, dialer: new FinishingDialer(sql), logger: createLogger('scale-bench-worker', 'error'), mode: { kind: 'wakeplan' },
    connector: new PostgresConnector({ url, applicationName: 'scale-bench-worker', idleTimeoutS: 30, observer: { statement: () => void statements++ } }),
    settings: { workerId: 'scale-bench', accountCap: 1000, resultTimeoutMinutes: 30, callbackUrl: 'http://127.0.0.1:9/', shutdownGraceS: 5 },
  });
  worker.start();
  await waitFor(() => worker.state === 'asleep' || worker.state === 'waiting', 'the worker at rest', 120_000);
  const before = statements;
  const dialedBefore = worker.counters.dialed;
  const at = new Date();
  const total = o.campaigns * o.contacts;
  await sql.begin(async (tx) => {
    const ids = await tx<{ id: string }[]>`
      insert into campaigns (name, agent_id, timezone, first_call_time, last_call_time, max_concurrent_calls, created_at, updated_at)
      select 'busy ' || i, 'agent-busy', 'UTC', '00:00', '00:00', ${o.cap}, ${at}, ${at} from generate_series(1, ${o.campaigns}) i
      returning id`;
    await tx`insert into calls (campaign_id, phone, created_at, updated_at)
      select k.id, '+1666' || lpad(j::text, 7, '0'), ${at}, ${at}
      from campaigns k cross join generate_series(1, ${o.contacts}) j where k.agent_id = 'agent-busy'`;
    for (const { id } of ids) await notifySchedulerChanged(tx, buildNotification('contacts_added', at, { campaignId: id }));
  });
  worker.wake();
  await waitFor(async () => {
    const [r] = await sql<{ n: number }[]>`select count(*)::int as n from calls c join campaigns k on k.id = c.campaign_id
      where k.agent_id = 'agent-busy' and c.status = 'completed'`;
    return (r?.n ?? 0) >= total;
  }, `${total} calls dialed and finished`, 600_000);
  const dialed = worker.counters.dialed - dialedBefore;
  const counted = statements - before;
  await worker.stop();
  await sql.end({ timeout: 2 });
  return { dialed, statements: counted, perCall: counted / Math.max(1, dialed) };
}

/** Times `n` claims, one per loaded campaign, at an instant inside their window. Returns ms per claim. */
export async function claimTimes(url: string, n: number, at: Date): Promise<number[]> {
  const sql = createSql({ url, applicationName: 'scale-bench-claims', idleTimeoutS: 5, max: 1 });
  const ids = await sql<{ id: string }[]>`select id from campaigns where agent_id = 'agent-scale' order by id limit ${n}`;
  const times: number[] = [];
  for (const { id } of ids) {
    const start = performance.now();
    const r = await claimCampaignCalls(sql, id, { at, workerId: 'scale-bench', accountCap: 100_000, resultTimeoutMinutes: 30 });
    times.push(performance.now() - start);
    if (r.claimed.length !== 1) throw new Error(`claim of ${id} at ${at.toISOString()} got ${r.claimed.length} (${r.blockedBy})`);
  }
  await sql.end({ timeout: 2 });
  return times;
}
