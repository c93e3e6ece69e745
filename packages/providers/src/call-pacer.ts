// Spaces call creations at most `perSecond` a second (Twilio's default account
// limit is 1 call per second; excess calls are queued by Twilio, which we would
// rather not rely on). Times come from the clock port, so tests run it virtually.
//
// Invariant: slots are handed out in order and never closer than 1000/perSecond
// ms apart, however many dials wait at once. The pace holds per worker process:
// two workers on one account share the limit and should each set half of it.
import { sleepFor, type Clock } from '@wakeplan/runtime';

export class CallPacer {
  private nextAtMs = 0;

  constructor(private readonly clock: Clock, private readonly perSecond: number) {}

  async wait(): Promise<void> {
    const nowMs = this.clock.now().getTime();
    const atMs = Math.max(nowMs, this.nextAtMs);
    this.nextAtMs = atMs + 1000 / this.perSecond;
    if (atMs > nowMs) await sleepFor(this.clock, atMs - nowMs);
  }
}
