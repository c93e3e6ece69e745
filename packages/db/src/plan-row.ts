// From one row of the plan read (plan-snapshot.ts) to the CampaignPlanRow the
// worker keeps in memory for every active campaign with work — 100,000 of them
// at scale (issue 11) — made small and cheap to build:
//   * the calling window arrives as ONE text column (the read's `calling_window`:
//     `first last days start end blackouts timezone`, see parseWindowText) and
//     identical windows — campaigns mostly share a few — become one shared
//     CallingWindow, parsed once; recipient hours likewise (jsonb sent as text,
//     one shared object per distinct value);
//   * the commonest pending list — no recipient hours, work due "since forever"
//     (fresh contacts have no next_attempt_at) — is one shared list, and so is
//     the empty one (calls in flight only).
// About 180 bytes a campaign stay in memory (the row, its id, its Map entry).
//
// Invariants: shared values are never mutated — nothing in Wakeplan mutates a
// plan row, its window, its pending list or a Date (they are not frozen: V8
// walks frozen arrays by its slow generic path, which made the wake plan over
// 100,000 campaigns allocate 80 MB more); a shared value is a pure function of
// its text, so sharing never changes what a row says; the caches are bounded
// (cleared when full), so the distinct windows of a long life cannot grow memory.
import type { CallingWindow, RecipientHours } from '@wakeplan/schedule-core';
import type { CampaignPlanRow } from './plan-snapshot.ts';

/** One campaign row of the plan read, as postgres.js returns it. */
export interface PlanCampaignColumns {
  id: string;
  calling_window: string;
  recipient_calling_hours: string | null;
  max_concurrent_calls: number;
  calls_per_minute: number | null;
  last_dial_at: Date | null;
  in_flight: number;
  earliest_due_at: Date | null;
  unzoned_due_at: Date | null;
  zone_groups: { timezone: string; earliest_due_at: string }[] | null;
}

type Pending = CampaignPlanRow['pending'];

const NOTHING_PENDING: Pending = [];
const DUE_SINCE_FOREVER: Pending = [{ timezone: null, earliestDueAt: new Date(0) }];

/** A bounded map from a text to the one shared value it stands for. */
class SharedByText<T> {
  private readonly values = new Map<string, T>();
  constructor(private readonly make: (text: string) => T, private readonly max = 10_000) {}

  get(text: string): T {
    let value = this.values.get(text);
    if (value === undefined) {
      if (this.values.size >= this.max) this.values.clear();
      value = this.make(text);
      this.values.set(text, value);
    }
    return value;
  }
}

const windows = new SharedByText(parseWindowText);
const hours = new SharedByText((text) => JSON.parse(text) as RecipientHours);

/**
 * The plan row of `r`; `held` itself when it says exactly that (the worker's
 * current row: checked on the columns, before anything is built, so an
 * unchanged campaign allocates nothing that outlives the read — V8 would
 * otherwise learn that plan rows survive and allocate the discarded ones
 * straight into the old heap).
 */
export function toCampaignPlanRow(r: PlanCampaignColumns, held?: CampaignPlanRow): CampaignPlanRow {
  const window = windows.get(r.calling_window);
  const recipientHours = r.recipient_calling_hours === null ? null : hours.get(r.recipient_calling_hours);
  if (held && held.id === r.id && held.window === window && held.recipientHours === recipientHours
    && held.maxConcurrentCalls === r.max_concurrent_calls && held.callsPerMinute === r.calls_per_minute
    && held.inFlight === r.in_flight && sameInstant(held.lastDialAt, r.last_dial_at)) {
    if (recipientHours === null ? samePlainPending(held.pending, r.earliest_due_at)
      : samePending(held.pending, pendingGroups(r, true, window.timezone))) return held;
  }
  return {
    id: r.id,
    window,
    recipientHours,
    maxConcurrentCalls: r.max_concurrent_calls,
    callsPerMinute: r.calls_per_minute,
    lastDialAt: r.last_dial_at,
    inFlight: r.in_flight,
    pending: pendingGroups(r, recipientHours !== null, window.timezone),
  };
}

function sameInstant(a: Date | null, b: Date | null): boolean {
  return a === b || (a !== null && b !== null && a.getTime() === b.getTime());
}

/** Without recipient hours: no group, or one (timezone null) due at `due`. */
function samePlainPending(pending: Pending, due: Date | null): boolean {
  if (due === null) return pending.length === 0;
  return pending.length === 1 && pending[0]!.timezone === null && pending[0]!.earliestDueAt.getTime() === due.getTime();
}

function samePending(a: Pending, b: Pending): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.timezone !== b[i]!.timezone || a[i]!.earliestDueAt.getTime() !== b[i]!.earliestDueAt.getTime()) return false;
  }
  return true;
}

/**
 * `HH:MM HH:MM {1,2,…} start end blackouts timezone`, single spaces: start and
 * end are YYYY-MM-DD or `-`; blackouts are YYYY-MM-DD joined by commas, sorted,
 * or `-`; the zone comes last, so it is the rest of the text whatever it holds.
 */
function parseWindowText(text: string): CallingWindow {
  const parts = text.split(' ');
  if (parts.length < 7) throw new Error(`unreadable calling window text "${text}"`);
  const [first, last, days, start, end, blackouts] = parts as [string, string, string, string, string, string];
  const daysOfWeek = days.length <= 2 ? [] : days.slice(1, -1).split(',').map(Number);
  const blackoutDates = blackouts === '-' ? [] : blackouts.split(',');
  return {
    timezone: parts.slice(6).join(' '),
    firstCallTime: first,
    lastCallTime: last,
    daysOfWeek,
    startDate: start === '-' ? null : start,
    endDate: end === '-' ? null : end,
    blackoutDates,
  };
}

/** Without recipient hours one group; with them one per contact zone, contacts without a zone in the campaign's. */
function pendingGroups(r: PlanCampaignColumns, withHours: boolean, campaignZone: string): Pending {
  const due = r.earliest_due_at;
  if (due === null) return NOTHING_PENDING;
  if (!withHours) return due.getTime() === 0 ? DUE_SINCE_FOREVER : [{ timezone: null, earliestDueAt: due }];
  const byZone = new Map<string, Date>();
  const offer = (zone: string, at: Date) => {
    const known = byZone.get(zone);
    if (!known || at < known) byZone.set(zone, at);
  };
  if (r.unzoned_due_at) offer(campaignZone, r.unzoned_due_at);
  for (const g of r.zone_groups ?? []) offer(g.timezone, new Date(g.earliest_due_at));
  return [...byZone].map(([timezone, earliestDueAt]) => ({ timezone, earliestDueAt }));
}
