// The lower bound every design shares: the instants any design must touch the
// database — each dial of the ideal schedule (every contact at the earliest
// instant its window, caps and pacing allow), each outcome (dial + duration), and
// each user action.
//
// The ideal schedule is a pure event simulation with the same windows, caps,
// pacing, retry policy and deterministic outcomes as the real runs, but no
// latency at all: a slot freed at t is refilled at t.
import { nextContactCallable, type CallingWindow, type RecipientHours } from '@wakeplan/schedule-core';
import type { Scenario } from './scenario.ts';
import { simulatedOutcome } from './sim-outcomes.ts';

export interface IdealCampaign {
  createdAt: number;
  window: CallingWindow;
  recipientHours: RecipientHours | null;
  maxConcurrent: number;
  callsPerMinute: number | null;
  maxAttempts: number;
  retryDelayMs: number;
  retryOn: string[];
  phones: string[];
}

export interface IdealSchedule { touches: number[]; dials: number; dialTimes: number[] }

interface Pending { dueAt: number; phone: string; attempt: number }

export function idealSchedule(scenario: Scenario, campaigns: IdealCampaign[], directCalls: { at: number; dueAt: number }[], accountCap: number, endMs: number): IdealSchedule {
  // Any design reads the state once when it starts, then at each user action.
  const touches = [scenario.start.getTime(), ...scenario.actions.map((a) => a.at.getTime())];
  const dialTimes: number[] = [];
  const durationMs = scenario.durationSeconds * 1000;
  const state = campaigns.map((c) => ({
    c, inFlight: [] as number[], lastDial: -Infinity,
    queue: new DueQueue(c.phones.map((phone) => ({ dueAt: c.createdAt, phone, attempt: 1 }))),
  }));
  let accountInFlight: number[] = [];
  const direct = directCalls.map((d) => ({ ...d, done: false }));
  let t = scenario.start.getTime(); // actions never precede the start (scenario.ts)
  for (let guard = 0; t < endMs && guard < 5_000_000; guard++) {
    accountInFlight = accountInFlight.filter((end) => end > t);
    for (const s of state) s.inFlight = s.inFlight.filter((e) => e > t);
    for (const d of direct) {
      if (!d.done && d.dueAt <= t && accountInFlight.length < accountCap) {
        d.done = true;
        record(t);
        accountInFlight.push(t + durationMs);
      }
    }
    for (const s of state) dispatchCampaign(s, t);
    t = nextInstant(t);
  }
  return { touches, dials: dialTimes.length, dialTimes };

  function record(at: number): void {
    dialTimes.push(at);
    touches.push(at, at + durationMs);
  }

  function dispatchCampaign(s: (typeof state)[number], at: number): void {
    const pace = s.c.callsPerMinute ? 60_000 / s.c.callsPerMinute : 0;
    while (s.queue.size > 0 && s.c.createdAt <= at && s.queue.peek()!.dueAt <= at && s.inFlight.length < s.c.maxConcurrent
      && accountInFlight.length < accountCap && at >= s.lastDial + pace
      && nextContactCallable(s.c.window, s.c.recipientHours, null, new Date(at))?.getTime() === at) {
      const call = s.queue.pop()!;
      record(at);
      s.lastDial = at;
      s.inFlight.push(at + durationMs);
      accountInFlight.push(at + durationMs);
      const outcome = simulatedOutcome(scenario.seed, call.phone, call.attempt, scenario.outcomeShares);
      if (outcome !== 'completed' && s.c.retryOn.includes(outcome) && call.attempt < s.c.maxAttempts) {
        s.queue.push({ phone: call.phone, attempt: call.attempt + 1, dueAt: at + durationMs + s.c.retryDelayMs });
      }
    }
  }

  function nextInstant(at: number): number {
    let next = endMs;
    const consider = (x: number) => { if (x > at && x < next) next = x; };
    for (const end of accountInFlight) consider(end);
    for (const d of direct) if (!d.done) consider(Math.max(d.dueAt, at + 1));
    for (const s of state) {
      for (const end of s.inFlight) consider(end);
      if (s.queue.size === 0 || s.inFlight.length >= s.c.maxConcurrent || accountInFlight.length >= accountCap) continue;
      const pace = s.c.callsPerMinute ? 60_000 / s.c.callsPerMinute : 0;
      const earliest = Math.max(s.c.createdAt, s.queue.peek()!.dueAt, s.lastDial + pace, at);
      const callable = nextContactCallable(s.c.window, s.c.recipientHours, null, new Date(earliest));
      if (callable) consider(callable.getTime() === at ? at + 1 : callable.getTime());
    }
    return next;
  }
}

/**
 * A binary min-heap of pending calls by due time, ties by phone: the order the
 * worker's claim query uses (due time, then creation, then phone), since the
 * simulated contacts of a campaign are created together in phone order.
 */
class DueQueue {
  private readonly items: Pending[] = [];
  constructor(initial: Pending[]) {
    for (const p of initial) this.push(p);
  }
  get size(): number { return this.items.length; }
  peek(): Pending | undefined { return this.items[0]; }
  push(p: Pending): void {
    const a = this.items;
    a.push(p);
    for (let i = a.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!)) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }
  pop(): Pending | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}

function before(x: Pending, y: Pending): boolean {
  return x.dueAt < y.dueAt || (x.dueAt === y.dueAt && x.phone < y.phone);
}
