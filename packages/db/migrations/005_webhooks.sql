-- Outbound webhooks: subscriptions, and a transactional outbox of events with one
-- delivery row per (event, subscription).
--
-- Invariants:
--   * an event row is written in the same transaction as the change it reports
--     (packages/db outbox.ts), so a crash after commit loses nothing;
--   * one delivery per (event, subscription); its `status` only moves
--     pending → delivered | failed; `attempts` counts requests that left;
--   * a delivery being sent holds a lease (`lease_until`, `lease_token`), taken
--     with FOR UPDATE SKIP LOCKED: two processes never send it at once, and a
--     process that dies mid-send leaves a lease that simply expires;
--   * a receiver that fails is backed off as a whole: `retry_at` on the
--     subscription holds back all its deliveries (one retry wake per step, not
--     one per event); its first success sends the backlog at once;
--   * order per call (and per campaign) is the delivery id order within
--     (subscription_id, ordering_key): a delivery waits while an earlier one of
--     the same key is still pending;
--   * no `DEFAULT now()` on columns that decide when (DESIGN.md §11).
-- Safe on a live database: new tables only.

create table webhook_subscriptions (
  id          uuid primary key default gen_random_uuid(),
  url         text not null check (length(url) between 8 and 2000 and url ~ '^https?://'),
  events      text[] not null
              check (cardinality(events) between 1 and 7
                     and events <@ '{call.attempt_ended,call.completed,call.failed,campaign.completed,campaign.paused,campaign.resumed,campaign.cancelled}'::text[]),
  secret      text not null check (length(secret) >= 32),
  created_at  timestamptz not null,
  -- requests failed in a row (reset by any success), and when its deliveries may be tried again
  consecutive_failures integer not null default 0 check (consecutive_failures >= 0),
  retry_at    timestamptz
);

create table outbox_events (
  id            uuid primary key,
  seq           bigserial not null unique,
  type          text not null,
  -- 'call:<uuid>' or 'campaign:<uuid>': deliveries of one key go out in order
  ordering_key  text not null,
  -- the exact JSON body sent (and signed) on every attempt: { id, type, created_at, data }
  body          text not null,
  created_at    timestamptz not null
);

create table webhook_deliveries (
  id                bigserial primary key,
  event_id          uuid not null references outbox_events (id) on delete cascade,
  subscription_id   uuid not null references webhook_subscriptions (id) on delete cascade,
  ordering_key      text not null,
  status            text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts          integer not null default 0 check (attempts >= 0),
  next_attempt_at   timestamptz not null,
  give_up_at        timestamptz not null,
  lease_until       timestamptz,
  lease_token       uuid,
  last_attempt_at   timestamptz,
  last_status_code  integer,
  last_error        text,
  delivered_at      timestamptz,
  created_at        timestamptz not null,
  unique (event_id, subscription_id),
  check ((status = 'delivered') = (delivered_at is not null))
);

-- what is due, and the earliest pending delivery (the worker's wake plan)
create index webhook_deliveries_pending on webhook_deliveries (next_attempt_at) where status = 'pending';
-- "is an earlier delivery of this key still pending?"
create index webhook_deliveries_pending_order on webhook_deliveries (subscription_id, ordering_key, id) where status = 'pending';
-- GET /api/webhooks/:id/deliveries, newest first
create index webhook_deliveries_by_subscription on webhook_deliveries (subscription_id, id desc);
