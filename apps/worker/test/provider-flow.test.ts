// The real worker dialing through a provider adapter, end to end on a real
// database: a campaign contact is claimed and created at a local Bolna (the
// documented POST /call), confirmed with the execution id; the provider's
// callback, which names only that execution, reaches the API and completes
// exactly that attempt — the path every provider without our metadata relies on.
import { afterEach, expect, it } from 'vitest';
import { createSql, type Sql } from '@wakeplan/db';
import { insertCampaign, insertContacts, useTestDatabase, waitFor } from '@wakeplan/db/testing';
import { createProviderDialer, type ProviderDialer } from '@wakeplan/providers';
import { startFakeProvider, type FakeProvider } from '@wakeplan/providers/testing';
import { createLogger } from '@wakeplan/runtime';
import { buildApp } from '@wakeplan/api/app';
import { loadApiConfig } from '@wakeplan/api/config';
import { startHarness, type Harness } from './helpers/harness.ts';

const db = useTestDatabase();
const OPEN = new Date('2026-03-02T15:00:00Z'); // Monday 10:00 New York: 09:00-17:00 is open
const TOKEN = 'bolna-webhook-token-0123';
let h: Harness<ProviderDialer> | null = null;
let fake: FakeProvider | null = null;
let apiSql: Sql | null = null;

afterEach(async () => {
  await h?.stop();
  await fake?.close();
  await apiSql?.end({ timeout: 2 });
});

it('dials through the Bolna adapter, and the execution callback completes that attempt', async () => {
  fake = await startFakeProvider('bolna');
  const apiBaseUrl = fake.url;
  h = startHarness<ProviderDialer>(db.current, {
    start: OPEN,
    dialer: (clock) => createProviderDialer({ provider: 'bolna', apiKey: 'k', fromNumber: undefined, apiBaseUrl }, { clock, timeoutMs: 2000 }),
  });
  const campaignId = await insertCampaign(db.current.sql, { max_concurrent_calls: 1 });
  const [callId] = await insertContacts(db.current.sql, campaignId, 1);
  h.worker.start();
  const attemptOf = async () => (await db.current.sql<{ status: string; provider_call_id: string | null }[]>`
    select status, provider_call_id from call_attempts where call_id = ${callId!} and attempt = 1`)[0];
  await waitFor(async () => (await attemptOf())?.status === 'in_progress', 'the dial to be confirmed');
  expect(fake.creates()).toHaveLength(1);
  expect(JSON.parse(fake.creates()[0]!.body).user_data).toMatchObject({ wakeplan_call_id: callId, wakeplan_attempt: '1' });
  expect(await attemptOf()).toEqual({ status: 'in_progress', provider_call_id: 'exec-1' });

  const config = loadApiConfig({ NODE_ENV: 'test', API_TOKENS: 't', BOLNA_WEBHOOK_TOKEN: TOKEN, WORKER_WAKE_URL: 'http://127.0.0.1:9/wake' });
  apiSql = createSql({ url: db.current.url, idleTimeoutS: 5, applicationName: 'wakeplan-api' });
  const app = await buildApp({ sql: apiSql, config, logger: createLogger('wakeplan-api', 'silent'), clock: { now: () => OPEN } });
  const res = await app.inject({
    method: 'POST', url: `/api/provider/bolna/${TOKEN}`, headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ id: 'exec-1', status: 'completed', conversation_duration: 52, telephony_data: { hangup_reason: 'Call recipient hungup' } }),
  });
  await app.close();
  expect(res.statusCode).toBe(200);
  const [call] = await db.current.sql`select status, last_outcome from calls where id = ${callId!}`;
  expect(call).toEqual({ status: 'completed', last_outcome: 'completed' });
  expect(await db.current.sql`select duration_seconds, ended_reason from call_attempts where call_id = ${callId!}`).toEqual([
    { duration_seconds: 52, ended_reason: 'Call recipient hungup' },
  ]);
});
