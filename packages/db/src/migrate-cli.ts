// `npm run migrate`: resolve the database by the shared rule and apply migrations.
import { createSql } from './client.ts';
import { resolveDatabase } from './database.ts';
import { migrate } from './migrate.ts';

const db = await resolveDatabase(process.env, (line) => console.log(line));
const sql = createSql({ url: db.url, applicationName: 'wakeplan-migrate', idleTimeoutS: 5, max: 1 });
try {
  const result = await migrate(sql);
  console.log(result.applied.length
    ? `applied ${result.applied.join(', ')} (${result.alreadyApplied} already applied)`
    : `database is up to date (${result.alreadyApplied} migrations applied)`);
} catch (error) {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await sql.end({ timeout: 5 });
  await db.release();
}
