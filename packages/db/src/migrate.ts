// Forward-only migrations: numbered `NNN_name.sql` files in packages/db/migrations,
// applied in one transaction under a transaction-scoped advisory lock and recorded
// with their sha256 checksums.
//
// Invariants: numbers run 1, 2, 3… with no gap and no duplicate; a file that was
// applied is never edited (its checksum must match) nor removed; running twice
// changes nothing; two runners at once serialise on the lock.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sql } from './client.ts';
import { MIGRATIONS_DIR } from './package-paths.ts';

export { MIGRATIONS_DIR };
/** Arbitrary constant: the advisory-lock key all Wakeplan migration runners share. */
const MIGRATION_LOCK_KEY = 7_351_902_114;

export interface Migration { version: number; name: string; sql: string; checksum: string }
export interface MigrateResult { applied: string[]; alreadyApplied: number }
type AppliedRow = Pick<Migration, 'version' | 'name' | 'checksum'>;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const migrations = files.map((file) => {
    const match = /^(\d{3,})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new MigrationError(`migration file name must look like 001_name.sql, got "${file}"`);
    const sql = readFileSync(join(dir, file), 'utf8');
    return { version: Number(match[1]), name: file, sql, checksum: sha256(sql) };
  });
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new MigrationError(`migrations must be numbered 1, 2, 3… without gaps: expected ${i + 1}, found "${m.name}"`);
    }
  });
  return migrations;
}

export async function migrate(sql: Sql, dir: string = MIGRATIONS_DIR): Promise<MigrateResult> {
  const migrations = loadMigrations(dir);
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;
    await tx`create table if not exists schema_migrations (
      version integer primary key, name text not null, checksum text not null,
      applied_at timestamptz not null default now())`;
    const applied = await tx<AppliedRow[]>`
      select version, name, checksum from schema_migrations order by version`;
    checkApplied(applied, migrations);
    const pending = migrations.slice(applied.length);
    for (const m of pending) {
      await tx.unsafe(m.sql);
      await tx`insert into schema_migrations (version, name, checksum) values (${m.version}, ${m.name}, ${m.checksum})`;
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: applied.length };
  });
}

/** One line saying what a run did, for `wakeplan migrate` (`npm run migrate`) and `npm start`. */
export function describeMigration(result: MigrateResult): string {
  return result.applied.length
    ? `applied ${result.applied.join(', ')} (${result.alreadyApplied} already applied)`
    : `database is up to date (${result.alreadyApplied} migrations applied)`;
}

function checkApplied(applied: AppliedRow[], files: Migration[]): void {
  for (const row of applied) {
    const file = files[row.version - 1];
    if (!file) throw new MigrationError(`migration ${row.name} was applied but its file is missing`);
    if (file.checksum !== row.checksum) {
      throw new MigrationError(`migration ${file.name} was edited after it was applied (checksum mismatch); add a new migration instead`);
    }
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
