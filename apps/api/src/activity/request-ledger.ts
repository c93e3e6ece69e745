// The API's part of the activity ledger (packages/db activity-ledger.ts): one
// entry per burst of requests that touched the database — start, end (its last
// statement), statements, and statements by route family (`campaigns`, `calls`,
// `scheduler`, `provider`, …). The pool's `debug` hook calls `statement()`; a
// statement is counted to the family of the requests in flight when they share
// one, else to `concurrent` (none in flight: `other`). No AsyncLocalStorage: on
// Node 20 it would put a hook on every promise of the process.
//
// Invariants: recording never causes activity — entries are written only by
// `afterRequest`, right after a request during which statements ran (a
// connection is open and the database awake), at most once per FLUSH_EVERY_MS
// unless a finished burst is waiting; a request that ran none writes nothing;
// a burst ends when BURST_GAP_MS pass with no statement. A process killed before
// writing loses the entries still in memory: at most the last FLUSH_EVERY_MS of
// its current burst and any burst not yet written.
import { randomUUID } from 'node:crypto';
import { LedgerBuffer, type LedgerEntry, type Queryable } from '@wakeplan/db';

const BURST_GAP_MS = 60_000;
const FLUSH_EVERY_MS = 60_000;
const MAX_REMEMBERED = 20_000;

/** A request as the ledger sees it: its family, and the statement count when it began. */
export interface RequestMark { family: string; statementsBefore: number }

interface Burst { id: string; startedAt: Date; endedAt: Date; statements: number; byFamily: Record<string, number> }

/** `/api/campaigns/:id/contacts` → `campaigns`; anything outside /api → its first segment. */
export function routeFamily(routeUrl: string | undefined): string {
  const parts = (routeUrl ?? '').split('/').filter(Boolean);
  const family = parts[0] === 'api' ? parts[1] : parts[0];
  return family && /^[a-z][a-z0-9-]*$/.test(family) ? family : 'other';
}

export class RequestLedger {
  readonly buffer = new LedgerBuffer();
  private readonly inFlight = new Map<string, number>();
  private statements = 0;
  private burst: Burst | null = null;
  /** This process's own entries of the retention period, written or not (the report's view of its own bursts). */
  private readonly mine = new Map<string, LedgerEntry>();
  private lastFlushMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => Date) {}

  /** A request began (its route pattern, e.g. `/api/campaigns/:id`). */
  requestStarted(routeUrl: string | undefined): RequestMark {
    const family = routeFamily(routeUrl);
    this.inFlight.set(family, (this.inFlight.get(family) ?? 0) + 1);
    return { family, statementsBefore: this.statements };
  }

  /** One statement sent on the API's pool (its `debug` hook). */
  statement(): void {
    const at = this.now();
    this.statements++;
    if (this.burst && at.getTime() - this.burst.endedAt.getTime() > BURST_GAP_MS) this.closeBurst();
    const b = this.burst ??= { id: randomUUID(), startedAt: at, endedAt: at, statements: 0, byFamily: {} };
    if (at > b.endedAt) b.endedAt = at;
    b.statements++;
    const family = this.inFlight.size === 1 ? this.inFlight.keys().next().value! : this.inFlight.size === 0 ? 'other' : 'concurrent';
    b.byFamily[family] = (b.byFamily[family] ?? 0) + 1;
  }

  /** After a request: ends it, and writes pending entries with `sql` if statements ran while it did (the database is awake). */
  async afterRequest(mark: RequestMark, sql: Queryable): Promise<unknown> {
    const left = (this.inFlight.get(mark.family) ?? 1) - 1;
    if (left > 0) this.inFlight.set(mark.family, left);
    else this.inFlight.delete(mark.family);
    if (this.statements === mark.statementsBefore) return null;
    const at = this.now();
    if (this.burst && at.getTime() - this.lastFlushMs < FLUSH_EVERY_MS && this.buffer.size === 0) return null;
    this.lastFlushMs = at.getTime();
    if (this.burst) this.buffer.put(this.remember(this.entryOf(this.burst)));
    return this.buffer.flush(sql, at).then(() => null, (error: unknown) => error);
  }

  /** This process's entries since `from`, the current burst included, written or not (the report adds them to what it reads). */
  recent(from: Date): LedgerEntry[] {
    if (this.burst) this.remember(this.entryOf(this.burst));
    for (const [id, e] of this.mine) if (e.endedAt < from) this.mine.delete(id);
    return [...this.mine.values()];
  }

  private closeBurst(): void {
    if (this.burst) this.buffer.put(this.remember(this.entryOf(this.burst)));
    this.burst = null;
  }

  private remember(entry: LedgerEntry): LedgerEntry {
    this.mine.set(entry.id, entry);
    if (this.mine.size > MAX_REMEMBERED) this.mine.delete(this.mine.keys().next().value!);
    return entry;
  }

  private entryOf(b: Burst): LedgerEntry {
    return { id: b.id, process: 'api', startedAt: b.startedAt, endedAt: b.endedAt, reason: 'requests', statements: b.statements, details: { ...b.byFamily } };
  }
}
