-- The activity ledger (issue 14): when each Wakeplan process touched the database.
-- The worker writes one row per wake, the API one per burst of requests; each
-- process keeps its rows in memory and writes them only while already connected
-- for other work, so recording never wakes the database. Rows older than 35 days
-- are pruned by the same statement that writes new ones.
--
-- A new table and index only: safe on a live database.
create table activity_ledger (
  id          uuid primary key,
  process     text not null check (process in ('worker', 'api')),
  started_at  timestamptz not null,
  ended_at    timestamptz not null check (ended_at >= started_at),
  reason      text not null,
  statements  integer not null default 0 check (statements >= 0),
  details     jsonb not null default '{}'
);

create index activity_ledger_ended_at on activity_ledger (ended_at);
