// The CLI's help text: one place, shown by `wakeplan help` and on a usage error.
export const USAGE = `wakeplan — Wakeplan's command line

Usage:
  wakeplan migrate                                   apply database migrations
  wakeplan notify [--channel C] [--ring] [--raw] '<json>'
                                                     send one NOTIFY (checked against the contract unless --raw);
                                                     --ring also rings the worker's doorbell (a sleeping worker does not listen)
  wakeplan record --out F.jsonl [--channel C] [--duration S]
                                                     LISTEN and append one JSON line per notification
  wakeplan replay F.jsonl [--speed N | --no-delay] [--ring]
                                                     re-send recorded notifications, keeping their spacing / N
  wakeplan plan [--days N] [--json]                  the coming wakes and each campaign's open windows
  wakeplan status [--json]                           the same data as GET /api/scheduler/status
  wakeplan audit [--days N] [--json]                 dials of the last N days (default 1) against the dial rule:
                                                     outside window or recipient hours, campaign not active, a
                                                     second live attempt; exits 1 when it finds any
  wakeplan check [--json] [--grace MIN]              every contact terminal or pending with a known due time, no active
                                                     campaign with nothing pending, no two live attempts for one contact;
                                                     exits 1 with one line per violation (in flight past its deadline by
                                                     more than --grace minutes, default 10, counts as one)
  wakeplan simulate --scenario F.json [--days N] [--suspend-after MIN] [--cu N] [--json] [--svg OUT.svg] [--modes M,…]
                                                     run a scenario on a virtual clock: wake plan vs polling

Database: DATABASE_URL, else the embedded development Postgres (see README).
Doorbell: WORKER_WAKE_URL and WAKE_TOKEN.`;
