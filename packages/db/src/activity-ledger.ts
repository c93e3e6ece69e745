// The activity ledger's storage and its in-memory buffer, shared by the worker
// (one entry per wake) and the API (one per burst of requests).
//
// Invariants: nothing here opens a connection on its own — `flush` writes with the
// client its caller is already using for other work (the end of a wake, a request
// that just ran statements), so recording activity never causes activity; an
// entry stays in memory until a write of it succeeded (a process killed before
// then loses at most those entries); entries are upserted by id, so an open
// entry may be written again as it grows; the write also prunes what is older
// than LEDGER_RETENTION_DAYS, in the same statement.
import type { Queryable } from './client.ts';

export const LEDGER_RETENTION_DAYS = 35;
/** Entries kept in memory at most while none can be written (the oldest are dropped first). */
const MAX_PENDING = 10_000;

export type LedgerProcess = 'worker' | 'api';

export interface LedgerEntry {
  id: string;
  process: LedgerProcess;
  startedAt: Date;
  endedAt: Date;
  /** Why the worker woke (its hints' reasons), or `requests` for an API burst. */
  reason: string;
  statements: number;
  /** Counts: the worker's dialed and outcomes; the API's statements per route family. */
  details: Record<string, number>;
}

/** Writes (upserts) the entries and prunes rows ended before the retention period, in one statement. */
export async function writeLedgerEntries(sql: Queryable, entries: readonly LedgerEntry[], at: Date): Promise<void> {
  const cutoff = new Date(at.getTime() - LEDGER_RETENTION_DAYS * 86_400_000);
  const rows = entries.map((e) => ({
    id: e.id, process: e.process, started_at: e.startedAt.toISOString(), ended_at: e.endedAt.toISOString(),
    reason: e.reason.slice(0, 200), statements: e.statements, details: e.details,
  }));
  await sql`
    with pruned as (delete from activity_ledger where ended_at < ${cutoff})
    insert into activity_ledger (id, process, started_at, ended_at, reason, statements, details)
    select id, process, started_at, ended_at, reason, statements, details
    from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb)
      as x(id uuid, process text, started_at timestamptz, ended_at timestamptz, reason text, statements integer, details jsonb)
    on conflict (id) do update set ended_at = excluded.ended_at, reason = excluded.reason,
      statements = excluded.statements, details = excluded.details`;
}

/** The entries that overlap [from, to), oldest first. */
export async function readLedgerEntries(sql: Queryable, from: Date, to: Date): Promise<LedgerEntry[]> {
  const rows = await sql<{ id: string; process: LedgerProcess; started_at: Date; ended_at: Date; reason: string; statements: number; details: Record<string, number> }[]>`
    select id, process, started_at, ended_at, reason, statements, details from activity_ledger
    where ended_at >= ${from} and started_at < ${to}
    order by started_at, id`;
  return rows.map((r) => ({
    id: r.id, process: r.process, startedAt: r.started_at, endedAt: r.ended_at, reason: r.reason, statements: r.statements, details: r.details,
  }));
}

/** Entries not yet written, latest version of each; written with a client already in use. */
export class LedgerBuffer {
  private readonly pending = new Map<string, LedgerEntry>();

  put(entry: LedgerEntry): void {
    this.pending.delete(entry.id);
    this.pending.set(entry.id, { ...entry, details: { ...entry.details } });
    if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
  }

  unwritten(): LedgerEntry[] {
    return [...this.pending.values()];
  }

  get size(): number {
    return this.pending.size;
  }

  /** Writes what is pending with `sql` (a client the caller is already using). Throws if the write fails; nothing is lost then. */
  async flush(sql: Queryable, at: Date): Promise<void> {
    const batch = this.unwritten();
    if (batch.length === 0) return;
    await writeLedgerEntries(sql, batch, at);
    for (const e of batch) if (this.pending.get(e.id) === e) this.pending.delete(e.id);
  }
}
