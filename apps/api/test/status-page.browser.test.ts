// The status page in a real browser (Debian's chromium driven by playwright-core)
// against the real API on a real database: a campaign created through the API
// shows up on the timeline and in the progress list after the token is entered;
// a wrong token is asked for again; the campaign detail view lists its contacts,
// filters them and exports them as CSV (a real download); when interaction goes
// stale the page stops polling (the detail view too) and says so, and it resumes
// on interaction; the last 7 days' band of when the database was awake (from the
// activity ledger) and its headline are drawn, checked on screenshots. Saves
// screenshots to test-artifacts/status-page.png and status-page-detail.png.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLedgerEntries } from '@wakeplan/db';
import { useTestDatabase } from '@wakeplan/db/testing';
import { createLogger } from '@wakeplan/runtime';
import { buildApp } from '../src/app.ts';
import { loadApiConfig } from '../src/config.ts';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'browser-test-token';
const IDLE_AFTER_MS = 5000;
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const CAMPAIGN = 'Spring renewals — East';

const db = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let browser: Browser;
let page: Page;
let baseUrl: string;
let eastId: string;
const apiRequests: string[] = [];
const browserProblems: string[] = [];

// CI must run this test (.ci/run installs chromium); a developer's `npm test` on a
// machine without chromium skips it, saying so, rather than failing.
const MISSING = `${CHROMIUM} is missing. The status-page browser test drives Debian's chromium: `
  + 'install it with `apt-get update && apt-get install -y chromium` (.ci/run does this when it can).';
const skipBrowser = !existsSync(CHROMIUM) && process.env.CI !== 'true';
if (skipBrowser) console.warn(`SKIPPED: ${MISSING}`);

beforeAll(async () => {
  if (skipBrowser) return;
  if (!existsSync(CHROMIUM)) throw new Error(MISSING);
  // No doorbell and no worker to probe: the page must work with the worker's state unknown.
  const config = { ...loadApiConfig({ NODE_ENV: 'test', API_TOKENS: TOKEN }), workerWakeUrl: undefined, workerBaseUrl: undefined };
  app = await buildApp({ sql: db.current.sql, config, logger: createLogger('wakeplan-api', 'silent') });
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  // Two campaigns created through the API, in two zones.
  const east = eastId = await createCampaign({
    name: CAMPAIGN, agent_id: 'agent-7', timezone: 'America/New_York',
    first_call_time: '09:00', last_call_time: '17:00', days_of_week: [1, 2, 3, 4, 5],
    contacts: ['+12125550101', '+12125550102', '+12125550103', '+12125550104', '+12125550105', '+12125550106'].map((phone) => ({ phone })),
  });
  await createCampaign({
    name: 'Weekend follow-ups', agent_id: 'agent-9', timezone: 'Europe/London',
    first_call_time: '10:00', last_call_time: '14:00', days_of_week: [6, 7],
    contacts: [{ phone: '+442079460001' }, { phone: '+442079460002' }],
  });
  // Progress and a published worker state as the worker would have left them
  // (the worker is not part of this test): three calls done, the worker asleep.
  const sql = db.current.sql;
  const now = new Date();
  await sql`update calls set status = 'completed', attempt = 1, updated_at = ${now}
    where campaign_id = ${east} and phone in ('+12125550101', '+12125550102')`;
  await sql`update calls set status = 'failed', attempt = 3, updated_at = ${now} where campaign_id = ${east} and phone = '+12125550103'`;
  await sql`insert into worker_state (worker_id, state, calls_in_flight, counters, updated_at)
    values ('browser-test', 'asleep', 0, ${sql.json({ wakes: 4, callsDialed: 9 })}, ${new Date(now.getTime() - 120_000)})`;
  // The worker's wakes of the last 7 days, as it writes them to the activity ledger: 20 minutes each, twice a day,
  // the first one straddling the start of the 7 days (so the whole week was observed).
  const hourMs = 3_600_000;
  const wakes = Array.from({ length: 14 }, (_, i) => now.getTime() - 7 * 24 * hourMs - 10 * 60_000 + i * 12 * hourMs);
  await writeLedgerEntries(sql, wakes.map((t, i) => ({
    id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, process: 'worker' as const, startedAt: new Date(t),
    endedAt: new Date(t + 20 * 60_000), reason: 'timer (window opens)', statements: 40, details: { dialed: 3, outcomes: 3 },
  })), now);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1180, height: 1100 }, timezoneId: 'America/New_York' });
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/api/')) apiRequests.push(path);
  });
  page.on('console', (m) => { if (m.type() === 'error') browserProblems.push(m.text()); });
  page.on('pageerror', (e) => browserProblems.push(e.message));
}, 60_000);

async function createCampaign(body: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${baseUrl}/api/campaigns`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  expect(response.status, text).toBe(201);
  return (JSON.parse(text) as { data: { id: string } }).data.id;
}

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function waitForApiRequest(path: string): Promise<void> {
  await page.waitForRequest((r) => new URL(r.url()).pathname === path, { timeout: 10_000 });
}

describe.skipIf(skipBrowser)('the status page', () => {
  it('asks for the token, and again when the API refuses it', async () => {
    await page.goto(`${baseUrl}/?idleAfterMs=${IDLE_AFTER_MS}`);
    await page.getByLabel('API token', { exact: true }).fill('not-the-token');
    await page.getByRole('button', { name: 'Show status' }).click();
    await expect.poll(() => page.locator('#token-error').textContent(), { timeout: 10_000 }).toContain('did not accept');
    expect(await page.locator('#token-panel').isVisible()).toBe(true);
  });

  it('shows the worker, the timeline with the campaign, and its progress', async () => {
    browserProblems.length = 0; // the refused token's 401 is logged by the browser on purpose
    await page.getByLabel('API token', { exact: true }).fill(TOKEN);
    await page.getByRole('button', { name: 'Show status' }).click();
    const timeline = page.locator('#timeline svg.timeline');
    await timeline.waitFor({ state: 'visible', timeout: 10_000 });
    await expect.poll(() => timeline.locator('.row-label').allTextContents(), { timeout: 10_000 }).toContain(CAMPAIGN);
    expect(await timeline.locator('rect.open-window').count()).toBeGreaterThan(0);
    expect(await timeline.locator('.wake').count()).toBeGreaterThan(0);
    expect(await timeline.locator('line.now-line').count()).toBe(1);
    expect(await timeline.getAttribute('aria-labelledby')).toBe('timeline-title timeline-desc');
    const card = page.locator('.campaign-card', { hasText: CAMPAIGN });
    await expect.poll(() => card.locator('.campaign-counts').textContent(), { timeout: 10_000 }).toBe('50% done — 3 queued · 0 dialing · 2 completed · 1 failed');
    expect(await card.locator('.progress-bar rect.seg').count()).toBe(3);
    expect(await page.locator('#worker-headline').textContent())
      .toMatch(/^Asleep — database will wake (now|in [^(]+) \((Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d:\d\d (America\/New_York|Europe\/London)\)$/);
    expect(await page.locator('#worker-detail').textContent()).toBe('The worker did not answer; this is the state it last published, 2 min ago.');
    expect(await page.locator('#paused-notice').isVisible()).toBe(false);
    expect(await page.evaluate(() => sessionStorage.getItem('wakeplan.apiToken'))).toBe(TOKEN);

    // The last 7 days: a band of awake periods and the headline against polling.
    const headline = page.locator('#awake-headline');
    await expect.poll(() => headline.textContent(), { timeout: 10_000 })
      .toMatch(/^The database slept \d+% of the last 7 days — [\d.]+ of 168 hours; polling would have kept it awake all 168\.$/);
    const band = page.locator('#awake-band svg.awake-band');
    expect(await band.locator('rect.awake').count()).toBe(14);
    expect(await page.locator('#awake-note').textContent()).toContain('other clients of the same database');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'status-page.png'), fullPage: true });
    // On screen, not only in the markup: element screenshots fail if the band or the headline is missing or
    // hidden, and the band's pixels change when its awake marks are hidden (they are drawn, and visible).
    const headlineShot = await headline.screenshot({ timeout: 5000 });
    expect((await headline.boundingBox())!.height).toBeGreaterThan(10);
    expect(headlineShot.length).toBeGreaterThan(500);
    const withMarks = await band.screenshot({ path: join(ARTIFACTS, 'status-page-awake-band.png'), timeout: 5000 });
    await page.evaluate(() => document.querySelectorAll('#awake-band rect.awake').forEach((r) => r.setAttribute('visibility', 'hidden')));
    const withoutMarks = await band.screenshot({ timeout: 5000 });
    await page.evaluate(() => document.querySelectorAll('#awake-band rect.awake').forEach((r) => r.removeAttribute('visibility')));
    expect(withMarks.equals(withoutMarks)).toBe(false);
    expect(browserProblems).toEqual([]); // no CSP violation, no script error
  });

  it('opens a campaign\'s contacts, filters them, and exports them as CSV', async () => {
    browserProblems.length = 0;
    const card = page.locator('.campaign-card', { hasText: CAMPAIGN });
    await card.getByRole('button', { name: 'View contacts' }).click();
    const detail = page.locator('#campaign-detail');
    await detail.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('#detail-heading').textContent()).toBe(`Contacts — ${CAMPAIGN}`);
    const rows = page.locator('#contact-rows tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(6);
    expect(await rows.first().locator('td').first().textContent()).toBe('+12125550101');
    const queuedRow = page.locator('#contact-rows tr', { hasText: '+12125550104' });
    expect(await queuedRow.locator('td').nth(5).textContent()).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)( \d+ \w+)? 09:00 America\/New_York$/);

    await detail.getByLabel('completed').check();
    await detail.getByLabel('failed').check();
    const filtered = waitForApiRequest(`/api/campaigns/${eastId}/calls`);
    await detail.getByRole('button', { name: 'Apply filters' }).click();
    await filtered;
    await expect.poll(() => rows.allTextContents(), { timeout: 10_000 }).toHaveLength(3);
    expect((await rows.locator('td:first-child').allTextContents()).sort()).toEqual(['+12125550101', '+12125550102', '+12125550103']);
    await page.screenshot({ path: join(ARTIFACTS, 'status-page-detail.png'), fullPage: true });

    const download = page.waitForEvent('download', { timeout: 10_000 });
    await detail.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('campaign-spring-renewals-east-calls.csv');
    const csv = readFileSync((await file.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF"id","phone","name"')).toBe(true);
    expect(csv.trim().split('\r\n')).toHaveLength(4); // the header and the three filtered contacts
    expect(browserProblems).toEqual([]);
  });

  it('stops polling when interaction goes stale, says so, and resumes on interaction', async () => {
    const notice = page.locator('#paused-notice');
    await notice.waitFor({ state: 'visible', timeout: IDLE_AFTER_MS + 10_000 });
    expect(await notice.textContent()).toContain('Paused so the database can sleep — move the mouse or press a key to resume');
    const whilePaused = apiRequests.length;
    await page.waitForTimeout(1500);
    expect(apiRequests.length).toBe(whilePaused);

    const resumed = waitForApiRequest('/api/scheduler/status');
    await page.mouse.move(200, 300);
    await page.mouse.move(260, 320);
    await resumed;
    await notice.waitFor({ state: 'hidden', timeout: 5000 });
    expect(browserProblems).toEqual([]);
  });
});
