// The API's share of webhook delivery: right after a commit that may have
// enqueued events (an outcome, a lifecycle change), send what is due — in the
// background, bounded, while the database is awake anyway. Retries are not the
// API's job: it sets no timers; the worker plans them into its wake plan.
//
// Invariants: never holds up or fails a request (errors are logged); kicks
// coalesce into at most one run at a time plus one queued behind it; each run is
// bounded (rounds × batch) and each request by a timeout; claims use the shared
// SKIP LOCKED lease, so the API and workers never send one delivery at once.
import { deliverDueWebhooks, httpWebhookSender, type Sql, type WebhookSender } from '@wakeplan/db';
import type { Logger } from '@wakeplan/runtime';

export interface WebhookKicker {
  /** After a commit: send due deliveries soon, in the background. */
  kick(): void;
  /** Resolves when no run is in progress (shutdown, tests). */
  settled(): Promise<void>;
}

export interface WebhookKickerOptions {
  sql: Sql;
  logger: Logger;
  now: () => Date;
  send?: WebhookSender;
}

export function createWebhookKicker(o: WebhookKickerOptions): WebhookKicker {
  const send = o.send ?? httpWebhookSender();
  let running: Promise<void> | null = null;
  let again = false;

  async function run(): Promise<void> {
    do {
      again = false;
      const report = await deliverDueWebhooks(o.sql, { now: o.now, send, maxRounds: 5 }).catch((error: unknown) => {
        o.logger.warn({ err: error }, 'webhook delivery after commit failed; the worker retries at its planned wake');
        return null;
      });
      if (report && report.attempted > report.delivered) {
        o.logger.info(report, 'webhook deliveries not accepted; retried later with backoff');
      }
    } while (again);
  }

  return {
    kick() {
      if (running) {
        again = true;
        return;
      }
      running = run().finally(() => {
        running = null;
      });
    },
    async settled() {
      while (running) await running;
    },
  };
}
