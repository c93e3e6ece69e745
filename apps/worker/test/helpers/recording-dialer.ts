// A dialer for tests: records every request with the clock's time and answers
// as told (confirm by default). Optionally reports an outcome after a delay on
// the clock, applied straight to the database with the shared outcome logic and
// followed by a doorbell ring — what the API would do on the provider's POST.
import { applyProviderEvent, type Sql } from '@wakeplan/db';
import type { DialRequest, ProviderEventStatus } from '@wakeplan/contract';
import type { Clock } from '@wakeplan/runtime';
import type { Dialer, DialResult } from '../../src/dialers/dialer.ts';

export interface RecordedDial {
  request: DialRequest;
  at: Date;
}

export interface AutoOutcome {
  sql: Sql;
  afterMs: number;
  status: ProviderEventStatus | ((request: DialRequest) => ProviderEventStatus);
  /** Rung after each applied outcome (the doorbell). */
  ring?: () => void;
}

export class RecordingDialer implements Dialer {
  readonly name = 'recording';
  readonly dials: RecordedDial[] = [];
  answer: (request: DialRequest) => Promise<DialResult> = async () => ({ kind: 'confirmed', providerCallId: null });
  auto: AutoOutcome | null = null;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly clock: Clock, readonly resend: 'deduplicates' | 'reconciles' = 'reconciles') {}

  async dial(request: DialRequest): Promise<DialResult> {
    this.dials.push({ request, at: this.clock.now() });
    const result = await this.answer(request);
    if (this.auto && result.kind === 'confirmed') this.scheduleOutcome(request, this.auto);
    return result;
  }

  async close(): Promise<void> {}

  /** Resolves when every outcome reported so far has been applied. */
  async outcomesApplied(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  get pendingOutcomes(): number {
    return this.pending.size;
  }

  private scheduleOutcome(request: DialRequest, auto: AutoOutcome): void {
    const at = new Date(this.clock.now().getTime() + auto.afterMs);
    this.clock.setTimer(at, () => {
      const status = typeof auto.status === 'function' ? auto.status(request) : auto.status;
      const event = { call_id: request.callId, attempt: request.attempt, status, occurred_at: at.toISOString(), provider_call_id: `p-${request.idempotencyKey}` };
      const done = applyProviderEvent(auto.sql, event, this.clock.now(), { resultTimeoutMinutes: 30 }).then(() => auto.ring?.());
      this.pending.add(done);
      void done.finally(() => this.pending.delete(done));
    });
  }
}
