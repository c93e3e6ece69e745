// @wakeplan/db/testing: test helpers for everything that touches SQL — a fresh
// database per test file, cloned from the migrated template the global setup
// made, dropped afterwards — and the shared fixtures (fixtures.ts). No mocked
// database anywhere: this is a real Postgres.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { createSql, type Sql } from '../client.ts';
import { createDatabase, dropDatabase } from '../database.ts';

export * from './fixtures.ts';

export interface TestDatabase {
  /** URL of this file's own database. */
  url: string;
  name: string;
  /** A pool on it (idle timeout 5 s), ended by drop(). */
  sql: Sql;
  /** URL of the server's admin database, for pg_stat_activity and friends. */
  adminUrl: string;
  /** A one-connection pool on that admin database (pg_stat_*, pg_terminate_backend), ended by drop(); it connects only when used. */
  admin: Sql;
  serverVersion: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const { adminUrl, template, serverVersion } = inject('wakeplanDb');
  const name = `wakeplan_t_${randomBytes(6).toString('hex')}`;
  const url = await createDatabase(adminUrl, name, template);
  const sql = createSql({ url, applicationName: 'wakeplan-test', idleTimeoutS: 5, max: 5 });
  const admin = createSql({ url: adminUrl, applicationName: 'wakeplan-test-admin', idleTimeoutS: 5, max: 1 });
  return {
    url, name, sql, adminUrl, admin, serverVersion,
    async drop() {
      await Promise.all([sql.end({ timeout: 2 }), admin.end({ timeout: 2 })]);
      await dropDatabase(adminUrl, name);
    },
  };
}

/** Registers beforeAll/afterAll hooks; read `.current` inside tests. */
export function useTestDatabase(): { readonly current: TestDatabase } {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  return {
    get current(): TestDatabase {
      if (!db) throw new Error('test database not ready: use it inside a test or hook');
      return db;
    },
  };
}
export * from './prometheus.ts';
