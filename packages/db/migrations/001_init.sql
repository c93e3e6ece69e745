-- Wakeplan's first schema.
--
-- Invariants the constraints keep (the reliability checks try to break them):
--   * a call in `dialing` or `in_progress` always has a result deadline and an attempt >= 1;
--   * one attempt row per (call, attempt): the primary key is what makes a second
--     claim of the same attempt impossible, whatever crashes;
--   * a campaign's contacts are unique by E.164 phone;
--   * no column that decides *when* has a DEFAULT now(): instants come from the
--     caller's clock, so the same SQL runs on a virtual clock (DESIGN.md §11).

create table campaigns (
  id                      uuid primary key default gen_random_uuid(),
  name                    text not null check (length(name) between 1 and 200),
  agent_id                text not null check (length(agent_id) between 1 and 200),
  status                  text not null default 'active'
                          check (status in ('active', 'paused', 'completed', 'cancelled')),
  timezone                text not null,
  first_call_time         text not null check (first_call_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  last_call_time          text not null check (last_call_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  days_of_week            smallint[] not null default '{1,2,3,4,5,6,7}'
                          check (cardinality(days_of_week) between 1 and 7
                                 and days_of_week <@ '{1,2,3,4,5,6,7}'::smallint[]),
  start_date              date,
  end_date                date,
  blackout_dates          date[] not null default '{}',
  max_concurrent_calls    integer not null default 1 check (max_concurrent_calls between 1 and 1000),
  calls_per_minute        integer check (calls_per_minute between 1 and 6000),
  max_attempts            integer not null default 3 check (max_attempts between 1 and 20),
  retry_delay_minutes     integer not null default 60 check (retry_delay_minutes between 0 and 525600),
  retry_on                text[] not null default '{no_answer,busy,failed}'
                          check (retry_on <@ '{no_answer,busy,voicemail,failed,unknown}'::text[]),
  recipient_calling_hours jsonb check (recipient_calling_hours is null
                                      or (recipient_calling_hours ? 'start' and recipient_calling_hours ? 'end')),
  default_country         text check (default_country ~ '^[A-Z]{2}$'),
  last_dial_at            timestamptz,
  created_at              timestamptz not null,
  updated_at              timestamptz not null,
  completed_at            timestamptz,
  check (start_date is null or end_date is null or start_date <= end_date),
  check ((status = 'completed') = (completed_at is not null))
);

-- A call is one recipient's job: a campaign contact, or a direct call (no campaign).
create table calls (
  id                 uuid primary key default gen_random_uuid(),
  campaign_id        uuid references campaigns (id) on delete cascade,
  phone              text not null check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  name               text,
  timezone           text,
  agent_id           text,
  variables          jsonb not null default '{}' check (jsonb_typeof(variables) = 'object'),
  status             text not null default 'queued'
                     check (status in ('queued', 'dialing', 'in_progress', 'unknown',
                                       'completed', 'failed', 'cancelled', 'expired')),
  attempt            integer not null default 0 check (attempt >= 0),
  next_attempt_at    timestamptz,
  result_deadline    timestamptz,
  provider_call_id   text,
  last_outcome       text,
  idempotency_key    text,
  request_hash       text,
  created_at         timestamptz not null,
  updated_at         timestamptz not null,
  -- a direct call names its agent; a campaign contact uses the campaign's
  check (campaign_id is not null or agent_id is not null),
  check (status not in ('dialing', 'in_progress', 'unknown') or (attempt >= 1 and result_deadline is not null)),
  check (idempotency_key is null or campaign_id is null)
);

create unique index calls_campaign_phone_key on calls (campaign_id, phone) where campaign_id is not null;
create unique index calls_idempotency_key on calls (idempotency_key) where idempotency_key is not null;
-- the claim query: queued work of one campaign, earliest first
create index calls_queued_by_campaign on calls (campaign_id, next_attempt_at nulls first, created_at)
  where status = 'queued';
-- direct calls waiting
create index calls_queued_direct on calls (next_attempt_at nulls first, created_at)
  where status = 'queued' and campaign_id is null;
-- calls in flight: caps, deadlines
create index calls_in_flight on calls (campaign_id, result_deadline)
  where status in ('dialing', 'in_progress', 'unknown');

-- One row per (call, attempt), inserted in the claim transaction. Its primary key
-- is the last line of defence against dialing the same attempt twice.
create table call_attempts (
  call_id           uuid not null references calls (id) on delete cascade,
  attempt           integer not null check (attempt >= 1),
  status            text not null default 'dialing'
                    check (status in ('dialing', 'in_progress', 'unknown', 'completed', 'no_answer',
                                      'busy', 'voicemail', 'failed', 'canceled')),
  worker_id         text,
  provider_call_id  text,
  claimed_at        timestamptz not null,
  confirmed_at      timestamptz,
  last_event_at     timestamptz,
  ended_at          timestamptz,
  duration_seconds  integer check (duration_seconds >= 0),
  error             text,
  primary key (call_id, attempt)
);

-- Raw provider events, kept for audit; duplicates are harmless by design.
create table provider_events (
  id                bigserial primary key,
  call_id           uuid not null,
  attempt           integer not null,
  status            text not null,
  provider_call_id  text,
  duration_seconds  integer,
  occurred_at       timestamptz not null,
  received_at       timestamptz not null,
  applied           boolean not null
);
create index provider_events_call on provider_events (call_id, attempt);

-- The account-wide concurrency cap: claims lock this one row FOR UPDATE, then count
-- calls in flight, so the cap holds across several workers.
create table account_semaphore (
  id integer primary key check (id = 1)
);
insert into account_semaphore (id) values (1);

-- What each worker last published, written only while it is connected anyway.
create table worker_state (
  worker_id         text primary key,
  state             text not null check (state in ('starting', 'dispatching', 'waiting', 'asleep', 'stopping')),
  next_wake_at      timestamptz,
  next_wake_reason  text,
  calls_in_flight   integer not null default 0,
  counters          jsonb not null default '{}',
  updated_at        timestamptz not null
);
