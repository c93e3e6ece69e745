// @wakeplan/worker: what `wakeplan simulate` needs to run the worker's real
// scheduling and dispatch code on a virtual clock: the Worker, its ports (clock,
// database connector, dialer, outcome sink), the clocks, the dialers and the
// scheduling modes. main.ts is the production composition root; the benchmark
// (bench/) imports src/ directly.
export { Worker, type WorkerDeps, type WorkerSettings } from './worker.ts';
export type { WorkerHealth, PlannedWake } from './worker-report.ts';
export type { WorkerCounters } from './counters.ts';
export type { Clock, TimerHandle } from './clock/clock.ts';
export { SystemClock } from './clock/system-clock.ts';
export { FakeClock } from './clock/fake-clock.ts';
export {
  PostgresConnector, type ConnectionRole, type ConnectorObserver, type DatabaseConnector, type ListenerCallbacks,
  type PostgresConnectorOptions,
} from './database-connector.ts';
export type { Dialer, DialResult, OutcomeSink } from './dialers/dialer.ts';
export { SimulatedDialer, type SimulatedDialerOptions, type SimulatedOutcome } from './dialers/simulated.ts';
export { WebhookDialer, type WebhookDialerOptions } from './dialers/webhook.ts';
export type { SchedulingMode } from './scheduling-mode.ts';
