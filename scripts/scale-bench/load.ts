// Loads the scale benchmark's data straight into Postgres with generate_series
// (not through HTTP: a million contacts load in seconds): K active campaigns of
// N queued contacts each, every window opening `opensInHours` from `at` (UTC,
// eight hours long), cap 1 per campaign, no pacing. Then VACUUM ANALYZE, as a
// live database's autovacuum would leave it after a bulk insert: statistics, and
// the visibility map that lets counting a page's queued contacts read the index
// alone (without it, those counts read the heap, and grow with the table).
//
// Invariants: phones are unique per campaign (+1555 and the contact's number);
// created_at/updated_at come from `at`, never now().
import type { Sql } from '@wakeplan/db';

export interface ScaleSize {
  campaigns: number;
  contacts: number;
}

export function parseSizes(text: string): ScaleSize[] {
  return text.split(',').map((part) => {
    const m = /^(\d+)x(\d+)$/.exec(part.trim());
    if (!m) throw new Error(`--sizes takes KxN[,KxN…] (campaigns x contacts), got "${part}"`);
    return { campaigns: Number(m[1]), contacts: Number(m[2]) };
  });
}

export function sizeLabel(s: ScaleSize): string {
  return `${s.campaigns.toLocaleString('en')} × ${s.contacts.toLocaleString('en')}`;
}

function hhmm(d: Date): string {
  return d.toISOString().slice(11, 16);
}

/** Returns how long the load took, in ms. */
export async function loadScale(sql: Sql, size: ScaleSize, at: Date, opensInHours = 3): Promise<number> {
  const started = performance.now();
  const first = hhmm(new Date(at.getTime() + opensInHours * 3_600_000));
  const last = hhmm(new Date(at.getTime() + (opensInHours + 8) * 3_600_000));
  await sql`
    insert into campaigns (name, agent_id, timezone, first_call_time, last_call_time, max_concurrent_calls, created_at, updated_at)
    select 'scale ' || i, 'agent-scale', 'UTC', ${first}, ${last}, 1, ${at}, ${at}
    from generate_series(1, ${size.campaigns}) i`;
  await sql`
    insert into calls (campaign_id, phone, created_at, updated_at)
    select k.id, '+1555' || lpad(j::text, 7, '0'), ${at}, ${at}
    from campaigns k cross join generate_series(1, ${size.contacts}) j
    where k.agent_id = 'agent-scale'`;
  await sql`vacuum analyze campaigns`;
  await sql`vacuum analyze calls`;
  return performance.now() - started;
}
