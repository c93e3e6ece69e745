-- wakeplan:no-transaction
-- Plan change marks (issue 11): every transaction that changes what a
-- campaign's plan looks like sets `plan_changed_xid` to its own transaction id,
-- in the same statement as its NOTIFY (packages/db plan-changes.ts). A reader
-- that remembers the xmin of the snapshot it last read at (its watermark) finds
-- every campaign changed since with one range scan of the index below — so a
-- worker that slept without LISTEN, whose doorbell may have been lost, catches
-- up on what changed instead of reading the whole plan again.
--
-- xid8 (Postgres 13+) never wraps around. Adding a nullable column without a
-- default is a catalogue change only (no table rewrite); the index is built
-- CONCURRENTLY so a live database keeps taking writes, and is partial: campaigns
-- never changed since the migration cost nothing. A build interrupted half-way
-- leaves an INVALID index: the drop first makes the migration safe to run again.
alter table campaigns add column if not exists plan_changed_xid xid8;
drop index concurrently if exists campaigns_plan_changed;
create index concurrently campaigns_plan_changed on campaigns (plan_changed_xid) where plan_changed_xid is not null;
