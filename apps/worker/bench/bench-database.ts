// A throwaway database for the worker benchmark: created (and migrated) on the
// server the shared rule picks (DATABASE_URL, else embedded Postgres), dropped
// afterwards, and seeded with the test fixtures. Refuses any host but 127.0.0.1
// / localhost: a benchmark floods its database and must never touch a real one.
import postgres from 'postgres';
import { createMigratedDatabase, resolveDatabase, withDatabase, type Sql } from '@wakeplan/db';
import { insertCampaign, insertContacts } from '@wakeplan/db/testing';

export interface BenchDatabase {
  url: string;
  name: string;
  /** Connection to the server's `postgres` database, for pg_stat_* views. */
  admin: postgres.Sql;
  drop(): Promise<void>;
}

export async function createBenchDatabase(log: (line: string) => void): Promise<BenchDatabase> {
  const resolved = await resolveDatabase(process.env, log);
  const host = new URL(resolved.url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    throw new Error(`the worker benchmark runs against 127.0.0.1 only; DATABASE_URL points at ${host}`);
  }
  const db = await createMigratedDatabase(resolved.url, 'wakeplan_bench');
  const admin = postgres(withDatabase(resolved.url, 'postgres'), { max: 1, onnotice: () => {} });
  return {
    url: db.url, name: db.name, admin,
    async drop() {
      await admin.end();
      await db.drop();
      await resolved.release();
    },
  };
}

export interface SeedCampaigns {
  campaigns: number;
  contactsEach: number;
  maxConcurrentCalls: number;
  at: Date;
  firstCallTime?: string;
  startDate?: string | null;
}

/** Campaigns in UTC, by default open all day (00:00–00:00), each with its contacts queued. */
export async function seedCampaigns(sql: Sql, s: SeedCampaigns): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < s.campaigns; i++) {
    const id = await insertCampaign(sql, {
      name: `bench ${i}`, agent_id: 'agent-bench', timezone: 'UTC', first_call_time: s.firstCallTime ?? '00:00', last_call_time: '00:00',
      start_date: s.startDate ?? null, max_concurrent_calls: s.maxConcurrentCalls,
    }, s.at);
    await insertContacts(sql, id, s.contactsEach, s.at);
    ids.push(id);
  }
  return ids;
}
