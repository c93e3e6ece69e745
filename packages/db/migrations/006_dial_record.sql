-- What the audit needs, recorded at dial time (issue 15, DESIGN.md §6 "the dial rule").
--
--   call_attempts.dial_sent_at  the instant the attempt's request first left (the
--                               instant the dial rule was checked, in the claim's
--                               own transaction; the request leaves right after commit)
--   call_attempts.sends         how many times a request of this attempt left
--   call_attempts.next_send_at  when an unconfirmed attempt may be sent again (a
--                               wake reason of the worker); null when confirmed,
--                               ended, or for a dialer that can neither re-send nor look up
--   dial_sends                  one row per request that left, with what was in force
--                               then: campaign status, its window, the recipient's hours
--                               and zone — so `wakeplan audit` reads recorded facts only.
--
-- dial_sends has no foreign key on purpose: it is a compliance record that
-- outlives the rows it describes, and tests truncate the tables it reports on.
-- Safe on a live database: nullable or defaulted columns, a new table; rows
-- written before this migration simply have no dial record (the audit skips them).
alter table call_attempts
  add column dial_sent_at timestamptz,
  add column sends        integer not null default 0 check (sends >= 0),
  add column next_send_at timestamptz;

-- unconfirmed claims due for a re-send (the plan's `resend_due` wake)
create index call_attempts_next_send on call_attempts (next_send_at) where next_send_at is not null;

create table dial_sends (
  call_id          uuid not null,
  attempt          integer not null,
  send_no          integer not null check (send_no >= 1),
  sent_at          timestamptz not null,
  worker_id        text,
  campaign_id      uuid,
  -- null for a direct call (no campaign: no window, no hours)
  campaign_status  text,
  window_in_force  jsonb,
  recipient_hours  jsonb,
  recipient_zone   text,
  primary key (call_id, attempt, send_no)
);
create index dial_sends_sent_at on dial_sends (sent_at);
