// The clock port (STYLE.md principle 2): the worker never reads the time or sets
// a timer except through this, so tests and `wakeplan simulate` run the same
// code on a virtual clock (fake-clock.ts); production uses system-clock.ts. The
// API reads only `now` from it.
//
// Invariants: a timer set for an instant fires once, at or after that instant,
// never synchronously inside setTimer; a cleared timer never fires.
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  now(): Date;
  setTimer(at: Date, fn: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** Resolves `ms` later by `clock` (a virtual clock only resolves when advanced). */
export function sleepFor(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(new Date(clock.now().getTime() + ms), resolve));
}

/** Resolves `ms` later in real time: for code with no clock port (a CLI command, a benchmark, a test waiting on another process). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
