// What the composition root hands to buildApp, and what route plugins receive.
// Tests build the same deps with a real database and their own config/clock.
import type { Sql } from '@wakeplan/db';
import type { Logger } from 'pino';
import type { ApiConfig } from './config.ts';
import type { PlanWriter } from './wake-worker.ts';
import type { StatusService } from './scheduler/status-service.ts';

export interface Clock {
  now(): Date;
}

export interface AppDeps {
  sql: Sql;
  config: Readonly<ApiConfig>;
  logger: Logger;
  clock?: Clock;
}

/** Everything a route needs; built once in buildApp. */
export interface RouteDeps {
  sql: Sql;
  config: Readonly<ApiConfig>;
  now: () => Date;
  planWriter: PlanWriter;
  status: StatusService;
}
