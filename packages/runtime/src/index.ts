// @wakeplan/runtime: process plumbing shared by the apps — environment parsing
// that reports every error at once, the logger, the one Clock (system and fake),
// and retry with backoff.
export * from './env.ts';
export * from './logger.ts';
export { sleep, sleepFor, type Clock, type TimerHandle } from './clock.ts';
export { SystemClock } from './system-clock.ts';
export { FakeClock } from './fake-clock.ts';
export { describeFailure, retryWithBackoff, type RetryResult, type TryResult } from './retry.ts';
