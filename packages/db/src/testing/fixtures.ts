// Rows for tests and benchmarks, written straight to the database where the API
// is not what is under test, and the small waits tests share.
//
// Invariants: every instant is given (no column that decides *when* takes a
// default from the server's clock); phone numbers are distinct within a process
// and the same on every run (no randomness), and valid New York numbers, so the
// API's own validation accepts them too; a campaign inserted, or given
// contacts, is marked changed (plan_changed_xid) as the API's writes mark it, so
// a worker catching up after sleeping finds it (packages/db plan-changes.ts).
import type { Queryable } from '../client.ts';
import { markPlanChanged } from '../plan-changes.ts';

/** Monday 2 March 2026, 07:00 in New York (12:00Z): before a 09:00–17:00 window opens. */
export const T0 = new Date('2026-03-02T12:00:00Z');
/** The same Monday, 10:00 in New York (15:00Z): inside a 09:00–17:00 window. */
export const OPEN = new Date('2026-03-02T15:00:00Z');

const FIRST_LINE = 2_000_000;
const LINES = 8_000_000;

/** The `i`-th test phone number: +1 212 200-0000 onwards, E.164. */
export function phoneNumber(i: number): string {
  if (!Number.isInteger(i) || i < 0 || i >= LINES) throw new RangeError(`phoneNumber(${i}): 0 <= i < ${LINES}`);
  return `+1212${FIRST_LINE + i}`;
}

// Numbers handed out by the fixtures start high, clear of the small indexes tests pass to phoneNumber().
let nextLine = LINES / 2;

/** `n` phone numbers no fixture has handed out before in this process. */
export function nextPhones(n: number): string[] {
  const first = nextLine;
  nextLine += n;
  return Array.from({ length: n }, (_, k) => phoneNumber(first + k));
}

export interface CampaignFields {
  name?: string;
  agent_id?: string;
  timezone?: string;
  first_call_time?: string;
  last_call_time?: string;
  days_of_week?: number[];
  start_date?: string | null;
  end_date?: string | null;
  blackout_dates?: string[];
  max_concurrent_calls?: number;
  calls_per_minute?: number | null;
  max_attempts?: number;
  retry_delay_minutes?: number;
  retry_on?: string[];
  recipient_calling_hours?: { start: string; end: string } | null;
  status?: string;
}

/** A campaign open 09:00–17:00 New York time unless `fields` say otherwise; returns its id. */
export async function insertCampaign(sql: Queryable, fields: CampaignFields = {}, at: Date = T0): Promise<string> {
  const row = {
    name: 'test campaign', agent_id: 'agent-1', timezone: 'America/New_York', first_call_time: '09:00',
    last_call_time: '17:00', created_at: at, updated_at: at, ...fields,
  };
  const [inserted] = await sql<{ id: string }[]>`insert into campaigns ${sql(row as never)} returning id`;
  await markPlanChanged(sql, inserted!.id);
  return inserted!.id;
}

export interface ContactFields {
  timezone?: string | null;
  next_attempt_at?: Date | null;
}

/** Adds `n` queued contacts to a campaign, created 1 µs apart (so in this order); returns their ids in that order. */
export async function insertContacts(sql: Queryable, campaignId: string, n: number, at: Date = T0, extra: ContactFields = {}): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    insert into calls (campaign_id, phone, timezone, next_attempt_at, created_at, updated_at)
    select ${campaignId}, p.phone, ${extra.timezone ?? null}, ${extra.next_attempt_at ?? null},
           ${at}::timestamptz + (p.ord || ' microseconds')::interval, ${at}
    from unnest(${nextPhones(n)}::text[]) with ordinality as p(phone, ord)
    order by p.ord
    returning id`;
  await markPlanChanged(sql, campaignId);
  return rows.map((r) => r.id);
}

/** A queued direct call (no campaign), due at once or at `notBefore`; returns its id. */
export async function insertDirectCall(sql: Queryable, at: Date = T0, notBefore: Date | null = null): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into calls (agent_id, phone, next_attempt_at, created_at, updated_at)
    values ('agent-direct', ${nextPhones(1)[0]!}, ${notBefore}, ${at}, ${at}) returning id`;
  return row!.id;
}

/**
 * Puts queued calls where a worker's claim leaves them — `dialing` on their
 * next attempt, with an attempt row and a result deadline — for tests of what
 * comes after a claim. (The claim itself is apps/worker sql/claims.ts.)
 */
export async function markDialing(sql: Queryable, callIds: string[], at: Date, resultDeadline: Date): Promise<void> {
  const rows = await sql<{ id: string; attempt: number }[]>`
    update calls set status = 'dialing', attempt = attempt + 1, result_deadline = ${resultDeadline}, next_attempt_at = null, updated_at = ${at}
    where id = any(${callIds}::uuid[]) and status = 'queued' returning id, attempt`;
  const attempts = rows.map((r) => ({ call_id: r.id, attempt: r.attempt, status: 'dialing', worker_id: 'test', claimed_at: at }));
  if (attempts.length > 0) await sql`insert into call_attempts ${sql(attempts)}`;
}

/** How many calls (of one campaign, or all) are in each state. */
export async function callStatuses(sql: Queryable, campaignId: string | null = null): Promise<Record<string, number>> {
  const rows = campaignId
    ? await sql<{ status: string; n: number }[]>`select status, count(*)::int as n from calls where campaign_id = ${campaignId} group by status`
    : await sql<{ status: string; n: number }[]>`select status, count(*)::int as n from calls group by status`;
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/**
 * Waits in real time for something another process or connection does (a
 * backend terminated, a notification delivered), polling until `check` holds.
 * Never a timed assertion: the bound is generous and only says "it happened".
 */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
