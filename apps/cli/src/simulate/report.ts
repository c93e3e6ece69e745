// The simulation report: per mode the statements, connections, wakes, calls,
// latency and modelled compute hours (with cost), the shared lower bound, and
// each mode's ratio to it — as one JSON object (`--json`) or a table.
import { computeUsage, type AwakeInterval as Interval } from '@wakeplan/schedule-core';
import { idealSchedule, type IdealCampaign } from './ideal-schedule.ts';
import { queueToDialLatency } from './latency.ts';
import type { ModeRun, SimMode } from './run-mode.ts';
import type { Scenario } from './scenario.ts';

/** Neon's published compute prices, USD per CU-hour (neon.com/docs/introduction/plans, usage-based plans of 2025-08). */
const NEON_PRICE_PER_CU_HOUR = { launch: 0.14, scale: 0.26 } as const;

interface ModeReport {
  statements: number;
  worker_statements: number;
  connections_opened: number;
  wakes: number;
  calls_dialed: number;
  latency_mean_seconds: number;
  latency_max_seconds: number;
  compute_hours: number;
  cost_usd: { launch: number; scale: number };
  /** With a webhook registered: events written, distinct events the receiver accepted, requests sent, deliveries by state at the end. */
  webhooks?: { events: number; delivered_events: number; requests: number; refused: number; deliveries: Record<string, number> };
}

export interface SimulationReport {
  scenario: string;
  days: number;
  suspend_after_minutes: number;
  cu: number;
  lower_bound_hours: number;
  lower_bound_calls: number;
  modes: Record<SimMode, ModeReport>;
  ratio_to_lower_bound: Record<SimMode, number>;
  compute_hours_per_30_days: Record<SimMode | 'lower_bound', number>;
}

export interface ReportInput {
  scenario: Scenario;
  days: number;
  suspendAfterMinutes: number;
  cu: number;
  runs: ModeRun[];
}

export interface BuiltReport { report: SimulationReport; awake: Record<SimMode | 'lower_bound', Interval[]> }

export function buildReport(input: ReportInput): BuiltReport {
  const startMs = input.scenario.start.getTime();
  const endMs = startMs + input.days * 86_400_000;
  const suspendMs = input.suspendAfterMinutes * 60_000;
  const reference = input.runs[0]!;
  const ideal = idealSchedule(input.scenario, reference.campaigns.map(idealCampaign), reference.directCalls, reference.accountCap, endMs);
  const bound = computeUsage(ideal.touches, suspendMs, startMs, endMs);
  const modes = {} as Record<SimMode, ModeReport>;
  const ratios = {} as Record<SimMode, number>;
  const awake = { lower_bound: bound.awake } as Record<SimMode | 'lower_bound', Interval[]>;
  const perMonth = { lower_bound: round(bound.computeHours * 30 / input.days) } as Record<SimMode | 'lower_bound', number>;
  for (const run of input.runs) {
    const usage = computeUsage(run.touches, suspendMs, startMs, endMs);
    const latency = queueToDialLatency(run);
    const s = run.statements;
    modes[run.mode] = {
      statements: s.worker + s.api + s.outcomes,
      worker_statements: s.worker,
      connections_opened: run.connectionsOpened,
      wakes: usage.wakes,
      calls_dialed: run.dials.length,
      latency_mean_seconds: round(latency.meanSeconds),
      latency_max_seconds: round(latency.maxSeconds),
      compute_hours: round(usage.computeHours),
      cost_usd: {
        launch: round(usage.computeHours * input.cu * NEON_PRICE_PER_CU_HOUR.launch, 4),
        scale: round(usage.computeHours * input.cu * NEON_PRICE_PER_CU_HOUR.scale, 4),
      },
      ...(run.webhooks ? { webhooks: {
        events: run.webhooks.events, delivered_events: run.webhooks.receiver.eventIds.size, requests: run.webhooks.receiver.requests,
        refused: run.webhooks.receiver.refused, deliveries: run.webhooks.deliveries,
      } } : {}),
    };
    ratios[run.mode] = bound.computeHours > 0 ? round(usage.computeHours / bound.computeHours) : 0;
    awake[run.mode] = usage.awake;
    perMonth[run.mode] = round(usage.computeHours * 30 / input.days);
  }
  return {
    report: {
      scenario: input.scenario.name, days: input.days, suspend_after_minutes: input.suspendAfterMinutes, cu: input.cu,
      lower_bound_hours: round(bound.computeHours), lower_bound_calls: ideal.dials, modes, ratio_to_lower_bound: ratios,
      compute_hours_per_30_days: perMonth,
    },
    awake,
  };
}

function idealCampaign(c: ModeRun['campaigns'][number]): IdealCampaign {
  const f = c.fields;
  return {
    createdAt: c.at,
    window: c.window,
    recipientHours: (f.recipient_calling_hours as IdealCampaign['recipientHours']) ?? null,
    maxConcurrent: Number(f.max_concurrent_calls),
    callsPerMinute: f.calls_per_minute === null || f.calls_per_minute === undefined ? null : Number(f.calls_per_minute),
    maxAttempts: Number(f.max_attempts),
    retryDelayMs: Number(f.retry_delay_minutes) * 60_000,
    retryOn: f.retry_on as string[],
    phones: c.phones,
  };
}

export function formatReport(r: SimulationReport): string {
  const names = Object.keys(r.modes) as SimMode[];
  const rows: [string, (m: ModeReport, n: SimMode) => string][] = [
    ['compute hours', (m) => m.compute_hours.toFixed(2)],
    ['ratio to lower bound', (_m, n) => `${r.ratio_to_lower_bound[n].toFixed(2)}×`],
    ['compute hours / 30 days', (_m, n) => r.compute_hours_per_30_days[n].toFixed(1)],
    ['cost (Launch / Scale)', (m) => `$${m.cost_usd.launch.toFixed(2)} / $${m.cost_usd.scale.toFixed(2)}`],
    ['wakes', (m) => String(m.wakes)],
    ['statements (worker)', (m) => `${m.statements} (${m.worker_statements})`],
    ['connections opened', (m) => String(m.connections_opened)],
    ['calls dialed', (m) => String(m.calls_dialed)],
    ['latency mean / max', (m) => `${m.latency_mean_seconds.toFixed(1)} s / ${m.latency_max_seconds.toFixed(1)} s`],
  ];
  if (names.some((n) => r.modes[n].webhooks)) {
    rows.push(['webhook events delivered', (m) => (m.webhooks ? `${m.webhooks.delivered_events} / ${m.webhooks.events}` : '—')]);
    rows.push(['webhook requests (refused)', (m) => (m.webhooks ? `${m.webhooks.requests} (${m.webhooks.refused})` : '—')]);
  }
  const width = 26;
  const col = 24;
  const lines = [
    `scenario "${r.scenario}": ${r.days} days, suspend after ${r.suspend_after_minutes} min, ${r.cu} CU`,
    `lower bound: ${r.lower_bound_hours.toFixed(2)} compute hours (${r.lower_bound_calls} ideal dials; ${r.compute_hours_per_30_days.lower_bound.toFixed(1)} per 30 days)`,
    '',
    `${''.padEnd(width)}${names.map((n) => n.padStart(col)).join('')}`,
    ...rows.map(([label, f]) => `${label.padEnd(width)}${names.map((n) => f(r.modes[n], n).padStart(col)).join('')}`),
  ];
  return lines.join('\n');
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
