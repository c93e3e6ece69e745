// The simulation's dialer: accepts every call at once and reports its outcome
// after the scenario's call duration, through the same outcome logic the
// provider-events route uses. The outcome of (phone, attempt) is fixed by the
// scenario's seed, so every mode and the ideal schedule dial the same work.
import type { DialRequest } from '@wakeplan/contract';
import type { Clock, TimerHandle } from '@wakeplan/runtime';
import type { Dialer, DialResult, OutcomeSink } from '@wakeplan/worker';
import type { Scenario } from './scenario.ts';
import { simulatedOutcome } from './sim-outcomes.ts';

export interface DialRecord { at: number; callId: string; campaignId: string | null; phone: string; attempt: number }
export interface OutcomeRecord { at: number; callId: string; campaignId: string | null; attempt: number; outcome: string }

export class ScenarioDialer implements Dialer {
  readonly name = 'scenario';
  readonly resend = 'reconciles' as const;
  readonly dials: DialRecord[] = [];
  readonly outcomes: OutcomeRecord[] = [];
  private readonly timers = new Set<TimerHandle>();

  constructor(private readonly clock: Clock, private readonly scenario: Scenario, private readonly sink: OutcomeSink) {}

  async dial(request: DialRequest): Promise<DialResult> {
    const at = this.clock.now().getTime();
    this.dials.push({ at, callId: request.callId, campaignId: request.campaignId, phone: request.to, attempt: request.attempt });
    const outcome = simulatedOutcome(this.scenario.seed, request.to, request.attempt, this.scenario.outcomeShares);
    const endAt = at + this.scenario.durationSeconds * 1000;
    const timer = this.clock.setTimer(new Date(endAt), () => {
      this.timers.delete(timer);
      this.outcomes.push({ at: endAt, callId: request.callId, campaignId: request.campaignId, attempt: request.attempt, outcome });
      void this.sink({
        call_id: request.callId, attempt: request.attempt, provider_call_id: `scn-${request.callId}-${request.attempt}`,
        status: outcome, duration_seconds: outcome === 'completed' ? this.scenario.durationSeconds : 0,
        occurred_at: new Date(endAt).toISOString(),
      });
    });
    this.timers.add(timer);
    return { kind: 'confirmed', providerCallId: `scn-${request.callId}-${request.attempt}` };
  }

  async close(): Promise<void> {
    for (const t of this.timers) this.clock.clearTimer(t);
    this.timers.clear();
  }
}
