// @wakeplan/runtime: process plumbing shared by the apps — environment parsing
// that reports every error at once, how a process that cannot start says so,
// the logger, the one Clock (system and fake), and retry with backoff.
export * from './env.ts';
export * from './logger.ts';
export { closeGracefully, type ShutdownReason } from './graceful-shutdown.ts';
export { describeStartupFailure, exitOnStartupFailure, StartupError } from './startup-failure.ts';
export { sleep, sleepFor, type Clock, type TimerHandle } from './clock.ts';
export { SystemClock } from './system-clock.ts';
export { FakeClock } from './fake-clock.ts';
export { describeFailure, retryWithBackoff, type RetryResult, type TryResult } from './retry.ts';
