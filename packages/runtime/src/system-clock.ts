// The real clock: wall time, and timers that survive long sleeps.
//
// Invariants (DESIGN.md §2): no single setTimeout is longer than one hour (a
// setTimeout beyond 2^31-1 ms fires after 1 ms; a suspended host or a clock
// jump makes long timers drift), and every link re-reads the wall clock when it
// fires and re-arms for what is left, so a 30-day sleep fires on time and a
// jump forward fires at once. The timer primitives are injectable for tests.
import type { Clock, TimerHandle } from './clock.ts';

export const MAX_TIMER_LINK_MS = 3_600_000;

export interface TimerHost {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const nodeHost: TimerHost = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface ChainedTimer extends TimerHandle {
  inner: unknown;
  cancelled: boolean;
}

export class SystemClock implements Clock {
  private nextId = 1;

  constructor(private readonly host: TimerHost = nodeHost, private readonly maxLinkMs = MAX_TIMER_LINK_MS) {}

  now(): Date {
    return new Date(this.host.now());
  }

  setTimer(at: Date, fn: () => void): TimerHandle {
    const target = at.getTime();
    const timer: ChainedTimer = { id: this.nextId++, inner: null, cancelled: false };
    const arm = () => {
      const remaining = Math.max(0, target - this.host.now());
      timer.inner = this.host.setTimeout(link, Math.min(remaining, this.maxLinkMs));
    };
    const link = () => {
      if (timer.cancelled) return;
      if (this.host.now() >= target) {
        timer.cancelled = true;
        fn();
      } else {
        arm();
      }
    };
    arm();
    return timer;
  }

  clearTimer(handle: TimerHandle): void {
    const timer = handle as ChainedTimer;
    timer.cancelled = true;
    if (timer.inner !== null) this.host.clearTimeout(timer.inner);
  }
}
