// The worker's GET /metrics over real HTTP, parsed by a real Prometheus text
// parser: state, wakes by reason, plan reads, claims, dials by result, calls in
// flight, next wake, timer lateness, seconds connected, default process metrics —
// and scraping an asleep worker runs no statement and opens no connection.
import { afterEach, describe, expect, it } from 'vitest';
import { histogramOf, insertCampaign, insertContacts, parseMetrics, T0, useTestDatabase, valueOf, waitFor, type ParsedMetrics } from '@wakeplan/db/testing';
import { DoorbellServer } from '../src/doorbell-server.ts';
import { WorkerMetrics } from '../src/worker-metrics.ts';
import { startHarness, type Harness } from './helpers/harness.ts';

const db = useTestDatabase();
let h: Harness | null = null;
let server: DoorbellServer | null = null;

afterEach(async () => {
  await h?.stop();
  await server?.close();
  h = null;
  server = null;
});

async function workerConnections(): Promise<number> {
  const [row] = await db.current.admin<{ n: number }[]>`
    select count(*)::int as n from pg_stat_activity where datname = ${db.current.name} and application_name like 'wakeplan-test-worker%'`;
  return row!.n;
}

/** Wakes counted under `reason` (a label no wake has had yet has no sample: 0). */
function wakesBy(m: ParsedMetrics, reason: string): number {
  return valueOf(m, 'wakeplan_worker_wakes_total', { reason }) || 0;
}

/** Wakes counted under every label. */
function allWakes(m: ParsedMetrics): number {
  return (m.series.get('wakeplan_worker_wakes_total') ?? []).reduce((n, s) => n + Number(s.value), 0);
}

describe('the worker\'s /metrics', () => {
  it('reports what the worker did, and a scrape of the asleep worker touches no database', async () => {
    const id = await insertCampaign(db.current.sql, { last_call_time: '09:03', calls_per_minute: 1, max_concurrent_calls: 5 });
    await insertContacts(db.current.sql, id, 5); // three today (09:00–09:03, one a minute), two tomorrow
    let clock: { now(): Date } | null = null;
    const metrics = new WorkerMetrics(() => clock!.now().getTime());
    h = startHarness(db.current, { start: T0, metrics });
    clock = h.clock;
    metrics.attach(() => h!.worker.health());
    server = new DoorbellServer({ host: '127.0.0.1', port: 0, wakeToken: 'x', metrics: metrics.registry });
    const port = await server.listen();
    server.attach(h.worker);
    const scrape = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return parseMetrics(await response.text());
    };

    h.dialer.auto = { sql: db.current.sql, afterMs: 20_000, status: 'completed', ring: () => h?.worker.wake() };
    h.worker.start();
    await h.settle();
    await h.stepTo(new Date('2026-03-02T14:10:00Z')); // the window opened at 14:00: three dials, one a minute
    expect(h.worker.state).toBe('asleep');

    const m = await scrape();
    expect(valueOf(m, 'wakeplan_worker_state', { state: 'asleep' })).toBe(1);
    expect(valueOf(m, 'wakeplan_worker_state', { state: 'dispatching' })).toBe(0);
    expect(valueOf(m, 'wakeplan_worker_wakes_total', { reason: 'startup' })).toBe(1);
    expect(valueOf(m, 'wakeplan_worker_wakes_total', { reason: 'timer' })).toBeGreaterThanOrEqual(3);
    expect(valueOf(m, 'wakeplan_worker_plan_reads_total')).toBe(h.worker.counters.planReads);
    expect(valueOf(m, 'wakeplan_worker_claims_total')).toBe(3);
    expect(valueOf(m, 'wakeplan_worker_dials_total', { result: 'confirmed' })).toBe(3);
    expect(valueOf(m, 'wakeplan_worker_dials_total', { result: 'unconfirmed' })).toBe(0);
    expect(valueOf(m, 'wakeplan_worker_calls_in_flight')).toBe(0);
    // Each wake counted once, under what woke it first. An outcome wakes the listening worker by its doorbell
    // ring or by the NOTIFY of the same commit, whichever reaches it first: either label, never both for one wake.
    expect(allWakes(m)).toBe(h.worker.counters.wakes);
    expect(valueOf(m, 'wakeplan_worker_next_wake_timestamp_seconds')).toBe(h.worker.nextWake!.at.getTime() / 1000);
    const lateness = histogramOf(m, 'wakeplan_worker_timer_lateness_seconds');
    expect(lateness.count).toBeGreaterThanOrEqual(3);
    expect(lateness.buckets['0.001']).toBe(lateness.count); // the fake clock fires on time
    expect(valueOf(m, 'wakeplan_worker_listener_reconnects_total')).toBe(0);
    // Connected only while dispatching: at most a few virtual minutes of the two hours and ten.
    const connected = valueOf(m, 'wakeplan_worker_database_connected_seconds_total');
    expect(connected).toBeGreaterThanOrEqual(0);
    expect(connected).toBeLessThan(5 * 60);
    expect(m.types.get('process_cpu_user_seconds_total')).toBe('COUNTER');
    expect(m.types.get('nodejs_heap_size_used_bytes')).toBe('GAUGE');

    // The doorbell of the asleep worker (no LISTEN open to race it): one wake, labelled doorbell.
    const doorbells = wakesBy(m, 'doorbell');
    h.worker.wake();
    await h.settle();
    expect(h.worker.state).toBe('asleep');
    expect(wakesBy(await scrape(), 'doorbell')).toBe(doorbells + 1);

    // Asleep: scrapes (and /health) run no statement and open no connection.
    expect(h.stats.opened).toEqual(h.stats.closed);
    await waitFor(async () => (await workerConnections()) === 0, 'the worker\'s backends to exit');
    const statements = h.stats.statements;
    for (let i = 0; i < 5; i++) {
      await scrape();
      await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.text());
    }
    expect(h.stats.statements).toBe(statements);
    expect(await workerConnections()).toBe(0);
  });
});
