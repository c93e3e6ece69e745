// The clock port (STYLE.md principle 2): the worker never reads the time or sets
// a timer except through this, so tests and `wakeplan simulate` run the same
// code on a virtual clock.
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

/** Resolves at `at` by `clock` (a virtual clock only resolves when advanced). */
export function sleepUntil(clock: Clock, at: Date): Promise<void> {
  return new Promise((resolve) => clock.setTimer(at, resolve));
}

export function sleepFor(clock: Clock, ms: number): Promise<void> {
  return sleepUntil(clock, new Date(clock.now().getTime() + ms));
}
