// From one row of the plan read (plan-snapshot.ts) to the CampaignPlanRow the
// worker keeps in memory for every active campaign with work — 100,000 of them
// at scale (issue 11) — made small and cheap to build:
//   * the calling window arrives as ONE text column (the read's `calling_window`:
//     `first last days start end blackouts timezone`, see parseWindowText) and
//     identical windows — campaigns mostly share a few — become one shared,
//     frozen CallingWindow, parsed once; recipient hours likewise (jsonb sent as
//     text, one shared frozen object per distinct value);
//   * the commonest pending list — no recipient hours, work due "since forever"
//     (fresh contacts have no next_attempt_at) — is one shared frozen list.
//
// Invariants: what is shared is frozen, so a mutation throws instead of changing
// other campaigns' plans (the Dates inside are never mutated: nothing in
// Wakeplan mutates a Date); a shared value is a pure function of its text, so
// sharing never changes what a row says; the caches are bounded (cleared when
// full), so distinct windows seen over a long life cannot grow memory.
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

const NOTHING_PENDING: Pending = Object.freeze([]) as unknown as Pending;
const DUE_SINCE_FOREVER: Pending = Object.freeze([Object.freeze({ timezone: null, earliestDueAt: new Date(0) })]) as unknown as Pending;

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
const hours = new SharedByText((text) => Object.freeze(JSON.parse(text) as RecipientHours));

export function toCampaignPlanRow(r: PlanCampaignColumns): CampaignPlanRow {
  const window = windows.get(r.calling_window);
  const recipientHours = r.recipient_calling_hours === null ? null : hours.get(r.recipient_calling_hours);
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

/**
 * `HH:MM HH:MM {1,2,…} start end blackouts timezone`, single spaces: start and
 * end are YYYY-MM-DD or `-`; blackouts are YYYY-MM-DD joined by commas, sorted,
 * or `-`; the zone comes last, so it is the rest of the text whatever it holds.
 */
export function parseWindowText(text: string): CallingWindow {
  const parts = text.split(' ');
  if (parts.length < 7) throw new Error(`unreadable calling window text "${text}"`);
  const [first, last, days, start, end, blackouts] = parts as [string, string, string, string, string, string];
  const daysOfWeek = days.length <= 2 ? [] : days.slice(1, -1).split(',').map(Number);
  const blackoutDates = blackouts === '-' ? [] : blackouts.split(',');
  return Object.freeze({
    timezone: parts.slice(6).join(' '),
    firstCallTime: first,
    lastCallTime: last,
    daysOfWeek: Object.freeze(daysOfWeek) as number[],
    startDate: start === '-' ? null : start,
    endDate: end === '-' ? null : end,
    blackoutDates: Object.freeze(blackoutDates) as string[],
  });
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
