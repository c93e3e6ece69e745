// The clocks. The system clock on an injected timer host that behaves like
// Node's (a delay beyond 2^31-1 ms fires after 1 ms) and whose wall clock can
// jump: long timers fire on time through links of at most one hour; a jump
// forward fires at once; a cleared timer never fires. The fake clock fires due
// timers in order, at their own instants.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/fake-clock.ts';
import { MAX_TIMER_LINK_MS, SystemClock, type TimerHost } from '../src/system-clock.ts';

/** A virtual host: run() moves time to each due host timer in turn, like a sleeping machine would. */
class VirtualHost implements TimerHost {
  time = Date.parse('2026-03-02T12:00:00Z');
  delays: number[] = [];
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    this.delays.push(ms);
    const effective = ms > 2 ** 31 - 1 ? 1 : ms; // Node's overflow behaviour
    const timer = { at: this.time + effective, fn, id: this.next++ };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Runs host timers until none is left or `until` is passed. */
  run(until = Infinity): void {
    for (;;) {
      const next = this.timers.sort((a, b) => a.at - b.at)[0];
      if (!next || next.at > until) return;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
  }
}

describe('SystemClock', () => {
  it('fires a 30-day timer on time through links of at most one hour', () => {
    const host = new VirtualHost();
    const clock = new SystemClock(host);
    const at = new Date(host.time + 30 * 86_400_000);
    let firedAt: number | null = null;
    clock.setTimer(at, () => void (firedAt = host.now()));
    host.run();
    expect(firedAt).toBe(at.getTime());
    expect(Math.max(...host.delays)).toBeLessThanOrEqual(MAX_TIMER_LINK_MS);
    expect(host.delays.length).toBe(30 * 24);
  });

  it('without the one-hour cap a 25-day delay overflows and wakes the host every millisecond (the hazard chaining avoids)', () => {
    const host = new VirtualHost();
    const uncapped = new SystemClock(host, Number.MAX_SAFE_INTEGER);
    let fired = false;
    uncapped.setTimer(new Date(host.time + 25 * 86_400_000), () => void (fired = true));
    host.run(host.time + 10);
    expect(fired).toBe(false); // the wall-clock check stops it firing early…
    expect(host.delays.length).toBeGreaterThan(5); // …but it spins: one link per millisecond
  });

  it('fires at once when the wall clock jumps past the instant, and re-arms when a link fires early', () => {
    const host = new VirtualHost();
    const clock = new SystemClock(host);
    const at = new Date(host.time + 5 * 3_600_000);
    let fired = 0;
    clock.setTimer(at, () => void fired++);
    host.run(host.time + 3_600_000); // first link
    expect(fired).toBe(0);
    host.time += 10 * 3_600_000; // the host slept through it
    host.run(host.time);
    expect(fired).toBe(1);
  });

  it('never fires a cleared timer, and never fires synchronously', () => {
    const host = new VirtualHost();
    const clock = new SystemClock(host);
    let fired = 0;
    const handle = clock.setTimer(new Date(host.time + 2 * 3_600_000), () => void fired++);
    clock.setTimer(new Date(host.time - 1000), () => void fired++);
    expect(fired).toBe(0);
    host.run(host.time + 3_600_000);
    expect(fired).toBe(1);
    clock.clearTimer(handle);
    host.run();
    expect(fired).toBe(1);
  });

  it('fires real timers (a smoke test on the node host)', async () => {
    const clock = new SystemClock();
    const start = Date.now();
    await new Promise<void>((resolve) => clock.setTimer(new Date(start + 20), resolve));
    expect(Date.now()).toBeGreaterThanOrEqual(start + 20);
  });
});

describe('FakeClock', () => {
  it('fires due timers in order, each at its own instant, including timers they set', () => {
    const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    const seen: string[] = [];
    const note = (name: string) => () => void seen.push(`${name}@${clock.now().toISOString().slice(11, 19)}`);
    clock.setTimer(new Date('2026-01-01T00:00:30Z'), note('b'));
    clock.setTimer(new Date('2026-01-01T00:00:10Z'), () => {
      note('a')();
      clock.setTimer(new Date('2026-01-01T00:00:20Z'), note('a2'));
    });
    const late = clock.setTimer(new Date('2026-01-01T00:00:40Z'), note('never'));
    clock.clearTimer(late);
    expect(clock.advanceTo(new Date('2026-01-01T00:01:00Z'))).toBe(3);
    expect(seen).toEqual(['a@00:00:10', 'a2@00:00:20', 'b@00:00:30']);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:01:00.000Z');
    expect(clock.nextTimerAt()).toBeNull();
  });

  it('stepTo settles after each timer before firing the next', async () => {
    const clock = new FakeClock(new Date(0));
    const order: string[] = [];
    clock.setTimer(new Date(10), () => void Promise.resolve().then(() => order.push('work of 10')));
    clock.setTimer(new Date(20), () => void order.push('timer 20'));
    await clock.stepTo(new Date(30), async () => {
      await Promise.resolve();
    });
    expect(order).toEqual(['work of 10', 'timer 20']);
  });
});
