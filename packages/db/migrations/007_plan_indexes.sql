-- wakeplan:no-transaction
-- The plan read's loose index scan of contact zones (issue 11): for a campaign
-- with recipient calling hours, its distinct contact zones and each zone's
-- earliest due are found by one index probe each, instead of a scan and a group
-- by over the campaign's queued contacts.
--
-- Built CONCURRENTLY, so a live database keeps taking writes to `calls` while it
-- builds; that cannot run inside a transaction, hence the marker above (the
-- runner applies such a migration statement by statement, under its session
-- advisory lock). A build interrupted half-way leaves an INVALID index: the drop
-- first makes the migration safe to run again.
drop index concurrently if exists calls_queued_by_campaign_zone;
create index concurrently calls_queued_by_campaign_zone on calls (campaign_id, timezone, next_attempt_at nulls first)
  where status = 'queued';
