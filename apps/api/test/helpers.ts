// Test harness for the API against a real Postgres: the app built by buildApp
// on this file's fresh database (useTestApi registers the hooks), a fixed clock,
// and a stand-in for the worker's tiny HTTP server (POST /wake records doorbell
// rings; GET /health answers what the test says). No mocked database anywhere.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createSql, type Sql } from '@wakeplan/db';
import { T0, useTestDatabase, type TestDatabase } from '@wakeplan/db/testing';
import { createLogger } from '@wakeplan/runtime';
import { RequestLedger } from '../src/activity/request-ledger.ts';
import { buildApp } from '../src/app.ts';
import { loadApiConfig } from '../src/config.ts';
import { createWebhookKicker, type WebhookKicker } from '../src/webhooks/webhook-sender.ts';

export { phoneNumber, T0 } from '@wakeplan/db/testing';

export const TOKEN = 'test-token-1';
export const AUTH = { authorization: `Bearer ${TOKEN}` };
export const WAKE_TOKEN = 'test-wake-token';

interface Ring { authorization: string | undefined; requestId: string | undefined; body: string }

interface FakeWorker {
  url: string;
  rings: Ring[];
  /** What GET /health answers: a JSON body, an HTTP status, or 'hang' (never answers). */
  health: { body: unknown } | { status: number } | 'hang';
  /** What POST /wake answers: a status, or 'hang'. */
  wake: number | 'hang';
  /** Requests held open by 'hang', not yet answered. */
  hanging(): number;
  /** Drops the requests held open (their senders see a network error). */
  releaseHanging(): void;
  close(): Promise<void>;
}

async function startFakeWorker(): Promise<FakeWorker> {
  const hanging: ServerResponse[] = [];
  const worker: FakeWorker = {
    url: '', rings: [], health: { status: 503 }, wake: 202, close: async () => {},
    hanging: () => hanging.filter((r) => !r.destroyed).length,
    releaseHanging: () => hanging.splice(0).forEach((r) => r.destroy()),
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/wake') {
        worker.rings.push({ authorization: req.headers.authorization, requestId: req.headers['x-request-id'] as string | undefined, body });
        if (worker.wake === 'hang') return void hanging.push(res);
        res.writeHead(worker.wake).end();
      } else if (req.method === 'GET' && req.url === '/health') {
        const h = worker.health;
        if (h === 'hang') return void hanging.push(res);
        if ('status' in h) return void res.writeHead(h.status).end();
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(h.body));
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  worker.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  worker.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return worker;
}

export interface TestApi {
  app: FastifyInstance;
  sql: Sql;
  worker: FakeWorker;
  clock: { now(): Date; set(d: Date): void };
  /** The API's after-commit webhook sender: `settled()` waits for what a write started in the background. */
  webhooks: WebhookKicker;
  logLines: string[];
  ledger: RequestLedger;
  /** Statements the API's pool has sent so far (its debug hook). */
  statements(): number;
  close(): Promise<void>;
}

export async function startApi(db: TestDatabase, env: Record<string, string> = {}): Promise<TestApi> {
  const worker = await startFakeWorker();
  const config = loadApiConfig({
    NODE_ENV: 'test', API_TOKENS: `${TOKEN},test-token-2`, WAKE_TOKEN, WORKER_WAKE_URL: `${worker.url}/wake`,
    RATE_LIMIT_PER_MINUTE: '100000', DB_IDLE_TIMEOUT_S: '5', ...env,
  });
  let now = T0;
  const clock = { now: () => now, set: (d: Date) => void (now = d) };
  const ledger = new RequestLedger(clock.now);
  let statements = 0;
  const sql = createSql({
    url: db.url, idleTimeoutS: config.dbIdleTimeoutS, applicationName: 'wakeplan-api',
    debug: () => { statements++; ledger.statement(); },
  });
  const logLines: string[] = [];
  const logger = createLogger('wakeplan-api', 'info', { write: (line: string) => void logLines.push(line) });
  const webhooks = createWebhookKicker({ sql, logger, now: clock.now });
  const app = await buildApp({ sql, config, logger, clock, ledger, webhooks });
  await app.ready();
  return {
    app, sql, worker, clock, webhooks, logLines, ledger, statements: () => statements,
    async close() {
      await app.close();
      await sql.end({ timeout: 2 });
      await worker.close();
    },
  };
}

/**
 * Registers a test file's hooks: its fresh database, the API on it (started
 * before all tests, closed after all), and, when `truncate` names tables, those
 * emptied before each test. `api` is filled in by the beforeAll hook: use it
 * inside tests and hooks.
 */
export function useTestApi(options: { env?: Record<string, string>; truncate?: string[] } = {}):
  { db: { readonly current: TestDatabase }; api: TestApi } {
  const db = useTestDatabase();
  const api = {} as TestApi;
  beforeAll(async () => {
    Object.assign(api, await startApi(db.current, options.env));
  });
  afterAll(() => api.close());
  const tables = options.truncate;
  if (tables) {
    beforeEach(async () => {
      await api.webhooks.settled(); // a previous test's background delivery must not race the truncate
      await db.current.sql`truncate ${db.current.sql(tables)} cascade`;
    });
  }
  return { db, api };
}

const WINDOW = { timezone: 'America/New_York', first_call_time: '09:00', last_call_time: '17:00' };

export function campaignBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'Spring outreach', agent_id: 'agent-1', ...WINDOW, ...extra };
}

export async function rowCounts(sql: Sql): Promise<{ campaigns: number; calls: number }> {
  const [row] = await sql<{ campaigns: number; calls: number }[]>`
    select (select count(*)::int from campaigns) as campaigns, (select count(*)::int from calls) as calls`;
  return row!;
}

export function json(res: { body: string }): any {
  return JSON.parse(res.body);
}

export type Part = [name: string, value: string] | [name: string, value: string | Buffer, filename: string];

/** A multipart/form-data body built by hand, so a test controls part order and can cut it short. */
export function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----wakeplan-test-boundary';
  const chunks: Buffer[] = [];
  for (const [name, value, filename] of parts) {
    const disposition = `form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}`;
    const type = filename ? 'Content-Type: text/csv\r\n' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { ...AUTH, 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
