// @wakeplan/worker: what `wakeplan simulate` (and the benchmark) need to run the
// worker's real scheduling and dispatch code on a virtual clock: the Worker,
// its ports (clock, database connector, dialer, outcome sink), the clocks, the
// dialers and the scheduling modes. main.ts is the production composition root.
export { Worker, type WorkerDeps, type WorkerSettings } from './worker.ts';
export type { WorkerHealth, PlannedWake } from './worker-report.ts';
export type { WorkerCounters } from './counters.ts';
export type { Clock, TimerHandle } from './clock/clock.ts';
export { sleepFor, sleepUntil } from './clock/clock.ts';
export { SystemClock, MAX_TIMER_LINK_MS, type TimerHost } from './clock/system-clock.ts';
export { FakeClock } from './clock/fake-clock.ts';
export {
  PostgresConnector, type ConnectionRole, type ConnectorObserver, type DatabaseConnector, type ListenerCallbacks,
  type PostgresConnectorOptions,
} from './database-connector.ts';
export type { Dialer, DialResult, OutcomeSink } from './dialers/dialer.ts';
export { SimulatedDialer, DEFAULT_SIMULATED_OUTCOMES, type SimulatedDialerOptions, type SimulatedOutcome } from './dialers/simulated.ts';
export { WebhookDialer, type WebhookDialerOptions } from './dialers/webhook.ts';
export { createHttpOutcomeSink } from './dialers/http-outcome-sink.ts';
export { seededRandom } from './dialers/prng.ts';
export { decideRest, modeListens, NEAR_WAKE_MS, type RestDecision, type SchedulingMode } from './scheduling-mode.ts';
export { evaluatePlan, type PlanEvaluation } from './plan-evaluation.ts';
export { DoorbellServer } from './doorbell-server.ts';
export { loadWorkerConfig, type WorkerConfig } from './config.ts';
