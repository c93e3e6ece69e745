// API benchmark (a script, not a test): `npx tsx apps/api/bench/api.bench.ts`.
//
// 1. Imports a generated 100,000-row CSV through POST /api/campaigns/import over
//    real HTTP and reports the seconds and the peak RSS of this process.
// 2. Runs autocannon for 10 s each (127.0.0.1 only, 10 connections) on
//    POST /api/campaigns and GET /api/scheduler/status: requests/s and p99.
//    autocannon runs as its own process, so it does not share the server's
//    event loop (the status is cached for a few seconds: that is what it measures).
//
// It runs against a throwaway database created on the server chosen by the
// shared rule (DATABASE_URL's server, else the embedded one) and dropped at the
// end, with a local stand-in for the worker's doorbell; it leaves nothing behind.
import { availableParallelism, loadavg } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { createMigratedDatabase, createSql, resolveDatabase } from '@wakeplan/db';
import { createLogger } from '@wakeplan/runtime';
import { buildApp } from '../src/app.ts';
import { loadApiConfig } from '../src/config.ts';

const ROWS = 100_000;
const TOKEN = 'bench-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };

const server = await resolveDatabase(process.env, (line) => console.log(line));
const adminUrl = server.url;
const db = await createMigratedDatabase(adminUrl, 'wakeplan_bench');
const doorbell = createServer((req, res) => req.resume().on('end', () => res.writeHead(req.url === '/wake' ? 202 : 503).end()));
await new Promise<void>((resolve) => doorbell.listen(0, '127.0.0.1', resolve));
const workerUrl = `http://127.0.0.1:${(doorbell.address() as AddressInfo).port}`;

const config = loadApiConfig({
  NODE_ENV: 'test', API_TOKENS: TOKEN, WORKER_WAKE_URL: `${workerUrl}/wake`, RATE_LIMIT_PER_MINUTE: '10000000', LOG_LEVEL: 'warn',
});
const sql = createSql({ url: db.url, idleTimeoutS: config.dbIdleTimeoutS, applicationName: 'wakeplan-api-bench' });
try {
  const app = await buildApp({ sql, config, logger: createLogger('wakeplan-api', 'warn') });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  console.log(`host: ${availableParallelism()} CPUs, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}; Postgres at ${new URL(adminUrl).host}`);
  try {
    await benchImport(base);
    await benchLoad(`${base}/api/campaigns`, 'POST', JSON.stringify({
      name: 'bench', agent_id: 'agent', timezone: 'America/New_York', first_call_time: '09:00', last_call_time: '17:00',
    }));
    await benchLoad(`${base}/api/scheduler/status`, 'GET');
  } finally {
    await app.close();
  }
} finally {
  await sql.end({ timeout: 5 });
  await db.drop();
  doorbell.close();
  await server.release();
}

async function benchImport(base: string): Promise<void> {
  const csv = generateCsv(ROWS);
  const form = new FormData();
  for (const [k, v] of Object.entries({ name: 'bench import', agent_id: 'agent', timezone: 'America/New_York', first_call_time: '09:00', last_call_time: '17:00' })) {
    form.append(k, v);
  }
  form.append('contacts', new Blob([csv], { type: 'text/csv' }), 'contacts.csv');
  const rssBefore = process.memoryUsage.rss();
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const started = performance.now();
  const res = await fetch(`${base}/api/campaigns/import`, { method: 'POST', headers: AUTH, body: form });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const body = await res.json() as { data?: { import?: { imported: number } } };
  if (res.status !== 201 || body.data?.import?.imported !== ROWS) throw new Error(`import failed: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
  console.log(`import ${ROWS} rows (${mb(csv.length)} CSV, multipart over HTTP): ${seconds.toFixed(2)} s; ` +
    `RSS before ${mb(rssBefore)}, peak during ${mb(peak)} (process max RSS ${mb(process.resourceUsage().maxRSS * 1024)})`);
}

interface LoadResult { requests: { average: number }; latency: { p99: number }; '2xx': number; non2xx: number; errors: number }

async function benchLoad(url: string, method: 'GET' | 'POST', body?: string): Promise<void> {
  const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const args = [cli, '-j', '-c', '10', '-d', '10', '-m', method, '-H', `authorization=${AUTH.authorization}`];
  if (body) args.push('-H', 'content-type=application/json', '-b', body);
  const { stdout } = await promisify(execFile)(process.execPath, [...args, url], { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 });
  const result = JSON.parse(stdout) as LoadResult;
  console.log(`${method} ${new URL(url).pathname}: ${result.requests.average.toFixed(0)} req/s, p99 ${result.latency.p99} ms, ` +
    `${result['2xx']} ok, ${result.non2xx} non-2xx, ${result.errors} errors (10 s, 10 connections)`);
}

function generateCsv(rows: number): string {
  const lines = ['phone,name,plan,account'];
  for (let i = 0; i < rows; i++) lines.push(`+1212${2_000_000 + i},Contact ${i},${i % 3 === 0 ? 'gold' : 'silver'},ACC-${i}`);
  return `${lines.join('\n')}\n`;
}
