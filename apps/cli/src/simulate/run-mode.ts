// One simulated mode: the real API (app.inject), the real worker and the real
// outcome logic, on a virtual clock, against a throwaway database. User actions
// are scheduled on the clock and go through the API; the dialer's outcomes go
// through applyProviderEvent, as the provider-events route does. In the wake-plan
// mode the worker's doorbell is rung after each write (worker.wake()), as the API
// does over HTTP; the polling modes are the seed's designs, which had no
// doorbell and learn of new work at their next poll.
//
// Invariant: the clock only moves when everything started by the previous timer
// has finished (worker idle, actions and outcomes settled), so a run is
// deterministic for a given scenario and mode.
import { pino } from 'pino';
import { applyProviderEvent, createSql, type ProviderEvent } from '@wakeplan/db';
import { buildApp } from '@wakeplan/api/app';
import { loadApiConfig } from '@wakeplan/api/config';
import { FakeClock, Worker, type SchedulingMode } from '@wakeplan/worker';
import type { Scenario, ScenarioAction } from './scenario.ts';
import { ScenarioDialer, type DialRecord, type OutcomeRecord } from './scenario-dialer.ts';
import { createSimDatabase } from './sim-database.ts';
import { simulatedPhone } from './sim-outcomes.ts';
import { RecordingConnector, TouchRecorder } from './touch-recorder.ts';

export const SIM_MODES = ['wakeplan', 'window_polling', 'polling'] as const;
export type SimMode = (typeof SIM_MODES)[number];
export const POLL_INTERVAL_MS = 10_000;
const DB_IDLE_TIMEOUT_MS = 30_000;
const RESULT_TIMEOUT_MINUTES = 30;
const ACCOUNT_CAP = 10;
export const DIRECT_CALL_CAMPAIGN_INDEX = 79;

export interface CreatedCampaign { id: string; index: number; at: number; fields: Record<string, unknown>; phones: string[] }
export interface DirectCallRecord { at: number; dueAt: number; phone: string }

export interface ModeRun {
  mode: SimMode;
  statements: { worker: number; api: number; outcomes: number };
  connectionsOpened: number;
  touches: number[];
  workerStatementTimes: number[];
  dials: DialRecord[];
  outcomes: OutcomeRecord[];
  campaigns: CreatedCampaign[];
  directCalls: DirectCallRecord[];
  accountCap: number;
}

export interface RunModeOptions {
  serverUrl: string;
  scenario: Scenario;
  mode: SimMode;
  endMs: number;
  onProgress?: (fraction: number) => void;
}

function schedulingMode(mode: SimMode): SchedulingMode {
  return mode === 'wakeplan' ? { kind: 'wakeplan' } : { kind: mode, intervalMs: POLL_INTERVAL_MS };
}

export async function runMode(o: RunModeOptions): Promise<ModeRun> {
  const db = await createSimDatabase(o.serverUrl, o.mode);
  const clock = new FakeClock(o.scenario.start);
  const recorder = new TouchRecorder(() => clock.now().getTime(), DB_IDLE_TIMEOUT_MS);
  // Notifications the API and the outcome logic send, held until everything has
  // settled and then delivered to the worker's listener (see RecordingConnector).
  const sentNotifications: [string, string][] = [];
  const observe = (source: 'api' | 'outcomes') => (_id: number, query: string, parameters: unknown[]) => {
    recorder.statement(source, 'api', true);
    if (/pg_notify/.test(query)) sentNotifications.push([String(parameters[0]), String(parameters[1])]);
  };
  const apiSql = createSql({ url: db.url, applicationName: 'wakeplan-simulate-api', idleTimeoutS: 3600, max: 4, debug: observe('api') });
  const outcomeSql = createSql({ url: db.url, applicationName: 'wakeplan-simulate-outcomes', idleTimeoutS: 3600, max: 2, debug: observe('outcomes') });
  const logger = pino({ level: 'silent' });
  const config = { ...loadApiConfig({ NODE_ENV: 'test', API_TOKENS: 'simulate', RATE_LIMIT_PER_MINUTE: '10000000', BODY_LIMIT_BYTES: String(512 * 1024 * 1024) }), workerWakeUrl: undefined, workerBaseUrl: undefined };
  const app = await buildApp({ sql: apiSql, config, logger, clock });
  // User actions and provider outcomes are queued by the clock's timers and run one
  // at a time by settle(), each followed by the worker's reaction: the order of
  // events never depends on how fast the database answered.
  const queue: (() => Promise<void>)[] = [];
  const run: ModeRun = { mode: o.mode, statements: recorder.statements, connectionsOpened: 0, touches: recorder.touches, workerStatementTimes: recorder.workerStatementTimes,
    dials: [], outcomes: [], campaigns: [], directCalls: [], accountCap: ACCOUNT_CAP };

  let worker: Worker;
  // The seed's designs had no doorbell: polling learns of everything at its next
  // poll; window polling (asleep outside windows) recomputed its wake when a user
  // wrote, which is what the doorbell does, but learnt of outcomes by polling.
  const ringDoorbell = (after: 'action' | 'outcome') => {
    if (o.mode === 'wakeplan' || (o.mode === 'window_polling' && after === 'action')) worker.wake();
  };
  const sink = async (event: ProviderEvent) => {
    queue.push(async () => {
      recorder.touch(clock.now().getTime());
      await applyProviderEvent(outcomeSql, event, clock.now(), { resultTimeoutMinutes: RESULT_TIMEOUT_MINUTES });
      ringDoorbell('outcome');
    });
  };
  const dialer = new ScenarioDialer(clock, o.scenario, sink);
  const connector = new RecordingConnector(db.url, recorder);
  worker = new Worker({
    clock, connector, dialer, logger, mode: schedulingMode(o.mode),
    settings: { workerId: `simulate-${o.mode}`, accountCap: ACCOUNT_CAP, resultTimeoutMinutes: RESULT_TIMEOUT_MINUTES,
      callbackUrl: 'http://127.0.0.1/simulated', shutdownGraceS: 1 },
  });

  let campaignIndex = 0;
  for (const action of o.scenario.actions) {
    const index = action.kind === 'create_campaign' ? campaignIndex++ : -1;
    clock.setTimer(action.at, () => queue.push(() => perform(action, index)));
  }

  async function perform(action: ScenarioAction, index: number): Promise<void> {
    recorder.touch(clock.now().getTime());
    if (action.kind === 'create_campaign') {
      const phones = Array.from({ length: action.campaign.contacts }, (_, j) => simulatedPhone(index, j));
      const fields = { agent_id: 'sim-agent', ...action.campaign.fields, contacts: phones.map((phone) => ({ phone })) };
      const res = await app.inject({ method: 'POST', url: '/api/campaigns', payload: fields, headers: { authorization: 'Bearer simulate' } });
      if (res.statusCode !== 201) throw new Error(`creating campaign ${index} failed: HTTP ${res.statusCode} ${res.body}`);
      const data = (res.json() as { data: Record<string, unknown> }).data;
      run.campaigns.push({ id: String(data.id), index, at: clock.now().getTime(), fields: data, phones });
    } else {
      const phone = simulatedPhone(DIRECT_CALL_CAMPAIGN_INDEX, run.directCalls.length);
      const payload = { phone, agent_id: action.agentId, ...(action.notBefore ? { not_before: action.notBefore.toISOString() } : {}) };
      run.directCalls.push({ at: clock.now().getTime(), dueAt: Math.max(clock.now().getTime(), action.notBefore?.getTime() ?? 0), phone });
      const res = await app.inject({ method: 'POST', url: '/api/calls', payload, headers: { authorization: 'Bearer simulate' } });
      if (res.statusCode !== 202) throw new Error(`direct call failed: HTTP ${res.statusCode} ${res.body}`);
    }
    ringDoorbell('action');
  }

  async function settle(): Promise<void> {
    for (let i = 0; i < 100_000; i++) {
      await new Promise((r) => setImmediate(r));
      await worker.idle();
      if (sentNotifications.length > 0) {
        for (const [channel, payload] of sentNotifications.splice(0)) connector.deliver(channel, payload);
        continue;
      }
      const next = queue.shift();
      if (!next) return;
      await next();
    }
    throw new Error('the simulation did not settle (a loop between the worker and its hints?)');
  }

  try {
    worker.start();
    const total = o.endMs - o.scenario.start.getTime();
    const dayMs = 86_400_000;
    for (let t = o.scenario.start.getTime() + dayMs; ; t += dayMs) {
      await clock.stepTo(new Date(Math.min(t, o.endMs)), settle);
      o.onProgress?.((Math.min(t, o.endMs) - o.scenario.start.getTime()) / total);
      if (t >= o.endMs) break;
    }
  } finally {
    await worker.stop().catch(() => {});
    await dialer.close();
    await app.close();
    await Promise.all([apiSql.end({ timeout: 2 }), outcomeSql.end({ timeout: 2 })]);
    await db.drop();
  }
  run.connectionsOpened = recorder.connectionsOpened;
  run.dials = dialer.dials;
  run.outcomes = dialer.outcomes;
  return run;
}
