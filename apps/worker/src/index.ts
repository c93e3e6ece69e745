// @wakeplan/worker: what `wakeplan simulate` needs to run the worker's real
// scheduling and dispatch code on a virtual clock (the clocks themselves are
// @wakeplan/runtime's): the Worker, its ports (database connector, dialer,
// outcome sink) and the scheduling modes. main.ts is the production composition
// root; tests and the benchmark import src/ directly.
export { Worker } from './worker.ts';
export { PostgresConnector, type ConnectionRole, type DatabaseConnector, type ListenerCallbacks } from './database-connector.ts';
export type { Dialer, DialResult, OutcomeSink } from './dialers/dialer.ts';
export type { SchedulingMode } from './scheduling-mode.ts';
