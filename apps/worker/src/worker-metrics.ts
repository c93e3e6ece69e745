// The worker's Prometheus metrics (prom-client), served on its own port by the
// doorbell server (GET /metrics): state (one gauge per state), wakes by reason,
// plan reads, claims, dials by result, calls in flight, the next wake's
// timestamp, timer lateness, listener reconnects, seconds connected to the
// database, and the default process metrics.
//
// Invariants: built on what the worker already keeps in memory (its counters and
// /health, read at scrape time) plus three calls from the worker (a wake began,
// a timer fired, the listener came back) and the connector's observer (a
// connection opened or closed); a scrape never touches the database.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ConnectionRole, ConnectorObserver } from './database-connector.ts';
import { WORKER_STATES } from './sql/worker-state.ts';
import type { WorkerHealth } from './worker-report.ts';


/** A wake's reasons → one bounded label: what woke it first. */
function wakeReasonLabel(reasons: readonly string[]): string {
  const first = reasons[0] ?? '';
  for (const kind of ['startup', 'timer', 'doorbell', 'resync'] as const) if (first.startsWith(kind)) return kind;
  if (/listen/.test(first)) return 'listener_lost';
  return first ? 'notification' : 'unknown';
}

/** A counter whose value is read from the worker's own counter at scrape time. */
function mirrored(registry: Registry, name: string, help: string, labelNames: string[], read: () => [Record<string, string>, number][]): void {
  new Counter({
    name, help, labelNames, registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.inc(labels, value);
    },
  });
}

export class WorkerMetrics implements ConnectorObserver {
  readonly registry = new Registry();
  private source: (() => WorkerHealth) | null = null;
  private readonly wakes = new Counter({ name: 'wakeplan_worker_wakes_total', help: 'wakes (rest → dispatching), by what woke the worker first', labelNames: ['reason'], registers: [this.registry] });
  private readonly lateness = new Histogram({
    name: 'wakeplan_worker_timer_lateness_seconds', help: 'how late a planned wake\'s timer fired',
    buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300], registers: [this.registry],
  });
  private readonly reconnects = new Counter({ name: 'wakeplan_worker_listener_reconnects_total', help: 'the listening connection opened again after it was lost (each followed by a full resync)', registers: [this.registry] });
  private readonly open: Record<ConnectionRole, number> = { pool: 0, listener: 0 };
  private connectedSinceMs: number | null = null;
  private connectedMs = 0;

  constructor(private readonly nowMs: () => number = Date.now) {
    const health = () => this.source?.() ?? null;
    new Gauge({
      name: 'wakeplan_worker_state', help: '1 for the state the worker is in, 0 for the others', labelNames: ['state'], registers: [this.registry],
      collect() {
        const state = health()?.state ?? 'starting';
        for (const s of WORKER_STATES) this.set({ state: s }, s === state ? 1 : 0);
      },
    });
    const counters = () => health()?.counters;
    mirrored(this.registry, 'wakeplan_worker_plan_reads_total', 'whole-plan reads', [], () => [[{}, counters()?.planReads ?? 0]]);
    mirrored(this.registry, 'wakeplan_worker_catch_ups_total', 'reads of the campaigns changed since the last read (waking from sleep)', [], () => [[{}, counters()?.catchUps ?? 0]]);
    mirrored(this.registry, 'wakeplan_worker_campaign_refreshes_total', 'reads of only the campaigns hints or claims named', [], () => [[{}, counters()?.campaignRefreshes ?? 0]]);
    mirrored(this.registry, 'wakeplan_worker_claims_total', 'contacts and direct calls claimed for dialing', [], () => [[{}, counters()?.claims ?? 0]]);
    mirrored(this.registry, 'wakeplan_worker_dials_total', 'dial requests by result', ['result'], () => {
      const c = counters();
      return (['confirmed', 'rejected', 'unconfirmed'] as const).map((r) => [{ result: r }, c?.[r] ?? 0]);
    });
    new Gauge({ name: 'wakeplan_worker_calls_in_flight', help: 'calls dialing or in progress', registers: [this.registry], collect() { this.set(health()?.callsInFlight ?? 0); } });
    new Gauge({
      name: 'wakeplan_worker_next_wake_timestamp_seconds', help: 'when the worker plans to wake next (Unix seconds); 0 when nothing is planned', registers: [this.registry],
      collect() {
        const next = health()?.nextWakeAt;
        this.set(next ? Date.parse(next) / 1000 : 0);
      },
    });
    const connected = () => (this.connectedMs + (this.connectedSinceMs === null ? 0 : this.nowMs() - this.connectedSinceMs)) / 1000;
    new Counter({
      name: 'wakeplan_worker_database_connected_seconds_total', help: 'seconds the worker held at least one connection to the database', registers: [this.registry],
      collect() {
        this.reset();
        this.inc(connected());
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** The worker whose /health the gauges read. */
  attach(source: () => WorkerHealth): void {
    this.source = source;
  }

  wakeStarted(reasons: readonly string[]): void {
    this.wakes.inc({ reason: wakeReasonLabel(reasons) });
  }

  timerFired(plannedAt: Date, firedAt: Date): void {
    this.lateness.observe(Math.max(0, firedAt.getTime() - plannedAt.getTime()) / 1000);
  }

  listenerReconnected(): void {
    this.reconnects.inc();
  }

  connectionOpened(role: ConnectionRole): void {
    if (this.open.pool + this.open.listener === 0) this.connectedSinceMs = this.nowMs();
    this.open[role]++;
  }

  connectionClosed(role: ConnectionRole): void {
    this.open[role] = Math.max(0, this.open[role] - 1);
    if (this.open.pool + this.open.listener === 0 && this.connectedSinceMs !== null) {
      this.connectedMs += this.nowMs() - this.connectedSinceMs;
      this.connectedSinceMs = null;
    }
  }
}
