// `wakeplan simulate --scenario F.json [--days N] [--suspend-after MIN] [--cu N] [--json] [--svg OUT.svg]
// [--modes wakeplan,window_polling,polling]`: runs the scenario three times (or in the modes named) —
// wake plan, window polling, polling — on a
// virtual clock against throwaway databases, and reports each mode beside the
// shared lower bound (DESIGN.md §8).
import { readFileSync, writeFileSync } from 'node:fs';
import { CliError, usageError } from '../cli-error.ts';
import type { CliContext } from '../context.ts';
import { buildReport, formatReport, type SimulationReport } from '../simulate/report.ts';
import { runMode, SIM_MODES, type ModeRun, type SimMode } from '../simulate/run-mode.ts';
import { parseScenario, ScenarioError, type Scenario } from '../simulate/scenario.ts';
import { timelineSvg } from '../simulate/timeline-svg.ts';

export interface SimulateOptions {
  scenario?: string;
  days?: number;
  suspendAfterMinutes?: number;
  cu?: number;
  json?: boolean;
  svg?: string;
  /** Comma-separated subset of the modes (default: all three). */
  modes?: string;
}

export function loadScenario(path: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read scenario ${path}: ${(error as Error).message}`, 2);
  }
  try {
    return parseScenario(raw);
  } catch (error) {
    if (error instanceof ScenarioError) throw new CliError(`${path}: ${error.message}`, 2);
    throw error;
  }
}

export async function runSimulate(ctx: CliContext, o: SimulateOptions): Promise<SimulationReport> {
  if (!o.scenario) throw usageError('simulate needs --scenario F.json');
  const scenario = loadScenario(o.scenario);
  const days = o.days ?? scenario.days ?? 7;
  const suspendAfterMinutes = o.suspendAfterMinutes ?? 5;
  const cu = o.cu ?? 0.25;
  const endMs = scenario.start.getTime() + days * 86_400_000;
  const modes = chosenModes(o.modes);
  const runs: ModeRun[] = [];
  await ctx.withDatabase(async ({ url }) => {
    for (const mode of modes) {
      const progress = ctx.isTerminal && !o.json
        ? (f: number) => ctx.err(`  ${mode}: ${(f * 100).toFixed(0)}% of ${days} days simulated`)
        : undefined;
      runs.push(await runMode({ serverUrl: url, scenario, mode, endMs, onProgress: progress }));
    }
  });
  const { report, awake } = buildReport({ scenario, days, suspendAfterMinutes, cu, runs });
  if (o.svg) {
    const hours = { lower_bound: report.lower_bound_hours, ...Object.fromEntries(modes.map((m) => [m, report.modes[m].compute_hours])) } as Record<(typeof SIM_MODES)[number] | 'lower_bound', number>;
    writeFileSync(o.svg, timelineSvg({ title: `${scenario.name}: when the database is awake`, startMs: scenario.start.getTime(), endMs, campaigns: runs[0]!.campaigns, awake, hours }));
  }
  ctx.out(o.json ? JSON.stringify(report) : formatReport(report));
  if (o.svg && !o.json) ctx.out(`timeline written to ${o.svg}`);
  return report;
}

function chosenModes(raw: string | undefined): SimMode[] {
  if (raw === undefined) return [...SIM_MODES];
  const names = raw.split(',').map((m) => m.trim()).filter(Boolean);
  const unknown = names.filter((m) => !(SIM_MODES as readonly string[]).includes(m));
  if (names.length === 0 || unknown.length > 0) throw usageError(`--modes must list some of ${SIM_MODES.join(', ')}, got "${raw}"`);
  return SIM_MODES.filter((m) => names.includes(m));
}
