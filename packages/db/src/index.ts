// @wakeplan/db: the database side that the API, the worker and the CLI truly
// share. SQL only one app runs lives beside that app (apps/worker/src/sql,
// apps/api/src/repositories); the wire contract is @wakeplan/contract.
//
//   client.ts             pools (always with an idle timeout) and the LISTEN connection
//   errors.ts             Postgres SQLSTATEs by name
//   migrate.ts            forward-only migrations under an advisory lock, with checksums
//   database-env.ts       the variables that choose it, checked with the app's other settings
//   database.ts           which database (DATABASE_URL, else embedded in development); create/drop
//   embedded.ts           the embedded development Postgres
//   throwaway-database.ts a migrated database for one run (test template, simulate, benchmarks)
//   notify.ts             NOTIFY scheduler_changed inside the writing transaction (and the change mark)
//   plan-changes.ts       change marks: which campaigns changed since a reader's watermark
//   plan-copy.ts          the plan kept in memory by catching up on marks (worker, API status)
//   rows.ts               row shapes and the campaign row → calling window mapping
//   outcomes.ts           the outcome logic (provider events, worker, simulate)
//   consistency-check.ts  `wakeplan check`: every contact terminal or pending with a due time
//   plan-snapshot.ts      the plan input in one query (worker, API status, CLI)
//   plan-input.ts         the snapshot → schedule-core's PlanInput
//   dial-audit.ts         the compliance audit of dials (CLI `audit`, GET /api/audit/dials)
//   activity-ledger.ts    when each process touched the database: buffer, write (with pruning), read
//   outbox.ts             webhook events written in the changing transaction; earliest pending delivery
//   webhook-delivery.ts   claim (SKIP LOCKED, lease), signed POST, backoff for 24 h, then failed
// Tests import the per-file database helpers and fixtures from @wakeplan/db/testing.
export * from './client.ts';
export * from './errors.ts';
export * from './migrate.ts';
export * from './database-env.ts';
export * from './database.ts';
export * from './throwaway-database.ts';
export * from './notify.ts';
export * from './plan-changes.ts';
export * from './plan-copy.ts';
export * from './rows.ts';
export * from './plan-snapshot.ts';
export * from './plan-input.ts';
export * from './outcomes.ts';
export * from './dial-audit.ts';
export * from './consistency-check.ts';
export * from './activity-ledger.ts';
export * from './outbox.ts';
export * from './webhook-delivery.ts';
