// The simulated dialer (the default for local runs): accepts every call at
// once, then reports its outcome through the outcome sink — `POST
// /api/provider/events`, signed, exactly as a provider would — after a seeded
// random duration measured on the clock port.
//
// Invariants: the same seed and the same sequence of dials give the same
// durations and outcomes; outcomes are scheduled with the injected clock (so
// `simulate` runs it on virtual time); it does not deduplicate (it remembers
// nothing across restarts), so an unconfirmed claim is never re-sent to it.
import type { DialRequest, ProviderEventStatus } from '@wakeplan/contract';
import type { Clock, Logger, TimerHandle } from '@wakeplan/runtime';
import type { CallLookup, Dialer, DialResult, OutcomeSink } from './dialer.ts';
import { pickWeighted, seededRandom, type Random } from './prng.ts';

export type SimulatedOutcome = Exclude<ProviderEventStatus, 'ringing' | 'in_progress'>;

export interface SimulatedDialerOptions {
  clock: Clock;
  sink: OutcomeSink;
  seed: number;
  /** Call duration bounds in seconds (uniform). 0..0 = instant. */
  callSeconds: { min: number; max: number };
  outcomes: Readonly<Partial<Record<SimulatedOutcome, number>>>;
  /** Also report `in_progress` when a call lasts longer than this many seconds (pushes the result deadline). */
  progressAfterSeconds?: number;
  logger?: Logger;
}

export const DEFAULT_SIMULATED_OUTCOMES: Readonly<Record<SimulatedOutcome, number>> = {
  completed: 70, no_answer: 15, busy: 5, voicemail: 5, failed: 5, canceled: 0, refused: 0,
};

export class SimulatedDialer implements Dialer {
  readonly name = 'simulated';
  readonly resend = 'reconciles' as const;
  private readonly random: Random;
  private readonly timers = new Set<TimerHandle>();
  private dialed = 0;
  /** Provider call ids by idempotency key: a simulated call lives in this process and dies with it. */
  private readonly placed = new Map<string, string>();

  constructor(private readonly o: SimulatedDialerOptions) {
    this.random = seededRandom(o.seed);
  }

  async dial(request: DialRequest): Promise<DialResult> {
    const providerCallId = `sim-${this.o.seed}-${++this.dialed}`;
    this.placed.set(request.idempotencyKey, providerCallId);
    const { min, max } = this.o.callSeconds;
    const seconds = Math.round(min + this.random() * (max - min));
    const outcome = pickWeighted(this.random, { ...this.o.outcomes } as Record<SimulatedOutcome, number>);
    const start = this.o.clock.now().getTime();
    if (this.o.progressAfterSeconds !== undefined && seconds > this.o.progressAfterSeconds) {
      this.report(request, providerCallId, 'in_progress', start + this.o.progressAfterSeconds * 1000, null);
    }
    this.report(request, providerCallId, outcome, start + seconds * 1000, outcome === 'completed' ? seconds : 0);
    return { kind: 'confirmed', providerCallId };
  }

  async find(request: DialRequest): Promise<CallLookup> {
    const providerCallId = this.placed.get(request.idempotencyKey);
    return providerCallId === undefined ? { kind: 'not_found' } : { kind: 'found', providerCallId };
  }

  async close(): Promise<void> {
    for (const t of this.timers) this.o.clock.clearTimer(t);
    this.timers.clear();
  }

  private report(request: DialRequest, providerCallId: string, status: ProviderEventStatus, atMs: number, duration: number | null): void {
    const timer = this.o.clock.setTimer(new Date(atMs), () => {
      this.timers.delete(timer);
      const event = {
        call_id: request.callId, attempt: request.attempt, provider_call_id: providerCallId, status,
        duration_seconds: duration, occurred_at: new Date(atMs).toISOString(),
      };
      this.o.sink(event).catch((error: unknown) => {
        this.o.logger?.warn({ err: error, callId: request.callId, status }, 'simulated dialer could not report an outcome');
      });
    });
    this.timers.add(timer);
  }
}
