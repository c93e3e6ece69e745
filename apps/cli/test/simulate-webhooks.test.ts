// `simulate` with a webhook registered, wake-plan mode only, against real
// Postgres: every event reaches the receiver, and webhooks cost the database
// (almost) nothing beyond the lower bound — deliveries go out while it is awake
// anyway; a receiver that is down costs the retries it needs, and then recovers
// every event.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@wakeplan/db/testing';
import { loadScenario } from '../src/commands/simulate.ts';
import { buildReport } from '../src/simulate/report.ts';
import { runMode } from '../src/simulate/run-mode.ts';

const db = useTestDatabase();
const dir = mkdtempSync(join(tmpdir(), 'wakeplan-sim-webhooks-'));

function scenario(webhooks: unknown) {
  const path = join(dir, `s-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({
    name: 'webhooks', start: '2026-03-03T07:00:00-05:00', seed: 5,
    calls: { duration_seconds: 240, outcomes: { completed: 2, no_answer: 1, failed: 1 } },
    actions: [
      { at: '2026-03-03T07:30:00-05:00', create_campaign: { name: 'morning', agent_id: 'a', timezone: 'America/New_York',
        first_call_time: '09:00', last_call_time: '10:00', max_concurrent_calls: 2, retry_delay_minutes: 20, contacts: 12 } },
    ],
    webhooks,
  }));
  return loadScenario(path);
}

async function run(webhooks: unknown) {
  const s = scenario(webhooks);
  const days = 0.5;
  const r = await runMode({ serverUrl: db.current.url, scenario: s, mode: 'wakeplan', endMs: s.start.getTime() + days * 86_400_000 });
  return { run: r, report: buildReport({ scenario: s, days, suspendAfterMinutes: 5, cu: 0.25, runs: [r] }).report };
}

describe('simulate with webhooks', () => {
  it('delivers every event and stays within 1.05× of the lower bound', async () => {
    const { report } = await run({});
    const w = report.modes.wakeplan.webhooks!;
    expect(w.events).toBeGreaterThan(12 * 2); // attempt_ended + completed/failed per contact, campaign.completed
    expect(w.delivered_events).toBe(w.events);
    expect(w.deliveries).toEqual({ delivered: w.events });
    expect(report.ratio_to_lower_bound.wakeplan).toBeLessThanOrEqual(1.05);
  });

  it('with the receiver down for an hour during calling, still delivers every event once it is back', async () => {
    const { report } = await run({ receiver_down: [{ from: '2026-03-03T14:05:00Z', until: '2026-03-03T15:05:00Z' }] });
    const w = report.modes.wakeplan.webhooks!;
    expect(w.refused).toBeGreaterThan(0);
    expect(w.delivered_events).toBe(w.events);
    expect(w.deliveries).toEqual({ delivered: w.events });
  });

  it('names a bad webhooks block', () => {
    expect(() => scenario({ events: ['call.nope'] })).toThrow(/webhooks.events must be a non-empty list/);
    expect(() => scenario({ receiver_down: [{ from: '2026-03-03T15:00:00Z', until: '2026-03-03T14:00:00Z' }] })).toThrow(/receiver_down\[0\]/);
  });
});
