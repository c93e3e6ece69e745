// The worker benchmark (`npx tsx apps/worker/bench/worker.bench.ts`, or `npm run
// bench -w @wakeplan/worker`): on a throwaway database on 127.0.0.1, it measures
//   1. dispatch throughput — 10,000 contacts over 100 campaigns, instant simulated dialer;
//   2. latency from creation to first dial, through the doorbell, worker waiting vs asleep;
//   3. timer lateness of the system clock (plain and chained links);
//   4. idle database activity — statements/hour and connection-seconds/hour, from
//      pg_stat_database / pg_stat_activity — for the wake plan and the polling
//      fallback side by side (polling measured at a short interval, reported at 10 s).
// Bounded in time (about a minute and a half); drops its database afterwards.
// BENCH_PARTS=throughput,latency,timers,idle picks parts.
import { ringDoorbell } from '@wakeplan/api/worker-link';
import { applyProviderEvent, createSql, notifySchedulerChanged, type Sql } from '@wakeplan/db';
import { waitFor } from '@wakeplan/db/testing';
import { buildNotification, type DialRequest } from '@wakeplan/contract';
import { createLogger, EnvReader, LOG_LEVELS, sleep, SystemClock, type Clock } from '@wakeplan/runtime';
import { PostgresConnector, type ConnectorObserver } from '../src/database-connector.ts';
import type { Dialer, DialResult } from '../src/dialers/dialer.ts';
import { SimulatedDialer } from '../src/dialers/simulated.ts';
import { DoorbellServer } from '../src/doorbell-server.ts';
import type { SchedulingMode } from '../src/scheduling-mode.ts';
import { Worker } from '../src/worker.ts';
import { createBenchDatabase, seedCampaigns, type BenchDatabase } from './bench-database.ts';

const logger = createLogger('wakeplan-worker', new EnvReader(process.env).oneOf('LOG_LEVEL', LOG_LEVELS, 'warn'));
const print = (line: string) => console.log(line);
const IDLE_WINDOW_MS = 20_000;
const POLL_MEASURE_MS = 1_000;
const POLL_DEFAULT_MS = 10_000;

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function makeWorker(db: BenchDatabase, o: { mode: SchedulingMode; dialer: Dialer; clock: Clock; accountCap: number; app: string; observer?: ConnectorObserver }): Worker {
  return new Worker({
    clock: o.clock,
    connector: new PostgresConnector({ url: db.url, applicationName: o.app, idleTimeoutS: 30, observer: o.observer }),
    dialer: o.dialer, logger, mode: o.mode,
    settings: { workerId: o.app, accountCap: o.accountCap, resultTimeoutMinutes: 30, callbackUrl: 'http://127.0.0.1:9/', shutdownGraceS: 5 },
  });
}

async function reset(sql: Sql): Promise<void> {
  await sql`truncate campaigns, calls, call_attempts, provider_events, worker_state`;
}

interface ThroughputRun { dialedMs: number; doneMs: number; worker: Worker }

/** 10,000 contacts over 100 campaigns; the simulated dialer answers at once, calls last `callSeconds`. */
async function runThroughput(db: BenchDatabase, sql: Sql, caps: { campaign: number; account: number }, callSeconds: number): Promise<ThroughputRun> {
  await reset(sql);
  const clock = new SystemClock();
  await seedCampaigns(sql, { campaigns: 100, contactsEach: 100, maxConcurrentCalls: caps.campaign, at: clock.now() });
  let finished = 0;
  const dialer = new SimulatedDialer({
    clock, seed: 1, callSeconds: { min: callSeconds, max: callSeconds }, outcomes: { completed: 1 },
    sink: async (event) => {
      await applyProviderEvent(sql, event, clock.now(), { resultTimeoutMinutes: 30 });
      finished++;
    },
  });
  const worker = makeWorker(db, { mode: { kind: 'wakeplan' }, dialer, clock, accountCap: caps.account, app: 'wakeplan-bench-throughput' });
  const start = performance.now();
  worker.start();
  await waitFor(() => worker.counters.confirmed >= 10_000, '10,000 confirmed dials', 300_000);
  const dialedMs = performance.now() - start;
  if (callSeconds === 0) await waitFor(() => finished >= 10_000, '10,000 outcomes', 300_000);
  const doneMs = performance.now() - start;
  await worker.stop();
  await dialer.close();
  return { dialedMs, doneMs, worker };
}

async function throughput(db: BenchDatabase, sql: Sql): Promise<void> {
  const rate = (ms: number) => `${Math.round(10_000 / (ms / 1000))} calls/s (${(ms / 1000).toFixed(2)} s)`;
  print(`1. dispatch throughput: 10,000 contacts over 100 campaigns, instant simulated dialer`);
  const burst = await runThroughput(db, sql, { campaign: 100, account: 10_000 }, 60);
  print(`   caps out of the way (100/campaign, 10,000 account): claimed, dialed and confirmed at ${rate(burst.dialedMs)};`
    + ` ${burst.worker.counters.planReads} plan reads, ${burst.worker.counters.claims} claim transactions`);
  const steady = await runThroughput(db, sql, { campaign: 20, account: 500 }, 0);
  print(`   refilling under caps (20/campaign, 500 account, calls end at once, outcomes applied in-process):`
    + ` ${rate(steady.doneMs)} end to end; ${steady.worker.counters.claims} claim transactions, ${steady.worker.counters.notifications} NOTIFYs handled, errors ${steady.worker.counters.errors}`);
}

/** Confirms every dial; records when each call was first dialed; optionally ends each call at once. */
class LatencyDialer implements Dialer {
  readonly name = 'latency';
  readonly resend = 'reconciles' as const;
  readonly dialedAt = new Map<string, number>();
  finishAtOnce = false;
  constructor(private readonly sql: Sql) {}
  async dial(r: DialRequest): Promise<DialResult> {
    this.dialedAt.set(r.callId, performance.now());
    if (this.finishAtOnce) {
      setImmediate(() => void applyProviderEvent(this.sql, { call_id: r.callId, attempt: r.attempt, status: 'completed', occurred_at: new Date().toISOString() }, new Date(), { resultTimeoutMinutes: 30 }));
    }
    return { kind: 'confirmed', providerCallId: null };
  }
  async close(): Promise<void> {}
}

/** What the API does for `POST /api/campaigns` with contacts: one transaction with NOTIFY, then the doorbell. */
async function createCampaignLikeTheApi(sql: Sql, wakeUrl: string, i: number): Promise<string> {
  const at = new Date();
  const callId = await sql.begin(async (tx) => {
    const [c] = await tx<{ id: string }[]>`
      insert into campaigns (name, agent_id, timezone, first_call_time, last_call_time, created_at, updated_at)
      values (${`latency ${i}`}, 'a', 'UTC', '00:00', '00:00', ${at}, ${at}) returning id`;
    const [call] = await tx<{ id: string }[]>`
      insert into calls (campaign_id, phone, created_at, updated_at) values (${c!.id}, ${`+1303${5_000_000 + i}`}, ${at}, ${at}) returning id`;
    await notifySchedulerChanged(tx, buildNotification('contacts_added', at, { campaignId: c!.id }));
    return call!.id;
  });
  void ringDoorbell('contacts_added', { url: wakeUrl, token: 'bench-token' });
  return callId;
}

async function latency(db: BenchDatabase, sql: Sql): Promise<void> {
  await reset(sql);
  const clock = new SystemClock();
  const dialer = new LatencyDialer(sql);
  const worker = makeWorker(db, { mode: { kind: 'wakeplan' }, dialer, clock, accountCap: 1000, app: 'wakeplan-bench-latency' });
  const server = new DoorbellServer({ port: 0, wakeToken: 'bench-token', host: '127.0.0.1' });
  const wakeUrl = `http://127.0.0.1:${await server.listen()}/wake`;
  server.attach(worker);
  worker.start();
  await waitFor(() => worker.state === 'asleep', 'the worker asleep', 10_000);
  const measure = async (state: 'waiting' | 'asleep', runs: number): Promise<number[]> => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      await waitFor(() => worker.state === state, `the worker ${state}`, 10_000);
      if (state === 'asleep') await sleep(50);
      const start = performance.now();
      const callId = await createCampaignLikeTheApi(sql, wakeUrl, samples.length + (state === 'asleep' ? 1000 : 0));
      await waitFor(() => dialer.dialedAt.has(callId), 'the first dial', 10_000);
      samples.push(dialer.dialedAt.get(callId)! - start);
    }
    return samples;
  };
  dialer.finishAtOnce = true;
  const asleep = await measure('asleep', 20);
  dialer.finishAtOnce = false; // calls stay in flight: the worker waits, listening
  await createCampaignLikeTheApi(sql, wakeUrl, 9999);
  const waiting = await measure('waiting', 20);
  await worker.stop();
  await server.close();
  const fmt = (xs: number[]) => `median ${quantile(xs, 0.5).toFixed(1)} ms, p95 ${quantile(xs, 0.95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;
  print(`2. latency from creation (commit + NOTIFY + doorbell) to first dial, 20 runs each`);
  print(`   worker waiting (listening):       ${fmt(waiting)}`);
  print(`   worker asleep (no connection):    ${fmt(asleep)}  (connect, LISTEN, plan read, claim)`);
}

async function timerLateness(): Promise<void> {
  const measure = async (clock: SystemClock, delays: number[]): Promise<number[]> => Promise.all(delays.map((d) => new Promise<number>((resolve) => {
    const at = Date.now() + d;
    clock.setTimer(new Date(at), () => resolve(Date.now() - at));
  })));
  const delays = [0, 1, 5, 10, 50, 100, 250, 500, 1000, 2000].flatMap((d) => [d, d, d, d, d]);
  const plain = await measure(new SystemClock(), delays);
  const chained = await measure(new SystemClock(undefined, 100), delays.map((d) => d + 1000)); // links of ≤ 100 ms
  const fmt = (xs: number[]) => `median ${quantile(xs, 0.5)} ms, p95 ${quantile(xs, 0.95)} ms, max ${Math.max(...xs)} ms, early ${xs.filter((x) => x < 0).length}`;
  print(`3. system clock timer lateness (${delays.length} timers of 0-2000 ms, all at once)`);
  print(`   one link:                        ${fmt(plain)}`);
  print(`   chained links of 100 ms (1-3 s): ${fmt(chained)}`);
}

interface IdleResult { statements: number; transactions: number; connectionSeconds: number; polls: number }

async function idleActivity(db: BenchDatabase, sql: Sql, mode: SchedulingMode): Promise<IdleResult> {
  await reset(sql);
  await seedCampaigns(sql, { campaigns: 5, contactsEach: 20, maxConcurrentCalls: 5, at: new Date(), startDate: tomorrow() });
  const app = `wakeplan-bench-idle-${mode.kind}`;
  let statements = 0;
  const worker = makeWorker(db, { mode, dialer: new LatencyDialer(sql), clock: new SystemClock(), accountCap: 100, app, observer: { statement: () => void statements++ } });
  worker.start();
  await waitFor(() => worker.state === 'asleep' || worker.state === 'waiting', 'the worker to settle', 10_000);
  await sleep(1500); // the setup pool's and the worker's settled stats flushed
  const before = await serverCounters(db);
  const statementsBefore = statements;
  const readsBefore = worker.counters.planReads;
  let connectionSeconds = 0;
  const start = Date.now();
  while (Date.now() - start < IDLE_WINDOW_MS) {
    const [row] = await db.admin<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = ${db.name} and application_name like ${`${app}%`}`;
    connectionSeconds += row!.n * 0.2;
    await sleep(200);
  }
  const polls = worker.counters.planReads - readsBefore;
  const measuredStatements = statements - statementsBefore;
  await worker.stop(); // closes connections: their statistics are flushed as they exit
  await sleep(700);
  const after = await serverCounters(db);
  return { statements: measuredStatements, transactions: after - before, connectionSeconds, polls };
}

async function serverCounters(db: BenchDatabase): Promise<number> {
  const [row] = await db.admin<{ x: string }[]>`select xact_commit + xact_rollback as x from pg_stat_database where datname = ${db.name}`;
  return Number(row!.x);
}

function tomorrow(): string {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

async function idle(db: BenchDatabase, sql: Sql): Promise<void> {
  // The measurement window must see no client but the worker, and no autovacuum
  // (an autoanalyze after the seeding would count as transactions of this database).
  for (const table of ['campaigns', 'calls', 'call_attempts', 'provider_events', 'worker_state', 'account_semaphore']) {
    await sql.unsafe(`alter table ${table} set (autovacuum_enabled = false)`);
  }
  await sql.end();
  const setupIdle = createSql({ url: db.url, applicationName: 'wakeplan-bench-setup', idleTimeoutS: 1, max: 1 });
  const wake = await idleActivity(db, setupIdle, { kind: 'wakeplan' });
  const poll = await idleActivity(db, setupIdle, { kind: 'polling', intervalMs: POLL_MEASURE_MS });
  await setupIdle.end();
  const hour = 3_600_000;
  const perHour = (x: number) => Math.round((x * hour) / IDLE_WINDOW_MS);
  const pollsPerHourAtDefault = hour / POLL_DEFAULT_MS;
  const perPoll = poll.polls > 0 ? poll.statements / poll.polls : 0;
  const serverPerPoll = poll.polls > 0 ? poll.transactions / poll.polls : 0;
  print(`4. idle database activity (nothing due: campaigns open tomorrow), ${IDLE_WINDOW_MS / 1000} s measured per mode`);
  print(`   mode              statements/hour (worker | server xacts)   connection-seconds/hour`);
  print(`   wake plan         ${String(perHour(wake.statements)).padEnd(8)} | ${String(perHour(wake.transactions)).padEnd(28)} ${perHour(wake.connectionSeconds)}`);
  print(`   polling @10 s     ${String(Math.round(perPoll * pollsPerHourAtDefault)).padEnd(8)} | ${String(Math.round(serverPerPoll * pollsPerHourAtDefault)).padEnd(28)} ${perHour(poll.connectionSeconds)}`);
  print(`   (polling measured at POLL_INTERVAL_MS=${POLL_MEASURE_MS}: ${poll.polls} polls, ${poll.statements} statements, ${poll.transactions} server transactions, ${poll.connectionSeconds.toFixed(1)} connection-s;`);
  print(`    per hour at the 10 s default = per-poll cost x ${pollsPerHourAtDefault}; its pool connection (idle timeout 30 s > 10 s) never closes, so it is held the whole hour)`);
}

const db = await createBenchDatabase((line) => logger.info(line));
const sql = createSql({ url: db.url, applicationName: 'wakeplan-bench-setup', idleTimeoutS: 5, max: 10 });
const started = Date.now();
try {
  print(`worker benchmark on ${new URL(db.url).host}, database ${db.name}`);
  const parts = (process.env.BENCH_PARTS ?? 'throughput,latency,timers,idle').split(',');
  if (parts.includes('throughput')) await throughput(db, sql);
  if (parts.includes('latency')) await latency(db, sql);
  if (parts.includes('timers')) await timerLateness();
  if (parts.includes('idle')) await idle(db, sql);
  print(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
} finally {
  await sql.end().catch(() => {});
  await db.drop();
}
