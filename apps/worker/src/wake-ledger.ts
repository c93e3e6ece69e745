// The worker's part of the activity ledger (packages/db activity-ledger.ts): one
// entry per wake — start, end, why it woke, statements, calls dialed, outcomes
// handled (dial results recorded and deadlines expired). The worker calls
// `wakeStarted` when a pass begins from rest and `wakeEnded` with the pool it is
// still holding at the end of the pass; the connector's observer calls `statement`.
//
// Invariants: the only write is in `wakeEnded`, on the connection the wake
// already used, before the worker rests — a sleeping worker writes nothing; a
// failed write keeps the entries for the next wake and never fails the pass.
import { randomUUID } from 'node:crypto';
import { LedgerBuffer, type Queryable } from '@wakeplan/db';
import type { WorkerCounters } from './counters.ts';

interface OpenWake {
  id: string;
  startedAt: Date;
  reason: string;
  statements: number;
  dialed: number;
  outcomes: number;
}

function outcomesOf(c: WorkerCounters): number {
  return c.confirmed + c.rejected + c.unconfirmed + c.deadlinesExpired;
}

export class WakeLedger {
  readonly buffer = new LedgerBuffer();
  private open: OpenWake | null = null;
  /** Statements seen outside any wake (e.g. the shutdown's last publish): counted into the next entry. */
  private stray = 0;

  statement(): void {
    if (this.open) this.open.statements++;
    else this.stray++;
  }

  wakeStarted(at: Date, reasons: string[], counters: WorkerCounters): void {
    if (this.open) return;
    this.open = {
      id: randomUUID(), startedAt: at, reason: reasons.join(', ') || 'unknown',
      statements: this.stray, dialed: counters.dialed, outcomes: outcomesOf(counters),
    };
    this.stray = 0;
  }

  /** A wake that failed: its entry waits in memory for the next wake's write. */
  wakeAborted(at: Date, counters: WorkerCounters): void {
    this.close(at, counters);
  }

  /** Closes the wake and writes every pending entry with `sql` (the pool the wake used). */
  async wakeEnded(sql: Queryable, at: Date, counters: WorkerCounters): Promise<unknown> {
    this.close(at, counters);
    return this.buffer.flush(sql, at).then(() => null, (error: unknown) => error);
  }

  private close(at: Date, counters: WorkerCounters): void {
    const w = this.open;
    if (!w) return;
    this.open = null;
    this.buffer.put({
      id: w.id, process: 'worker', startedAt: w.startedAt, endedAt: at < w.startedAt ? w.startedAt : at, reason: w.reason,
      statements: w.statements,
      details: { dialed: counters.dialed - w.dialed, outcomes: outcomesOf(counters) - w.outcomes },
    });
  }
}
