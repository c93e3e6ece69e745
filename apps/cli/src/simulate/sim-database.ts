// A throwaway database per simulated mode, on the server the shared rule picks
// (DATABASE_URL's server, else the embedded development Postgres): created and
// migrated before the run, dropped after it, whatever happened.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createSql, migrate, withDatabase } from '@wakeplan/db';

export interface SimDatabase { url: string; drop(): Promise<void> }

export async function createSimDatabase(serverUrl: string, label: string): Promise<SimDatabase> {
  const name = `wakeplan_sim_${label}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const sql = createSql({ url, applicationName: 'wakeplan-simulate-migrate', idleTimeoutS: 1, max: 1 });
  try {
    await migrate(sql);
  } finally {
    await sql.end({ timeout: 2 });
  }
  return {
    url,
    async drop() {
      const a = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}
