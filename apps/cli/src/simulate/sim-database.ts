// A throwaway database per simulated mode, on the server the shared rule picks
// (DATABASE_URL's server, else the embedded development Postgres): created and
// migrated before the run, dropped after it, whatever happened.
import { randomBytes } from 'node:crypto';
import { createDatabase, createSql, dropDatabase, migrate } from '@wakeplan/db';

export interface SimDatabase { url: string; drop(): Promise<void> }

export async function createSimDatabase(serverUrl: string, label: string): Promise<SimDatabase> {
  const name = `wakeplan_sim_${label}_${randomBytes(4).toString('hex')}`;
  const url = await createDatabase(serverUrl, name);
  const drop = () => dropDatabase(serverUrl, name);
  const sql = createSql({ url, applicationName: 'wakeplan-simulate-migrate', idleTimeoutS: 1, max: 1 });
  try {
    await migrate(sql);
  } catch (error) {
    await drop();
    throw error;
  } finally {
    await sql.end({ timeout: 2 });
  }
  return { url, drop };
}
