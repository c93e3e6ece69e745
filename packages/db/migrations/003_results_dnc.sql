-- Per-contact results and the do-not-call list (issue 13).
--
-- Invariants:
--   * a campaign's contacts are paged in byte order of their E.164 phone: the
--     phone never changes and is unique within a campaign, so a keyset cursor
--     on it neither skips nor repeats a contact however often statuses change
--     while a client pages. The index is in C collation so the cursor compare
--     and the `phone` prefix filter (a LIKE 'prefix%') are index range scans
--     whatever the database's default collation is;
--   * a number on `do_not_call` is never dialed by any campaign or direct call:
--     the worker checks the list in its claim transaction (apps/worker/src/sql/
--     do-not-call.ts), so a number listed after its contacts were imported is
--     still protected;
--   * `source` says who listed it: the API, a CSV import, or (room for it) a
--     provider outcome meaning "do not call me".
-- Both statements are plain DDL on a new table and one index build; the index
-- build takes a share lock on `calls` for its duration (seconds at 100,000s of
-- rows), as every migration here runs in the migrator's one transaction.

create index calls_campaign_phone_c on calls (campaign_id, (phone collate "C")) where campaign_id is not null;

create table do_not_call (
  phone       text primary key check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  reason      text check (reason is null or length(reason) between 1 and 500),
  source      text not null check (source in ('api', 'import', 'provider')),
  created_at  timestamptz not null
);
-- paging the list by phone in byte order
create index do_not_call_phone_c on do_not_call ((phone collate "C"));
