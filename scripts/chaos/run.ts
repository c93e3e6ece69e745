// One chaos run (issue 15): a real API, `workers` real worker processes
// (DIALER=webhook against a deduplicating provider, or DIALER=retell against a
// reconciling one that speaks Retell's API: fake-provider.ts) and the fake provider on one throwaway database, in real
// time. Campaigns are open all day ("now" in real time) and each plays a role:
//
//   steady     nothing happens to it (retries `unknown` too)
//   pausing    paused and resumed over and over; paused at the end of the chaos with calls in flight
//   cancelled  cancelled in the middle, calls in flight
//   windowed   its window closed and reopened by PATCH
//   hours      recipient calling hours that exclude two of its three contact zones
//   paced      calls_per_minute, retries `unknown` too
//
// Meanwhile the driver SIGKILLs workers at random (restarting them), terminates
// their database connections, and takes the provider down for longer than the
// dialer's retries; the provider refuses, holds, loses answers and duplicates
// events. Then it calms everything, reopens and resumes, waits until nothing
// due is left undialed, and judges (verdict.ts).
//
// Invariants: every random choice comes from the seed (random.ts); the chaos
// phase's schedule is drawn before it starts, so the same seed replays the same
// schedule (timing of the processes themselves is real and varies).
import { isContactCallable, type CallingWindow, type RecipientHours } from '@wakeplan/schedule-core';
import { createMigratedDatabase, createSql, resolveDatabase, withDatabase, type Sql } from '@wakeplan/db';
import { CALM, FakeProvider, type LookupCounts, type ProviderFaults, type ProviderMode } from './fake-provider.ts';
import { spawnApi, spawnWorker, startDoorbellFanout, type Spawned } from './processes.ts';
import { seeded, type Random } from './random.ts';
import { ChaosReferee } from './referee.ts';
import { judge, type Finding } from './verdict.ts';

export interface ChaosOptions {
  seed: number;
  kills: number;
  workers: number;
  contacts: number;
  minutes: number;
  mode: ProviderMode;
  /** How long the settling phase may wait for the last due contacts, seconds. */
  settleSeconds: number;
  accountCap: number;
  /** Leave the run's database in place (its name is printed) for a look afterwards. */
  keepDatabase: boolean;
  log: (line: string) => void;
}

export interface ChaosReport {
  findings: Finding[];
  /** Per outage: the attempts it left unconfirmed, and how soon after the provider came back each was sent again. */
  recovery: Recovery[];
  /** Workers that exited by themselves (restarted after a second, as a supervisor would). */
  crashes: string[];
  auditRan: boolean;
  kills: number;
  terminations: number;
  outages: number;
  lifecycle: number;
  dials: number;
  calls: number;
  /** Reconciling mode: the workers' list-calls lookups, by what they found. */
  lookups: LookupCounts;
  contacts: Record<string, number>;
  seconds: number;
}

const TOKEN = 'chaos-token';
const WAKE_TOKEN = 'chaos-wake-token';
const DIAL_SECRET = 'chaos-dial-secret';
const EVENTS_SECRET = 'chaos-events-secret';
const RETELL_API_KEY = 'chaos-retell-key';
const CHAOS_FAULTS: ProviderFaults = { refuse: 0.05, hold: 0.03, lost: 0.03, error: 0.03, duplicateEvent: 0.2, progress: 0.5 };
const ALL_DAY = { timezone: 'UTC', first_call_time: '00:00', last_call_time: '00:00' };
/** A claim committed just before a pause may still be on the wire this long after the API answered. */
const TOLERANCE_MS = 3000;

type Role = 'steady' | 'pausing' | 'cancelled' | 'windowed' | 'hours' | 'paced';
const ROLES: Role[] = ['steady', 'pausing', 'cancelled', 'windowed', 'hours', 'paced'];

interface Campaign { id: string; role: Role; paused: boolean; closed: boolean; cancelled: boolean }

export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const random = seeded(o.seed);
  const resolved = await resolveDatabase(process.env, o.log);
  const host = new URL(resolved.url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) throw new Error(`chaos runs against 127.0.0.1 only; DATABASE_URL points at ${host}`);
  const db = await createMigratedDatabase(resolved.url, 'wakeplan_chaos');
  const sql = createSql({ url: db.url, applicationName: 'wakeplan-chaos', idleTimeoutS: 5, max: 2 });
  const admin = createSql({ url: withDatabase(resolved.url, 'postgres'), applicationName: 'wakeplan-chaos-admin', idleTimeoutS: 5, max: 1 });
  const referee = new ChaosReferee(o.accountCap, TOLERANCE_MS);
  const campaignOfPhone = new Map<string, string>();
  const provider = new FakeProvider({
    dialSecret: DIAL_SECRET, eventsSecret: EVENTS_SECRET, mode: o.mode, random: random.fork('provider'), referee, callMs: [300, 3000],
    retellApiKey: RETELL_API_KEY, campaignOf: (to) => campaignOfPhone.get(to) ?? null,
  });
  const workers: (Spawned | null)[] = Array.from({ length: o.workers }, () => null);
  const killed = new Set<Spawned>(); // by the driver: their exit is expected
  const crashes: string[] = [];
  let stopping = false;
  const fanout = await startDoorbellFanout(() => workers.filter((w): w is Spawned => w?.alive() ?? false).map((w) => w.port));
  let api: Spawned | null = null;
  const counts = { kills: 0, terminations: 0, outages: 0, lifecycle: 0 };
  try {
    await provider.start();
    api = await spawnApi({
      NODE_ENV: 'test', DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', API_TOKENS: TOKEN, WAKE_TOKEN, WORKER_WAKE_URL: fanout.url,
      PROVIDER_EVENTS_SECRET: EVENTS_SECRET, CALL_RESULT_TIMEOUT_MINUTES: '1', RATE_LIMIT_PER_MINUTE: '1000000',
      PROVIDER_EVENTS_PER_MINUTE: '1000000', LOG_LEVEL: 'info', DB_IDLE_TIMEOUT_S: '5', RETELL_API_KEY,
    });
    provider.retellWebhookUrl = `http://127.0.0.1:${api.port}/api/provider/retell`;
    const http = apiClient(`http://127.0.0.1:${api.port}`);
    const campaigns = await createCampaigns(http, referee, o.contacts, random.fork('campaigns'), campaignOfPhone);
    o.log(`${campaigns.length} campaigns, ${o.contacts} contacts; api :${api.port}, provider ${provider.url}`);
    let generation = 0;
    const startWorker = async (i: number) => {
      const dialer: Record<string, string> = o.mode === 'reconciling'
        ? { DIALER: 'retell', RETELL_API_KEY, RETELL_FROM_NUMBER: '+12125550100', RETELL_API_BASE_URL: provider.url }
        : { DIALER: 'webhook', DIALER_WEBHOOK_URL: `${provider.url}/dial`, DIALER_WEBHOOK_SECRET: DIAL_SECRET };
      const w = await spawnWorker(`worker-${i}.${generation++}`, {
        NODE_ENV: 'test', DATABASE_URL: db.url, WORKER_PORT: '0', HOST: '127.0.0.1', WAKE_TOKEN, ...dialer, DIALER_TIMEOUT_MS: '1500',
        PROVIDER_EVENTS_URL: `http://127.0.0.1:${api!.port}/api/provider/events`, PROVIDER_EVENTS_SECRET: EVENTS_SECRET,
        MAX_CONCURRENT_CALLS: String(o.accountCap), CALL_RESULT_TIMEOUT_MINUTES: '1', SHUTDOWN_GRACE_S: '2', DB_IDLE_TIMEOUT_S: '2',
        WORKER_ID: `w${i}-${generation}`, LOG_LEVEL: 'info',
      });
      workers[i] = w;
      void w.exited.then(async (code) => {
        if (killed.has(w) || stopping) return;
        // A crash, not a kill: restart it as a supervisor (Railway) would, and report it.
        crashes.push(`${w.name} exited by itself (${code}): ${lastError(w.errors)}`);
        killed.add(w);
        await sleep(1000);
        if (!stopping && workers[i] === w) await startWorker(i).catch((e: Error) => crashes.push(`restart failed: ${e.message}`));
      });
    };
    await Promise.all(workers.map((_, i) => startWorker(i)));
    provider.faults = CHAOS_FAULTS;

    // The chaos phase: a schedule drawn from the seed, then played in real time.
    const phaseMs = o.minutes * 60_000;
    const schedule = drawSchedule(random.fork('schedule'), o, phaseMs, campaigns);
    const t0 = Date.now();
    const pending: Promise<void>[] = [];
    const outageEnds: number[] = [];
    for (const step of schedule) {
      const wait = t0 + step.at - Date.now();
      if (wait > 0) await sleep(wait);
      switch (step.kind) {
        case 'kill': {
          let live = liveWorkers(workers);
          for (let waited = 0; live.length === 0 && waited < 5000; waited += 100) { // every worker is restarting: kill the first one back
            await sleep(100);
            live = liveWorkers(workers);
          }
          if (live.length === 0) break;
          const [w, i] = live[step.pick % live.length]!;
          killed.add(w);
          w.child.kill('SIGKILL');
          workers[i] = null;
          counts.kills++;
          pending.push(sleep(step.restartMs).then(() => startWorker(i)));
          break;
        }
        case 'terminate':
          counts.terminations += await terminateWorkerBackends(admin, db.name);
          break;
        case 'outage':
          provider.outageUntil = Date.now() + step.ms;
          outageEnds.push(provider.outageUntil);
          counts.outages++;
          break;
        default:
          await lifecycle(http, referee, step.campaign, step.kind);
          counts.lifecycle++;
      }
    }
    await Promise.all(pending);
    // Settle: calm provider, every worker up, windows open, campaigns resumed.
    o.log(`chaos phase done in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${counts.kills} kills, ${counts.terminations} connections terminated, ${counts.outages} outages, ${counts.lifecycle} lifecycle changes; settling`);
    provider.faults = { ...CALM, duplicateEvent: CHAOS_FAULTS.duplicateEvent, progress: CHAOS_FAULTS.progress };
    provider.outageUntil = 0;
    for (let i = 0; i < workers.length; i++) if (!workers[i]?.alive()) await startWorker(i);
    for (const c of campaigns) {
      if (c.closed) await lifecycle(http, referee, c, 'open');
      if (c.paused && !c.cancelled) await lifecycle(http, referee, c, 'resume');
    }
    const liveness = await settle(sql, provider, o.settleSeconds * 1000);
    await provider.drain(10_000);
    const { findings, auditRan } = await judge({ sql, databaseUrl: db.url, provider, live: referee.finish(), liveness, at: new Date() });
    stopping = true;
    const contactRows = await sql<{ status: string; n: number }[]>`select status, count(*)::int as n from calls group by status order by status`;
    const recovery = outageEnds.map((end) => recoveryAfter(provider, end));
    return {
      findings, auditRan, ...counts, crashes, recovery, dials: provider.arrivals.length, calls: provider.calls.length, lookups: provider.lookups,
      contacts: Object.fromEntries(contactRows.map((r) => [r.status, r.n])), seconds: (Date.now() - started) / 1000,
    };
  } finally {
    stopping = true;
    for (const w of workers) {
      if (!w?.alive()) continue;
      killed.add(w);
      w.child.kill('SIGKILL');
    }
    api?.child.kill('SIGTERM');
    await Promise.all([...workers.map((w) => w?.exited), api?.exited]);
    await provider.close();
    await fanout.close();
    await sql.end({ timeout: 2 });
    await admin.end({ timeout: 2 });
    if (o.keepDatabase) o.log(`database kept: ${db.url}`);
    else await db.drop().catch((e: Error) => o.log(`could not drop ${db.name}: ${e.message}`));
    await resolved.release();
  }
}

type Step =
  | { at: number; kind: 'kill'; pick: number; restartMs: number }
  | { at: number; kind: 'terminate' }
  | { at: number; kind: 'outage'; ms: number }
  | { at: number; kind: LifecycleKind; campaign: Campaign };

type LifecycleKind = 'pause' | 'resume' | 'cancel' | 'close' | 'open';

function drawSchedule(r: Random, o: ChaosOptions, phaseMs: number, campaigns: Campaign[]): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < o.kills; i++) steps.push({ at: r.between(0, phaseMs), kind: 'kill', pick: r.int(0, 1000), restartMs: r.between(200, 1500) });
  for (let t = r.between(1000, 5000); t < phaseMs; t += r.between(2000, 7000)) steps.push({ at: t, kind: 'terminate' });
  const outages = Math.max(1, Math.round(o.minutes));
  for (let i = 0; i < outages; i++) steps.push({ at: r.between(0.1, 0.8) * phaseMs, kind: 'outage', ms: r.between(8000, 12000) });
  const role = (name: Role) => campaigns.find((c) => c.role === name)!;
  let paused = false;
  for (let t = r.between(2000, 5000); t < phaseMs; t += r.between(3000, 8000)) {
    steps.push({ at: t, kind: paused ? 'resume' : 'pause', campaign: role('pausing') });
    paused = !paused;
  }
  if (!paused) steps.push({ at: phaseMs - 1000, kind: 'pause', campaign: role('pausing') }); // paused with calls in flight: completes on resume
  let closed = false;
  for (let t = r.between(2000, 6000); t < phaseMs; t += r.between(4000, 10000)) {
    steps.push({ at: t, kind: closed ? 'open' : 'close', campaign: role('windowed') });
    closed = !closed;
  }
  steps.push({ at: r.between(0.3, 0.6) * phaseMs, kind: 'cancel', campaign: role('cancelled') });
  return steps.sort((a, b) => a.at - b.at);
}

interface ApiClient {
  send(method: string, path: string, body?: unknown): Promise<{ status: number; data: any; sentAt: number; answeredAt: number }>;
}

function apiClient(base: string): ApiClient {
  return {
    async send(method, path, body) {
      const sentAt = Date.now();
      const res = await fetch(`${base}${path}`, {
        method, headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const parsed = (await res.json()) as { data?: unknown; error?: unknown };
      if (res.status >= 300 && res.status !== 409) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(parsed.error)}`);
      return { status: res.status, data: parsed.data, sentAt, answeredAt: Date.now() };
    },
  };
}

async function createCampaigns(
  http: ApiClient, referee: ChaosReferee, contacts: number, r: Random, campaignOfPhone: Map<string, string>,
): Promise<Campaign[]> {
  const now = new Date();
  const h = now.getUTCHours();
  const hours: RecipientHours = { start: hhmm((h + 23) % 24), end: hhmm((h + 3) % 24) };
  const out: Campaign[] = [];
  let phone = 0;
  for (const [i, role] of ROLES.entries()) {
    const n = Math.floor(contacts / ROLES.length) + (i < contacts % ROLES.length ? 1 : 0);
    const zones = role === 'hours' ? ['UTC', 'Asia/Tokyo', 'America/Los_Angeles'] : [null];
    const list = Array.from({ length: n }, (_, k) => ({ phone: `+1212${2_000_000 + phone++}`, timezone: zones[k % zones.length] ?? null }));
    const body = {
      name: `chaos ${role}`, agent_id: 'agent-chaos', ...ALL_DAY, max_concurrent_calls: r.int(2, 3), max_attempts: 3, retry_delay_minutes: 0,
      retry_on: role === 'steady' || role === 'paced' ? ['no_answer', 'busy', 'failed', 'unknown'] : ['no_answer', 'busy', 'failed'],
      calls_per_minute: role === 'paced' ? 60 : null, recipient_calling_hours: role === 'hours' ? hours : null,
      contacts: list.map((c) => (c.timezone ? c : { phone: c.phone })),
    };
    const { data } = await http.send('POST', '/api/campaigns', body);
    const window: CallingWindow = { timezone: 'UTC', firstCallTime: '00:00', lastCallTime: '00:00' };
    if (role === 'hours' && !isContactCallable(window, hours, 'UTC', now)) throw new Error('chaos: the hours campaign would call nobody now');
    referee.addCampaign(data.id, { name: role, cap: body.max_concurrent_calls, hours: body.recipient_calling_hours }, list);
    for (const c of list) campaignOfPhone.set(c.phone, data.id);
    out.push({ id: data.id, role, paused: false, closed: false, cancelled: false });
  }
  return out;
}

async function lifecycle(http: ApiClient, referee: ChaosReferee, c: Campaign, kind: LifecycleKind): Promise<void> {
  if (c.cancelled) return;
  if (kind === 'close' || kind === 'open') {
    const h = new Date().getUTCHours();
    const body = kind === 'close' ? { first_call_time: hhmm((h + 2) % 24), last_call_time: hhmm((h + 3) % 24) } : { first_call_time: '00:00', last_call_time: '00:00' };
    const res = await http.send('PATCH', `/api/campaigns/${c.id}`, body);
    if (res.status === 409) return;
    if (kind === 'close') referee.block(c.id, 'window_closed', res.answeredAt);
    else referee.unblock(c.id, 'window_closed', res.sentAt);
    c.closed = kind === 'close';
    return;
  }
  const res = await http.send('POST', `/api/campaigns/${c.id}/${kind}`);
  if (res.status === 409) return; // completed: nothing left to pause or cancel
  if (kind === 'pause') referee.block(c.id, 'paused', res.answeredAt);
  if (kind === 'resume') referee.unblock(c.id, 'paused', res.sentAt);
  if (kind === 'cancel') referee.block(c.id, 'cancelled', res.answeredAt);
  c.paused = kind === 'pause';
  c.cancelled = kind === 'cancel';
}

async function terminateWorkerBackends(admin: Sql, database: string): Promise<number> {
  const rows = await admin<{ ok: boolean }[]>`
    select pg_terminate_backend(pid) as ok from pg_stat_activity
    where datname = ${database} and application_name like 'wakeplan-worker%' and pid <> pg_backend_pid()`;
  return rows.filter((r) => r.ok).length;
}

/**
 * Waits until nothing is in flight (database and provider) and no queued
 * contact of an active campaign is due and callable now; returns what was
 * still due when `timeoutMs` ran out (the liveness findings).
 */
async function settle(sql: Sql, provider: FakeProvider, timeoutMs: number): Promise<string[]> {
  const until = Date.now() + timeoutMs;
  let left: string[] = [];
  for (;;) {
    const now = new Date();
    const [flight] = await sql<{ n: number }[]>`select count(*)::int as n from calls where status in ('dialing', 'in_progress')`;
    const due = await sql<{ campaign_id: string; name: string; zone: string; hours: RecipientHours | null; n: number }[]>`
      select c.campaign_id, k.name, coalesce(c.timezone, k.timezone) as zone, k.recipient_calling_hours as hours, count(*)::int as n
      from calls c join campaigns k on k.id = c.campaign_id
      where c.status = 'queued' and k.status = 'active' and coalesce(c.next_attempt_at, '-infinity') <= ${now}
      group by 1, 2, 3, 4`;
    const window: CallingWindow = { timezone: 'UTC', firstCallTime: '00:00', lastCallTime: '00:00' };
    const callable = due.filter((d) => isContactCallable(window, d.hours, d.zone, now));
    left = callable.map((d) => `${d.n} contact(s) of "${d.name}" in ${d.zone} due and callable, not dialed`);
    if (flight!.n > 0) left.push(`${flight!.n} call(s) still in flight`);
    if (provider.active().length > 0) left.push(`${provider.active().length} call(s) still at the provider`);
    if (left.length === 0 || Date.now() > until) return left;
    await sleep(500);
  }
}

interface Recovery {
  /** Attempts whose every request up to the recovery met the outage. */
  stranded: number;
  /** Of those, sent again after the recovery, and the slowest such delay. */
  resent: number;
  slowestMs: number | null;
}

function recoveryAfter(provider: FakeProvider, end: number): Recovery {
  const before = new Map<string, boolean>(); // key → every request before `end` met the outage
  for (const a of provider.arrivals) if (a.at < end) before.set(a.key, (before.get(a.key) ?? true) && a.answer === 'outage');
  const stranded = [...before].filter(([, all]) => all).map(([key]) => key);
  const delays = stranded.flatMap((key) => {
    const next = provider.arrivals.find((a) => a.key === key && a.at >= end);
    return next ? [next.at - end] : [];
  });
  return { stranded: stranded.length, resent: delays.length, slowestMs: delays.length > 0 ? Math.max(...delays) : null };
}

function liveWorkers(workers: (Spawned | null)[]): (readonly [Spawned, number])[] {
  return workers.flatMap((w, i) => (w?.alive() ? [[w, i] as const] : []));
}

/** The last error a process logged, in one short line. */
function lastError(errors: string[]): string {
  const line = errors.at(-1) ?? 'no error logged';
  const message = /"message":"([^"]+)"/.exec(line)?.[1];
  return message ? `${line.split(' {')[0]} — ${message}` : line.slice(0, 200);
}

function hhmm(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
