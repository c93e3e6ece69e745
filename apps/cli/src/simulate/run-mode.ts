// One simulated mode: the real API (app.inject), the real worker and the real
// outcome logic, on a virtual clock, against a throwaway database. User actions
// are scheduled on the clock and go through the API; the dialer's outcomes go
// through applyProviderEvent, as the provider-events route does. In the wake-plan
// mode the worker's doorbell is rung after each write (worker.wake()), as the API
// does over HTTP; the polling modes are the seed's designs, which had no
// doorbell and learn of new work at their next poll.
//
// Invariant: the clock only moves when everything started by the previous timer
// has finished (worker idle, actions and outcomes settled, notifications
// delivered), so a run is deterministic for a given scenario and mode.
import {
  applyProviderEvent, campaignWindow, createMigratedDatabase, createSql, type CampaignWindowColumns, type Sql, type ThrowawayDatabase,
} from '@wakeplan/db';
import { isProgressStatus, type ProviderEvent } from '@wakeplan/contract';
import { buildApp } from '@wakeplan/api/app';
import { loadApiConfig } from '@wakeplan/api/config';
import { createWebhookKicker, type WebhookKicker } from '@wakeplan/api/webhooks';
import { createLogger, FakeClock } from '@wakeplan/runtime';
import { Worker, type SchedulingMode } from '@wakeplan/worker';
import type { CallingWindow } from '@wakeplan/schedule-core';
import type { Scenario, ScenarioAction } from './scenario.ts';
import { ScenarioDialer, type DialRecord, type OutcomeRecord } from './scenario-dialer.ts';
import { simulatedPhone } from './sim-outcomes.ts';
import { simulatedReceiver, type ReceiverLog } from './sim-webhooks.ts';
import { RecordingConnector, TouchRecorder } from './touch-recorder.ts';

export const SIM_MODES = ['wakeplan', 'window_polling', 'polling'] as const;
export type SimMode = (typeof SIM_MODES)[number];
const POLL_INTERVAL_MS = 10_000;
const DB_IDLE_TIMEOUT_MS = 30_000;
const RESULT_TIMEOUT_MINUTES = 30;
const ACCOUNT_CAP = 10;
const DIRECT_CALL_CAMPAIGN_INDEX = 79;

/** A campaign as the API created it: its fields (snake_case, as answered) and its window. */
interface CreatedCampaign { id: string; index: number; at: number; fields: Record<string, unknown>; window: CallingWindow; phones: string[] }
interface DirectCallRecord { at: number; dueAt: number; phone: string }

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
  /** When the scenario registers a webhook: what its receiver saw, and the deliveries' final states. */
  webhooks: { receiver: ReceiverLog; events: number; deliveries: Record<string, number> } | null;
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
  const system = await SimulatedSystem.create(o);
  try {
    await system.run();
  } finally {
    await system.close();
  }
  return system.result();
}

/**
 * The API, the worker and the outcome logic on one virtual clock. User actions and
 * provider outcomes are queued by the clock's timers and run one at a time by
 * settle(), each followed by the worker's reaction, so the order of events never
 * depends on how fast the database answered. Notifications the API and the outcome
 * logic send are held until everything has settled, then delivered to the worker's
 * listener (see RecordingConnector).
 */
class SimulatedSystem {
  private readonly queue: (() => Promise<void>)[] = [];
  private readonly sentNotifications: [string, string][] = [];
  private readonly campaigns: CreatedCampaign[] = [];
  private readonly directCalls: DirectCallRecord[] = [];
  private readonly recorder: TouchRecorder;
  private readonly apiSql: Sql;
  private readonly outcomeSql: Sql;
  private readonly connector: RecordingConnector;
  private readonly dialer: ScenarioDialer;
  private readonly worker: Worker;
  private readonly receiver: ReturnType<typeof simulatedReceiver> | null;
  /** The API's after-commit webhook sender; settle() waits for it like for the worker. */
  private readonly webhooks: WebhookKicker;
  private app!: Awaited<ReturnType<typeof buildApp>>;

  static async create(o: RunModeOptions): Promise<SimulatedSystem> {
    const system = new SimulatedSystem(o, await createMigratedDatabase(o.serverUrl, `wakeplan_sim_${o.mode}`), new FakeClock(o.scenario.start));
    const config = {
      ...loadApiConfig({ NODE_ENV: 'test', API_TOKENS: 'simulate', RATE_LIMIT_PER_MINUTE: '10000000', BODY_LIMIT_BYTES: String(512 * 1024 * 1024) }),
      workerWakeUrl: undefined, workerBaseUrl: undefined,
    };
    await system.registerWebhook();
    system.app = await buildApp({
      sql: system.apiSql, config, logger: createLogger('wakeplan-api', 'silent'), clock: system.clock, webhooks: system.webhooks,
    });
    return system;
  }

  private constructor(private readonly o: RunModeOptions, private readonly db: ThrowawayDatabase, private readonly clock: FakeClock) {
    this.recorder = new TouchRecorder(() => clock.now().getTime(), DB_IDLE_TIMEOUT_MS);
    this.apiSql = createSql({ url: db.url, applicationName: 'wakeplan-simulate-api', idleTimeoutS: 3600, max: 4, debug: this.observe('api') });
    this.outcomeSql = createSql({ url: db.url, applicationName: 'wakeplan-simulate-outcomes', idleTimeoutS: 3600, max: 2, debug: this.observe('outcomes') });
    this.connector = new RecordingConnector(db.url, this.recorder);
    this.receiver = o.scenario.webhooks ? simulatedReceiver(o.scenario.webhooks) : null;
    const send = this.receiver?.send ?? (async () => ({ ok: true as const, statusCode: 204 }));
    this.webhooks = createWebhookKicker({ sql: this.apiSql, logger: createLogger('wakeplan-api', 'silent'), now: () => clock.now(), send });
    this.dialer = new ScenarioDialer(clock, o.scenario, async (event) => { this.queue.push(() => this.applyOutcome(event)); });
    this.worker = new Worker({
      clock, connector: this.connector, dialer: this.dialer, logger: createLogger('wakeplan-worker', 'silent'), mode: schedulingMode(o.mode),
      webhookSender: send,
      settings: { workerId: `simulate-${o.mode}`, accountCap: ACCOUNT_CAP, resultTimeoutMinutes: RESULT_TIMEOUT_MINUTES,
        callbackUrl: 'http://127.0.0.1/simulated', shutdownGraceS: 1 },
    });
  }

  /** The API's and the outcome logic's statements touch the database; their NOTIFYs are held for delivery. */
  private observe(source: 'api' | 'outcomes') {
    return (_id: number, query: string, parameters: unknown[]) => {
      this.recorder.statement(source, 'api', true);
      // pg_notify(channel, payload) takes the statement's last two parameters (a change mark's campaign id may come first: packages/db notify.ts)
      if (/pg_notify/.test(query)) this.sentNotifications.push([String(parameters.at(-2)), String(parameters.at(-1))]);
    };
  }

  /**
   * The seed's designs had no doorbell: polling learns of everything at its next
   * poll; window polling (asleep outside windows) recomputed its wake when a user
   * wrote, which is what the doorbell does, but learnt of outcomes by polling.
   */
  private ringDoorbell(after: 'action' | 'outcome'): void {
    if (this.o.mode === 'wakeplan' || (this.o.mode === 'window_polling' && after === 'action')) this.worker.wake();
  }

  private async applyOutcome(event: ProviderEvent): Promise<void> {
    await applyProviderEvent(this.outcomeSql, event, this.clock.now(), { resultTimeoutMinutes: RESULT_TIMEOUT_MINUTES });
    if (this.receiver && !isProgressStatus(event.status)) this.webhooks.kick(); // the provider-events route sends after its commit
    this.ringDoorbell('outcome');
  }

  /** The scenario's webhook exists before the run: configuration, written outside the recorded traffic. */
  private async registerWebhook(): Promise<void> {
    const w = this.o.scenario.webhooks;
    if (!w) return;
    const setup = createSql({ url: this.db.url, applicationName: 'wakeplan-simulate-setup', idleTimeoutS: 1, max: 1 });
    try {
      await setup`insert into webhook_subscriptions (url, events, secret, created_at)
                  values ('https://receiver.invalid/simulated', ${w.events}, ${'simulated-secret-'.padEnd(40, '0')}, ${this.o.scenario.start})`;
    } finally {
      await setup.end();
    }
  }

  async run(): Promise<void> {
    let campaignIndex = 0;
    for (const action of this.o.scenario.actions) {
      const index = action.kind === 'create_campaign' ? campaignIndex++ : -1;
      this.clock.setTimer(action.at, () => this.queue.push(() => this.perform(action, index)));
    }
    this.worker.start();
    const start = this.o.scenario.start.getTime();
    const dayMs = 86_400_000;
    for (let t = start + dayMs; ; t += dayMs) {
      const until = Math.min(t, this.o.endMs);
      await this.clock.stepTo(new Date(until), () => this.settle());
      this.o.onProgress?.((until - start) / (this.o.endMs - start));
      if (until >= this.o.endMs) return;
    }
  }

  private async perform(action: ScenarioAction, index: number): Promise<void> {
    if (action.kind === 'create_campaign') await this.createCampaign(action.campaign, index);
    else await this.createDirectCall(action.agentId, action.notBefore);
    this.ringDoorbell('action');
  }

  private async createCampaign(campaign: Extract<ScenarioAction, { kind: 'create_campaign' }>['campaign'], index: number): Promise<void> {
    const phones = Array.from({ length: campaign.contacts }, (_, j) => simulatedPhone(index, j));
    const payload = { agent_id: 'sim-agent', ...campaign.fields, contacts: phones.map((phone) => ({ phone })) };
    const data = await this.post('/api/campaigns', payload, 201);
    this.campaigns.push({
      id: String(data.id), index, at: this.clock.now().getTime(), fields: data,
      window: campaignWindow(data as unknown as CampaignWindowColumns), phones,
    });
  }

  private async createDirectCall(agentId: string, notBefore: Date | null): Promise<void> {
    const now = this.clock.now().getTime();
    const phone = simulatedPhone(DIRECT_CALL_CAMPAIGN_INDEX, this.directCalls.length);
    this.directCalls.push({ at: now, dueAt: Math.max(now, notBefore?.getTime() ?? 0), phone });
    await this.post('/api/calls', { phone, agent_id: agentId, ...(notBefore ? { not_before: notBefore.toISOString() } : {}) }, 202);
  }

  private async post(url: string, payload: object, expected: number): Promise<Record<string, unknown>> {
    const res = await this.app.inject({ method: 'POST', url, payload, headers: { authorization: 'Bearer simulate' } });
    if (res.statusCode !== expected) throw new Error(`POST ${url} failed: HTTP ${res.statusCode} ${res.body}`);
    return (res.json() as { data: Record<string, unknown> }).data;
  }

  private async settle(): Promise<void> {
    for (let i = 0; i < 100_000; i++) {
      await new Promise((r) => setImmediate(r));
      await this.worker.idle();
      await this.webhooks.settled();
      if (this.sentNotifications.length > 0) {
        for (const [channel, payload] of this.sentNotifications.splice(0)) this.connector.deliver(channel, payload);
        continue;
      }
      const next = this.queue.shift();
      if (!next) return;
      await next();
    }
    throw new Error('the simulation did not settle (a loop between the worker and its hints?)');
  }

  async close(): Promise<void> {
    if (this.receiver) this.webhookResult = await this.readWebhookResult();
    await this.worker.stop().catch(() => {});
    await this.dialer.close();
    await this.app?.close();
    await Promise.all([this.apiSql.end({ timeout: 2 }), this.outcomeSql.end({ timeout: 2 })]);
    await this.db.drop();
  }

  result(): ModeRun {
    const r = this.recorder;
    return {
      mode: this.o.mode, statements: { ...r.statements }, connectionsOpened: r.connectionsOpened, touches: r.touches,
      workerStatementTimes: r.workerStatementTimes, dials: this.dialer.dials, outcomes: this.dialer.outcomes,
      campaigns: this.campaigns, directCalls: this.directCalls, accountCap: ACCOUNT_CAP, webhooks: this.webhookResult,
    };
  }

  private webhookResult: ModeRun['webhooks'] = null;

  /** Read after the run, outside the recorded traffic (a fresh unobserved connection). */
  private async readWebhookResult(): Promise<ModeRun['webhooks']> {
    const q = createSql({ url: this.db.url, applicationName: 'wakeplan-simulate-report', idleTimeoutS: 1, max: 1 });
    try {
      const [e] = await q<{ n: number }[]>`select count(*)::int as n from outbox_events`;
      const rows = await q<{ status: string; n: number }[]>`select status, count(*)::int as n from webhook_deliveries group by status`;
      return { receiver: this.receiver!.log, events: e!.n, deliveries: Object.fromEntries(rows.map((r) => [r.status, r.n])) };
    } finally {
      await q.end();
    }
  }
}
