// `wakeplan simulate` end to end, against real Postgres: the real API, worker and
// outcome logic on a virtual clock. Small scenarios keep it quick; the shipped
// scenarios are run by hand and in the benchmark notes (README).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestDatabase } from '@wakeplan/db/testing';
import { loadScenario, runSimulate } from '../src/commands/simulate.ts';
import { runMode } from '../src/simulate/run-mode.ts';
import { testContext } from './helpers.ts';

const db = useTestDatabase();
const dir = mkdtempSync(join(tmpdir(), 'wakeplan-sim-'));

function scenarioFile(name: string, scenario: unknown): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(scenario));
  return path;
}

// 07:00–13:00 New York time: a campaign created at 07:30 for a 09:00–10:00 window,
// 12 calls of 4 minutes, two at a time, some retried after 20 minutes.
const small = scenarioFile('small', {
  name: 'small', start: '2026-03-03T07:00:00-05:00', seed: 5,
  calls: { duration_seconds: 240, outcomes: { completed: 2, no_answer: 1 } },
  actions: [
    { at: '2026-03-03T07:30:00-05:00', create_campaign: { name: 'morning', agent_id: 'a', timezone: 'America/New_York',
      first_call_time: '09:00', last_call_time: '10:00', max_concurrent_calls: 2, retry_delay_minutes: 20, contacts: 12 } },
    { at: '2026-03-03T11:00:00-05:00', direct_call: { agent_id: 'b' } },
  ],
});

// A day of polling is 8,640 real statements: ~10 s on an idle machine, ~40 s on a loaded one. The
// limit only keeps a hung run from blocking the suite; speed is measured by `npm run bench -- simulate`.
const SIMULATE_TIMEOUT_MS = 180_000;

describe('wakeplan simulate', () => {
  it('gives identical numbers on two runs, and polling is awake the whole period', async () => {
    const ctx = testContext(() => db.current);
    const svg = join(dir, 'small.svg');
    const first = await runSimulate(ctx, { scenario: small, days: 0.25, json: true, svg });
    const second = await runSimulate(testContext(() => db.current), { scenario: small, days: 0.25, json: true });
    expect(second).toEqual(first);
    expect(JSON.parse(ctx.stdout.at(-1)!)).toEqual(first);

    expect(first.modes.polling.compute_hours).toBeCloseTo(6, 6);
    expect(first.modes.polling.wakes).toBe(1);
    for (const mode of ['wakeplan', 'window_polling', 'polling'] as const) {
      expect(first.modes[mode].calls_dialed).toBeGreaterThanOrEqual(13);
    }
    // the wake plan needs the database barely longer than the lower bound; polling needs it all day
    expect(first.ratio_to_lower_bound.wakeplan).toBeLessThan(1.1);
    expect(first.modes.wakeplan.compute_hours).toBeLessThan(first.modes.window_polling.compute_hours);
    expect(first.modes.window_polling.compute_hours).toBeLessThan(first.modes.polling.compute_hours);
    expect(first.modes.wakeplan.worker_statements).toBeLessThan(first.modes.polling.worker_statements / 5);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg[\s\S]*morning window[\s\S]*wakeplan[\s\S]*<\/svg>$/);
  }, SIMULATE_TIMEOUT_MS);

  it('after start-up, a scenario with nothing due costs the wake plan no statement at all', async () => {
    const nothing = scenarioFile('nothing', {
      start: '2026-03-02T00:00:00Z', calls: { duration_seconds: 60, outcomes: { completed: 1 } },
      campaigns: [{ name: 'later', agent_id: 'a', timezone: 'America/Chicago', first_call_time: '09:00', last_call_time: '17:00', start_date: '2026-04-01', contacts: 5 }],
    });
    const scenario = loadScenario(nothing);
    const start = scenario.start.getTime();
    const run = await runMode({ serverUrl: db.current.url, scenario, mode: 'wakeplan', endMs: start + 86_400_000 });
    expect(run.workerStatementTimes.length).toBeGreaterThan(0);
    expect(run.workerStatementTimes.every((t) => t === start)).toBe(true);
    const report = await runSimulate(testContext(() => db.current), { scenario: nothing, days: 1, json: true });
    const w = report.modes.wakeplan;
    expect(w.calls_dialed).toBe(0);
    // one awake period: the campaign's creation at start and the worker's first plan read, then sleep
    expect(w.wakes).toBe(1);
    expect(w.compute_hours).toBeCloseTo(report.lower_bound_hours, 1);
    expect(report.modes.polling.compute_hours).toBeCloseTo(24, 6);
  }, SIMULATE_TIMEOUT_MS);

  it('names the field of a bad scenario file', async () => {
    const bad = scenarioFile('bad', { start: '2026-03-02', calls: { duration_seconds: 60, outcomes: { completed: 1 } } });
    await expect(runSimulate(testContext(() => db.current), { scenario: bad })).rejects.toThrow(/start must be an ISO instant/);
  });
});
