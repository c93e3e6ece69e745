// Results export benchmark (a script, not a test): `npm run bench -- export`.
//
// Fills a campaign with N contacts (10,000, then 100,000 by default; EXPORT_ROWS
// overrides the larger one) with a spread of states, then downloads
// GET /api/campaigns/:id/calls.csv over real HTTP, reading and discarding the
// body as it arrives, while RSS is sampled every 20 ms. Memory that stays flat
// from 10,000 to 100,000 rows is the claim under test: the export is streamed
// from a database cursor, one batch at a time. It also walks the JSON pages
// (limit 1,000) and reports the slowest page.
//
// A throwaway database on the server chosen by the shared rule (DATABASE_URL's
// server, else the embedded one), dropped at the end; it leaves nothing behind.
import type { AddressInfo } from 'node:net';
import { createMigratedDatabase, createSql, resolveDatabase, type Sql } from '@wakeplan/db';
import { insertCampaign, insertContacts } from '@wakeplan/db/testing';
import { createLogger } from '@wakeplan/runtime';
import { buildApp } from '../src/app.ts';
import { loadApiConfig } from '../src/config.ts';

const TOKEN = 'bench-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const SIZES = [10_000, Number(process.env.EXPORT_ROWS ?? 100_000)];
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

const server = await resolveDatabase(process.env, (line) => console.log(line));
const db = await createMigratedDatabase(server.url, 'wakeplan_bench_export');
const config = loadApiConfig({ NODE_ENV: 'test', API_TOKENS: TOKEN, RATE_LIMIT_PER_MINUTE: '10000000', LOG_LEVEL: 'warn' });
const sql = createSql({ url: db.url, idleTimeoutS: config.dbIdleTimeoutS, applicationName: 'wakeplan-api-bench' });
try {
  const app = await buildApp({ sql, config, logger: createLogger('wakeplan-api', 'warn') });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  try {
    for (const rows of SIZES) {
      const campaignId = await fillCampaign(sql, rows);
      await benchExport(base, campaignId, rows);
      await benchPages(base, campaignId, rows);
    }
  } finally {
    await app.close();
  }
} finally {
  await sql.end({ timeout: 5 });
  await db.drop();
  await server.release();
}

async function fillCampaign(sql: Sql, rows: number): Promise<string> {
  const campaignId = await insertCampaign(sql, { name: `export bench ${rows}` });
  for (let done = 0; done < rows; done += 10_000) await insertContacts(sql, campaignId, Math.min(10_000, rows - done));
  await sql`update calls set status = 'completed', attempt = 1, last_outcome = 'completed', provider_call_id = 'p-' || id
            where campaign_id = ${campaignId} and random() < 0.4`;
  await sql`update calls set attempt = 1, last_outcome = 'no_answer', next_attempt_at = created_at + interval '2 hours'
            where campaign_id = ${campaignId} and status = 'queued' and random() < 0.3`;
  await sql`vacuum analyze calls`;
  return campaignId;
}

async function benchExport(base: string, campaignId: string, rows: number): Promise<void> {
  global.gc?.();
  const rssBefore = process.memoryUsage.rss();
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const started = performance.now();
  const res = await fetch(`${base}/api/campaigns/${campaignId}/calls.csv`, { headers: AUTH });
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const b of chunk) if (b === 10) lines++;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  if (res.status !== 200 || lines !== rows + 1) throw new Error(`export failed: HTTP ${res.status}, ${lines} lines for ${rows} rows`);
  console.log(`export ${rows} rows (${mb(bytes)} CSV over HTTP): ${seconds.toFixed(2)} s, ${(rows / seconds).toFixed(0)} rows/s; `
    + `RSS before ${mb(rssBefore)}, peak during ${mb(peak)} (+${mb(peak - rssBefore)})`);
}

async function benchPages(base: string, campaignId: string, rows: number): Promise<void> {
  let cursor: string | null = null;
  let pages = 0;
  let slowest = 0;
  const started = performance.now();
  do {
    const t = performance.now();
    const res = await fetch(`${base}/api/campaigns/${campaignId}/calls?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, { headers: AUTH });
    const body = await res.json() as { data: { next_cursor: string | null } };
    slowest = Math.max(slowest, performance.now() - t);
    cursor = body.data.next_cursor;
    pages++;
  } while (cursor);
  console.log(`JSON pages of 1,000 over ${rows} rows: ${pages} pages in ${((performance.now() - started) / 1000).toFixed(2)} s, slowest page ${slowest.toFixed(0)} ms`);
}
