// A virtual clock for tests and `wakeplan simulate`: time moves only when told,
// and due timers fire in order of their instant (ties in order of setting).
//
// Invariants: firing a timer first moves `now` to the timer's instant, so work it
// starts sees the time it was planned for; timers set for the past fire on the
// next advance, never inside setTimer. Only Wakeplan's own code gets this
// clock: the database driver keeps the real timers.
import type { Clock, TimerHandle } from './clock.ts';

interface FakeTimer extends TimerHandle {
  at: number;
  fn: () => void;
}

export class FakeClock implements Clock {
  private current: number;
  private timers: FakeTimer[] = [];
  private nextId = 1;

  constructor(start: Date) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  setTimer(at: Date, fn: () => void): TimerHandle {
    const timer: FakeTimer = { id: this.nextId++, at: at.getTime(), fn };
    this.timers.push(timer);
    return timer;
  }

  clearTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle.id);
  }

  /** The instant of the earliest pending timer, or null. */
  nextTimerAt(): Date | null {
    const next = this.earliest();
    return next ? new Date(next.at) : null;
  }

  pendingTimers(): number {
    return this.timers.length;
  }

  /** Fires every timer due at or before `target` in order, then sets now = target (never backwards). Returns how many fired. */
  advanceTo(target: Date): number {
    const t = target.getTime();
    let fired = 0;
    for (let next = this.earliest(); next && next.at <= t; next = this.earliest()) {
      this.timers = this.timers.filter((x) => x !== next);
      this.current = Math.max(this.current, next.at);
      next.fn();
      fired++;
    }
    this.current = Math.max(this.current, t);
    return fired;
  }

  advanceBy(ms: number): number {
    return this.advanceTo(new Date(this.current + ms));
  }

  /**
   * Moves to `target` one due timer at a time, awaiting `settle()` after each
   * (e.g. "until the worker is idle"), so async work started by one timer
   * finishes before the next fires.
   */
  async stepTo(target: Date, settle: () => Promise<void>): Promise<void> {
    await settle();
    for (let next = this.earliest(); next && next.at <= target.getTime(); next = this.earliest()) {
      this.advanceTo(new Date(next.at));
      await settle();
    }
    this.advanceTo(target);
    await settle();
  }

  private earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) if (!best || t.at < best.at || (t.at === best.at && t.id < best.id)) best = t;
    return best;
  }
}
