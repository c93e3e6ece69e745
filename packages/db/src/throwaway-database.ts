// A migrated database made for one run and dropped after it: the test template
// (testing/global-setup.ts), each mode of `wakeplan simulate`, a benchmark's.
//
// Invariants: the name is new (prefix + random suffix), so runs never share a
// database; a database whose migration fails is dropped before the error is
// passed on, so nothing half-made is left behind.
import { randomBytes } from 'node:crypto';
import { createSql } from './client.ts';
import { createDatabase, dropDatabase } from './database.ts';
import { migrate } from './migrate.ts';

export interface ThrowawayDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates `<prefix>_<random>` on the server of `serverUrl` and applies every migration. */
export async function createMigratedDatabase(serverUrl: string, prefix: string): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const url = await createDatabase(serverUrl, name);
  const drop = () => dropDatabase(serverUrl, name);
  const sql = createSql({ url, applicationName: `${prefix}-migrate`.slice(0, 63), idleTimeoutS: 1, max: 1 });
  try {
    await migrate(sql);
  } catch (error) {
    await sql.end({ timeout: 2 });
    await drop();
    throw error;
  }
  await sql.end({ timeout: 2 });
  return { url, name, drop };
}
