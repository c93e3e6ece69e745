// `npm run bench -- scale [--sizes=1000x100,10000x100] [--port-base=42100]`: the
// scale benchmark (issue 11). For each size K × N it loads K campaigns of N
// queued contacts into a throwaway database with generate_series (windows open
// in three hours), then measures on real processes — the API, the worker (webhook
// dialer) and a local fake provider:
//   plan read (readPlanSnapshot, in this process; and the database's share, by
//   EXPLAIN ANALYZE of the same statement) · the catch-up after one change
//   (waking from sleep: readPlanChanges + readCampaignPlans) · worker start-up to its first
//   rest and its RSS · GET /api/scheduler/status and /plan?days=7: time and size of
//   the first request, then p50 of requests that each follow a write through the
//   API (what a dashboard sees), and the API's RSS after them ·
//   campaign created in its window → first dial · outcome → next dial of that
//   campaign · worker SQL statements per dialed call (in-process worker, counted) ·
//   claim time p50/p99.
// Prints one table with a column per size and the growth from the first size to
// the last. DATABASE_URL picks the server (default: the machine's Postgres on
// 127.0.0.1:5432); the database is dropped afterwards.
import { createMigratedDatabase, createSql } from '@wakeplan/db';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeProvider } from './scale-bench/fake-provider.ts';
import { claimTimes, statementsPerDialedCall } from './scale-bench/in-process.ts';
import { loadScale, parseSizes, sizeLabel, type ScaleSize } from './scale-bench/load.ts';
import { measureCatchUp } from './scale-bench/catch-up.ts';
import { measurePlanRead } from './scale-bench/plan-read.ts';
import { rssMb, startProcess, waitForHealth } from './scale-bench/processes.ts';
import { phoneNumber } from '@wakeplan/db/testing';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const flags = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const sizes = parseSizes(flags.get('sizes') ?? '1000x100,10000x100');
const portBase = Number(flags.get('port-base') ?? 42100);
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const API_TOKEN = 'scale-bench-token';
const SECRETS = { wake: 'scale-bench-wake', events: 'scale-bench-events', webhook: 'scale-bench-webhook' };

type Row = Map<string, string>;
const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}
const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);
const perCampaign = (totalMs: number, campaigns: number) => `${((totalMs * 1000) / Math.max(1, campaigns)).toFixed(1)} µs`;
const kb = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`);
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function timedGet(url: string): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${API_TOKEN}` } });
  const body = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${body.slice(0, 200)}`);
  return { ms: performance.now() - start, bytes: Buffer.byteLength(body) };
}

async function post(apiUrl: string, path: string): Promise<void> {
  const res = await fetch(`${apiUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}` } });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${(await res.text()).slice(0, 200)}`);
}

async function createCampaign(apiUrl: string, name: string, contacts: number): Promise<string> {
  const res = await fetch(`${apiUrl}/api/campaigns`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name, agent_id: 'agent-latency', timezone: 'UTC', first_call_time: '00:00', last_call_time: '00:00', max_concurrent_calls: 1,
      contacts: Array.from({ length: contacts }, (_, i) => ({ phone: phoneNumber(i) })),
    }),
  });
  const body = (await res.json()) as { data?: { id: string } };
  if (res.status !== 201 || !body.data) throw new Error(`create campaign: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return body.data.id;
}

async function measureSize(size: ScaleSize, index: number): Promise<Row> {
  const row: Row = new Map();
  const db = await createMigratedDatabase(serverUrl, 'wakeplan_scale');
  const sql = createSql({ url: db.url, applicationName: 'scale-bench', idleTimeoutS: 5, max: 2 });
  const ports = { api: portBase + index * 10, worker: portBase + index * 10 + 1, provider: portBase + index * 10 + 2 };
  const provider = new FakeProvider(`http://127.0.0.1:${ports.api}/api/provider/events`, SECRETS.events);
  const procs: { stop(): Promise<void> }[] = [];
  try {
    const loadedAt = new Date();
    row.set('load (generate_series)', ms(await loadScale(sql, size, loadedAt)));
    const read = await measurePlanRead(db.url);
    row.set('plan read (readPlanSnapshot), median of 3', ms(read.wallMs));
    row.set('plan read: database execution (EXPLAIN ANALYZE), median of 3', ms(read.databaseMs));
    row.set('plan read per campaign: wall / database', `${perCampaign(read.wallMs, read.campaigns)} / ${perCampaign(read.databaseMs, read.campaigns)}`);
    const caughtUp = await measureCatchUp(db.url);
    row.set('catch-up after one change (waking from sleep), median of 7', `${ms(caughtUp.wallMs)}, ${caughtUp.campaignsRead} campaign read`);

    const dialUrl = await provider.listen(ports.provider);
    const common = { DATABASE_URL: db.url, WAKE_TOKEN: SECRETS.wake, PROVIDER_EVENTS_SECRET: SECRETS.events };
    const api = startProcess(root, 'apps/api/src/main.ts', ports.api, {
      ...common, PORT: String(ports.api), API_TOKENS: API_TOKEN, WORKER_WAKE_URL: `http://127.0.0.1:${ports.worker}/wake`,
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    procs.push(api);
    const spawnedAt = performance.now();
    const worker = startProcess(root, 'apps/worker/src/main.ts', ports.worker, {
      ...common, WORKER_PORT: String(ports.worker), DIALER: 'webhook', DIALER_WEBHOOK_URL: dialUrl,
      DIALER_WEBHOOK_SECRET: SECRETS.webhook, PROVIDER_EVENTS_URL: `http://127.0.0.1:${ports.api}/api/provider/events`,
      MAX_CONCURRENT_CALLS: '1000',
    });
    procs.push(worker);
    await waitForHealth<{ state: string; counters: Record<string, number> }>(`${worker.baseUrl}/health`,
      (h) => (h.state === 'asleep' || h.state === 'waiting') && (h.counters.planReads ?? 0) > 0, 300_000);
    row.set('worker spawn → first rest (process start + plan)', ms(performance.now() - spawnedAt));
    row.set('worker RSS at rest', `${rssMb(worker.child.pid!).toFixed(0)} MB`);
    await waitForHealth(`${api.baseUrl}/health`, () => true, 60_000);

    // What a dashboard sees: the first request after the API starts, then requests
    // that each follow a plan-changing write through the API (a loaded campaign
    // paused, then resumed: each drops any cached answer), p50 of 20.
    const firstStatus = await timedGet(`${api.baseUrl}/api/scheduler/status`);
    row.set('GET /api/scheduler/status, first request', `${ms(firstStatus.ms)}, ${kb(firstStatus.bytes)}`);
    const toggled = await sql<{ id: string }[]>`select id from campaigns where agent_id = 'agent-scale' order by id limit 10`;
    const afterWrite = async (path: string) => {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 20; i++) {
        await post(api.baseUrl, `/api/campaigns/${toggled[Math.floor(i / 2) % toggled.length]!.id}/${i % 2 === 0 ? 'pause' : 'resume'}`);
        const got = await timedGet(`${api.baseUrl}${path}`);
        times.push(got.ms);
        bytes = got.bytes;
      }
      return `${ms(median(times))} (${ms(Math.max(...times))}), ${kb(bytes)}`;
    };
    row.set('GET /api/scheduler/status after a write, p50 (max) of 20', await afterWrite('/api/scheduler/status'));
    const firstPlan = await timedGet(`${api.baseUrl}/api/scheduler/plan?days=7`);
    row.set('GET /api/scheduler/plan?days=7, first request', `${ms(firstPlan.ms)}, ${kb(firstPlan.bytes)}`);
    row.set('GET /api/scheduler/plan?days=7 after a write, p50 (max) of 20', await afterWrite('/api/scheduler/plan?days=7'));
    row.set('API RSS after the status and plan runs', `${rssMb(api.child.pid!).toFixed(0)} MB`);

    const firstDial: number[] = [];
    for (let i = 0; i < 5; i++) {
      await sleep(300);
      const start = performance.now();
      const next = provider.next((d) => d.campaignId !== null, 120_000);
      const id = await createCampaign(api.baseUrl, `first dial ${i}`, 1);
      const dial = await next;
      if (dial.campaignId !== id) throw new Error('a dial for another campaign arrived first');
      firstDial.push(dial.at - start);
    }
    row.set('campaign created in window → first dial, p50 (max) of 5', `${ms(median(firstDial))} (${ms(Math.max(...firstDial))})`);

    const nextDial: number[] = [];
    const first = provider.next((d) => d.campaignId !== null, 120_000);
    const busyId = await createCampaign(api.baseUrl, 'outcome chain', 6);
    let dial = await first;
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      const next = provider.next((d) => d.campaignId === busyId, 120_000);
      await provider.complete(dial);
      dial = await next;
      nextDial.push(dial.at - start);
    }
    row.set('outcome → next dial of that campaign, p50 (max) of 5', `${ms(median(nextDial))} (${ms(Math.max(...nextDial))})`);
    row.set('worker RSS after the runs', `${rssMb(worker.child.pid!).toFixed(0)} MB`);
    for (const p of procs.splice(0)) await p.stop();

    const busyRun = await statementsPerDialedCall(db.url, { campaigns: 20, contacts: 10, cap: 1 });
    row.set('worker statements per dialed call (20 campaigns × 10, cap 1)', `${busyRun.perCall.toFixed(1)} (${busyRun.statements} for ${busyRun.dialed})`);
    const opens = new Date(loadedAt.getTime() + 3 * 3_600_000 + 120_000);
    const claims = await claimTimes(db.url, 200, opens);
    row.set('claim of one campaign, p50 / p99 of 200', `${ms(median(claims))} / ${ms(quantile(claims, 0.99))}`);
  } finally {
    for (const p of procs) await p.stop();
    await provider.close();
    await sql.end({ timeout: 2 });
    await db.drop();
  }
  return row;
}

function growth(first: string | undefined, last: string | undefined): string {
  const num = (s: string | undefined) => {
    const m = /^([\d.]+) (ms|s|MB|kB)/.exec(s ?? '');
    if (!m) return NaN;
    const scale = { ms: 1, s: 1000, MB: 1000, kB: 1 }[m[2] as 'ms' | 's' | 'MB' | 'kB'];
    return Number(m[1]) * scale;
  };
  const g = num(last) / num(first);
  return Number.isFinite(g) ? `×${g.toFixed(1)}` : '';
}

const rows: Row[] = [];
for (const [i, size] of sizes.entries()) {
  console.log(`measuring ${sizeLabel(size)} …`);
  rows.push(await measureSize(size, i));
}
const labels = [...rows[0]!.keys()];
const width = Math.max(...labels.map((l) => l.length));
const header = ['what'.padEnd(width), ...sizes.map((s) => sizeLabel(s).padEnd(22)), sizes.length > 1 ? 'growth' : ''];
console.log(`\n${header.join(' | ')}`);
for (const label of labels) {
  const cells = rows.map((r) => (r.get(label) ?? '').padEnd(22));
  console.log([label.padEnd(width), ...cells, sizes.length > 1 ? growth(rows[0]!.get(label), rows.at(-1)!.get(label)) : ''].join(' | '));
}
