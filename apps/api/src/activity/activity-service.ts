// The activity report for `GET /api/scheduler/activity`: the ledger's rows of the
// retention period, read once and kept while nothing can have changed them,
// merged with this process's own bursts (which it knows in memory, written or
// not), then summarised for the requested days.
//
// Invariants: a status page left open never wakes the database through this
// route — the rows are re-read only when the change token moved (a write through
// this API, or the worker acted: its counters move with every wake, the only time
// it writes the ledger), when no token can be had (no worker answers), or after
// MAX_AGE_MS; everything else is computed from memory at the request's instant.
import { LEDGER_RETENTION_DAYS, readLedgerEntries, type LedgerEntry, type Sql } from '@wakeplan/db';
import type { ChangeToken } from '../plugins/conditional-get.ts';
import { buildActivityReport, type ActivityReport, type ActivitySettings } from './activity-report.ts';
import type { RequestLedger } from './request-ledger.ts';

const MAX_AGE_MS = 15 * 60_000;

export interface ActivityService {
  report(days: number): Promise<ActivityReport>;
}

export function createActivityService(o: {
  sql: Sql; ledger: RequestLedger; changes: ChangeToken; now: () => Date; settings: ActivitySettings;
}): ActivityService {
  let cached: { token: string; readAtMs: number; rows: Promise<LedgerEntry[]> } | null = null;
  return {
    async report(days) {
      const token = await o.changes.current();
      const at = o.now();
      const fresh = cached !== null && token !== null && cached.token === token && at.getTime() - cached.readAtMs < MAX_AGE_MS;
      let rows: Promise<LedgerEntry[]>;
      if (fresh) rows = cached!.rows;
      else {
        const from = new Date(at.getTime() - LEDGER_RETENTION_DAYS * 86_400_000);
        rows = readLedgerEntries(o.sql, from, at);
        const entry = token === null ? null : { token, readAtMs: at.getTime(), rows };
        cached = entry;
        rows.catch(() => {
          if (cached === entry) cached = null;
        });
      }
      const merged = new Map((await rows).map((e) => [e.id, e]));
      for (const e of o.ledger.recent(new Date(at.getTime() - days * 86_400_000))) merged.set(e.id, e);
      return buildActivityReport([...merged.values()], at, days, o.settings);
    },
  };
}
