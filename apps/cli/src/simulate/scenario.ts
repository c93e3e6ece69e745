// A simulation scenario (`wakeplan simulate --scenario F.json`), parsed and checked
// with every problem reported at once, each naming its field.
//
// Shape: { name?, start (ISO instant), days?, seed?, campaigns: [campaign], calls:
// { duration_seconds, outcomes: { completed, no_answer, busy, failed } (shares) },
// actions: [{ at, create_campaign: campaign } | { at, direct_call: { agent_id?, not_before? } }] }
// where a campaign is the API's campaign fields (snake_case) plus `contacts`: a count.
// Campaigns listed under `campaigns` are created at `start`. Optional
// `webhooks` registers a webhook before the run (sim-webhooks.ts).
import { parseScenarioWebhooks, type ScenarioWebhooks } from './sim-webhooks.ts';

export const SIM_OUTCOMES = ['completed', 'no_answer', 'busy', 'failed'] as const;
export type SimOutcome = (typeof SIM_OUTCOMES)[number];

interface ScenarioCampaign {
  /** API campaign fields (snake_case), passed to POST /api/campaigns as they are. */
  fields: Record<string, unknown>;
  contacts: number;
}

export type ScenarioAction =
  | { at: Date; kind: 'create_campaign'; campaign: ScenarioCampaign }
  | { at: Date; kind: 'direct_call'; agentId: string; notBefore: Date | null };

export interface Scenario {
  name: string;
  start: Date;
  days: number | null;
  seed: number;
  durationSeconds: number;
  outcomeShares: Record<SimOutcome, number>;
  /** Every user action, initial campaigns first (at `start`), in time order. */
  actions: ScenarioAction[];
  /** A webhook registered before the run, and when its receiver is down; null: none. */
  webhooks: ScenarioWebhooks | null;
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
  constructor(readonly problems: string[]) {
    super(`invalid scenario:\n  - ${problems.join('\n  - ')}`);
  }
}

const MAX_CONTACTS = 100_000;

export function parseScenario(raw: unknown): Scenario {
  const problems: string[] = [];
  const o = isObject(raw) ? raw : (problems.push('the scenario must be a JSON object'), {});
  const start = instant(o.start, 'start', problems);
  const days = o.days === undefined ? null : positiveNumber(o.days, 'days', problems, 366);
  const seed = o.seed === undefined ? 1 : integer(o.seed, 'seed', problems);
  const calls = isObject(o.calls) ? o.calls : (problems.push('calls must be an object with duration_seconds and outcomes'), {});
  const durationSeconds = positiveNumber(calls.duration_seconds, 'calls.duration_seconds', problems, 86_400);
  const outcomeShares = shares(calls.outcomes, problems);
  const actions: ScenarioAction[] = [];
  listOf(o.campaigns, 'campaigns', problems).forEach((c, i) => {
    const campaign = scenarioCampaign(c, `campaigns[${i}]`, problems);
    if (campaign && start) actions.push({ at: start, kind: 'create_campaign', campaign });
  });
  listOf(o.actions ?? [], 'actions', problems).forEach((a, i) => {
    const action = scenarioAction(a, `actions[${i}]`, problems, start);
    if (action) actions.push(action);
  });
  const webhooks = parseScenarioWebhooks(o.webhooks, problems);
  if (problems.length > 0 || !start) throw new ScenarioError(problems);
  actions.sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    name: typeof o.name === 'string' && o.name ? o.name : 'scenario',
    start, days, seed, durationSeconds, outcomeShares, actions, webhooks,
  };
}

function scenarioCampaign(raw: unknown, path: string, problems: string[]): ScenarioCampaign | null {
  if (!isObject(raw)) return (problems.push(`${path} must be an object of campaign fields plus contacts`), null);
  const { contacts, ...fields } = raw;
  if (typeof contacts !== 'number' || !Number.isInteger(contacts) || contacts < 0 || contacts > MAX_CONTACTS) {
    problems.push(`${path}.contacts must be a whole number of contacts from 0 to ${MAX_CONTACTS}, got ${JSON.stringify(contacts)}`);
    return null;
  }
  if (typeof fields.name !== 'string') fields.name = `${path}`;
  return { fields, contacts };
}

function scenarioAction(raw: unknown, path: string, problems: string[], start: Date | null): ScenarioAction | null {
  if (!isObject(raw)) return (problems.push(`${path} must be an object with "at" and one action`), null);
  const at = instant(raw.at, `${path}.at`, problems);
  if (at && start && at < start) problems.push(`${path}.at must not be before start (${start.toISOString()})`);
  if (raw.create_campaign !== undefined) {
    const campaign = scenarioCampaign(raw.create_campaign, `${path}.create_campaign`, problems);
    return at && campaign ? { at, kind: 'create_campaign', campaign } : null;
  }
  if (raw.direct_call !== undefined) {
    const d = isObject(raw.direct_call) ? raw.direct_call : (problems.push(`${path}.direct_call must be an object`), {});
    const notBefore = d.not_before === undefined || d.not_before === null ? null : instant(d.not_before, `${path}.direct_call.not_before`, problems);
    const agentId = typeof d.agent_id === 'string' && d.agent_id ? d.agent_id : 'sim-agent';
    return at ? { at, kind: 'direct_call', agentId, notBefore } : null;
  }
  problems.push(`${path} must have create_campaign or direct_call`);
  return null;
}

function shares(raw: unknown, problems: string[]): Record<SimOutcome, number> {
  const result = { completed: 0, no_answer: 0, busy: 0, failed: 0 };
  if (!isObject(raw)) {
    problems.push(`calls.outcomes must be an object of shares (${SIM_OUTCOMES.join(', ')})`);
    return result;
  }
  for (const key of Object.keys(raw)) {
    if (!(SIM_OUTCOMES as readonly string[]).includes(key)) problems.push(`calls.outcomes.${key} is not an outcome (use ${SIM_OUTCOMES.join(', ')})`);
  }
  for (const key of SIM_OUTCOMES) {
    const v = raw[key] ?? 0;
    if (typeof v !== 'number' || !(v >= 0)) problems.push(`calls.outcomes.${key} must be a share >= 0, got ${JSON.stringify(v)}`);
    else result[key] = v;
  }
  const total = SIM_OUTCOMES.reduce((s, k) => s + result[k], 0);
  if (total <= 0) problems.push('calls.outcomes must have at least one share above 0');
  else for (const key of SIM_OUTCOMES) result[key] /= total;
  return result;
}

function instant(raw: unknown, path: string, problems: string[]): Date | null {
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) || Number.isNaN(Date.parse(raw))) {
    problems.push(`${path} must be an ISO instant with an offset, like "2026-03-02T21:00:00-05:00", got ${JSON.stringify(raw)}`);
    return null;
  }
  return new Date(raw);
}

function positiveNumber(raw: unknown, path: string, problems: string[], max: number): number {
  if (typeof raw !== 'number' || !(raw > 0) || raw > max) {
    problems.push(`${path} must be a number above 0 and at most ${max}, got ${JSON.stringify(raw)}`);
    return 1;
  }
  return raw;
}

function integer(raw: unknown, path: string, problems: string[]): number {
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw)) {
    problems.push(`${path} must be an integer, got ${JSON.stringify(raw)}`);
    return 1;
  }
  return raw;
}

function listOf(raw: unknown, path: string, problems: string[]): unknown[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return (problems.push(`${path} must be an array`), []);
  return raw;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
