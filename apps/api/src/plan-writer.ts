// Every write that changes the plan goes through here: its SQL and the
// `NOTIFY scheduler_changed` run in ONE transaction, then — after commit, without
// holding up the response — the worker's doorbell is rung.
//
// Invariants: the notification is sent with `select pg_notify(...)` inside the
// transaction, so it is delivered on commit only and never after a rollback; the
// doorbell is rung only after a commit, its failure is logged and never reaches
// the request; a write that changed nothing (`notify: null`) wakes nobody; work
// whose shared logic already sent the NOTIFY in the transaction (`sent: true`,
// the outcome logic's `call_finished`) is not notified twice, only rung for.
// Rings coalesce: while one is on its way, later commits queue a single next
// ring, sent when it finishes — so every commit is followed by a ring that
// started after it, and a burst of writes is not a burst of HTTP requests.
// A ring names the requests whose writes it announces (at most the last
// MAX_RING_REQUEST_IDS of a coalesced burst), so the worker's wake log leads back
// to them. Every committed write also bumps `version()`, the API's change counter (the
// conditional GETs' shortcut, plugins/conditional-get.ts).
import { buildNotification, type NotifyKind } from '@wakeplan/contract';
import { notifySchedulerChanged, type Sql, type TransactionSql } from '@wakeplan/db';
import type { Logger } from '@wakeplan/runtime';
import { ringDoorbell, type RingResult } from './worker-link/doorbell.ts';

interface PlanWrite<T> {
  result: T;
  /**
   * The ids for the payload (and a more precise kind), or null when the write turned out to change nothing.
   * `sent: true`: the work already sent this NOTIFY inside the transaction; only the doorbell is left.
   */
  notify: { kind?: NotifyKind; campaignId?: string; callId?: string; sent?: true } | null;
}

export interface PlanWriter {
  /** `requestId`: the API request making the write, named on the doorbell it rings. */
  write<T>(kind: NotifyKind, at: Date, work: (tx: TransactionSql) => Promise<PlanWrite<T>>, requestId?: string): Promise<T>;
  /** How many plan-changing writes this process has committed; bumped after each commit. */
  version(): number;
  /** Resolves when every doorbell rung so far has finished (for shutdown and tests). */
  settled(): Promise<void>;
}

export interface PlanWriterOptions {
  sql: Sql;
  logger: Logger;
  doorbellUrl: string | undefined;
  wakeToken: string | undefined;
  /** Called after each committed plan change, with its kind (the status cache drops its copy; webhooks are sent). */
  onCommitted?: (kind: NotifyKind) => void;
  /** Called with each doorbell ring's result (metrics). */
  onRing?: (result: RingResult) => void;
}

const MAX_RING_REQUEST_IDS = 20;

export function createPlanWriter(options: PlanWriterOptions): PlanWriter {
  let ringing: Promise<void> | null = null;
  let queued: { kind: NotifyKind; requestIds: string[] } | null = null;
  let version = 0;

  function ring(kind: NotifyKind, requestIds: string[]): void {
    if (ringing) {
      queued = { kind, requestIds: [...(queued?.requestIds ?? []), ...requestIds].slice(-MAX_RING_REQUEST_IDS) };
      return;
    }
    ringing = ringDoorbell(kind, {
      url: options.doorbellUrl,
      token: options.wakeToken,
      requestIds,
      onFailure: (reason) => options.logger.warn({ kind, reason }, 'worker doorbell failed; the worker will see the change at its next wake'),
    }).then(
      (result) => void options.onRing?.(result),
      (error: unknown) => void options.logger.warn({ err: error }, 'worker doorbell threw'),
    ).finally(() => {
      ringing = null;
      const next = queued;
      queued = null;
      if (next) ring(next.kind, next.requestIds);
    });
  }

  return {
    async write(kind, at, work, requestId) {
      const { result, notified } = await options.sql.begin(async (tx) => {
        const change = await work(tx);
        const note = change.notify ? { ...change.notify, kind: change.notify.kind ?? kind } : null;
        if (note && !note.sent) await notifySchedulerChanged(tx, buildNotification(note.kind, at, note));
        return { result: change.result, notified: note?.kind ?? null };
      });
      version++; // even a write that wakes nobody (a progress event) may have changed what a GET shows
      if (notified) {
        options.onCommitted?.(notified);
        ring(notified, requestId ? [requestId] : []);
      }
      return result;
    },
    version: () => version,
    async settled() {
      while (ringing) await ringing;
    },
  };
}
