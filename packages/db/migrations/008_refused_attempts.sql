-- Issue 12: an attempt can end `refused` — the provider accepted the request and
-- then did not start the call (its own concurrency limit: Vapi
-- call.start.error-subscription-concurrency-limit-reached, Retell
-- concurrency_limit_reached), so nothing reached the recipient. Such an attempt
-- does not count toward max_attempts (packages/db/src/outcomes.ts).
--
-- calls.last_outcome carries no check, so only call_attempts.status widens.
-- Safe on a live database: the migration runs in one transaction, so the old
-- check never goes missing for other sessions; the new one only admits one more
-- value (every row passes); its validation is one scan of call_attempts under
-- the table lock, held for that scan only.
alter table call_attempts drop constraint if exists call_attempts_status_check;
alter table call_attempts add constraint call_attempts_status_check
  check (status in ('dialing', 'in_progress', 'unknown', 'completed', 'no_answer',
                    'busy', 'voicemail', 'failed', 'canceled', 'refused'));
