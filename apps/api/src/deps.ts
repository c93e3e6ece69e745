// What the composition root hands to buildApp, and what route plugins receive.
// Tests build the same deps with a real database and their own config/clock.
import type { Sql } from '@wakeplan/db';
import type { Clock, Logger } from '@wakeplan/runtime';
import type { RequestLedger } from './activity/request-ledger.ts';
import type { ApiConfig } from './config.ts';
import type { ApiMetrics } from './metrics/api-metrics.ts';
import type { PlanWriter } from './plan-writer.ts';
import type { WebhookKicker } from './webhooks/webhook-sender.ts';
import type { PlanFollower } from './scheduler/plan-follower.ts';
import type { StatusService } from './scheduler/status-service.ts';

export interface AppDeps {
  sql: Sql;
  config: Readonly<ApiConfig>;
  logger: Logger;
  /** Where instants come from (the system clock by default); the API sets no timers, so `now` is all it reads. */
  clock?: Pick<Clock, 'now'>;
  /** Sends webhook deliveries after each commit (built from `sql` with the HTTP sender by default; `simulate` passes its own to await it). */
  webhooks?: WebhookKicker;
  /** The activity ledger fed by `sql`'s debug hook (main.ts); without one, nothing is recorded. */
  ledger?: RequestLedger;
  /** Prometheus metrics (GET /metrics); a fresh registry when not given. */
  metrics?: ApiMetrics;
}

/** Everything a route needs; built once in buildApp. */
export interface RouteDeps {
  sql: Sql;
  config: Readonly<ApiConfig>;
  now: () => Date;
  planWriter: PlanWriter;
  status: StatusService;
  /** The API's kept copy of the plan (the status and the plan preview read it). */
  plan: PlanFollower;
}
