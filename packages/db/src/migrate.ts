// Forward-only migrations: numbered `NNN_name.sql` files in packages/db/migrations,
// applied in a transaction, all on one reserved connection holding a
// session advisory lock, and recorded with their sha256 checksums.
//
// Consecutive pending files share one transaction (all or nothing). A file
// whose first line is `-- wakeplan:no-transaction` runs outside a
// transaction, statement by statement (split at `;` ending a line): what
// `create index concurrently` needs to build on a live database without
// blocking writes. Such a file must be safe to run again after failing half-way
// (drop the possibly INVALID index first), since only its last statement's
// success records it.
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

const NO_TRANSACTION_MARKER = /^-- wakeplan:no-transaction\s*$/m;

export async function migrate(sql: Sql, dir: string = MIGRATIONS_DIR): Promise<MigrateResult> {
  const migrations = loadMigrations(dir);
  const conn = await sql.reserve(); // one connection: the session lock, and pools of max 1 (throwaway databases)
  try {
    await takeLock(conn);
    await conn`create table if not exists schema_migrations (
      version integer primary key, name text not null, checksum text not null,
      applied_at timestamptz not null default now())`;
    const applied = await conn<AppliedRow[]>`
      select version, name, checksum from schema_migrations order by version`;
    checkApplied(applied, migrations);
    const pending = migrations.slice(applied.length);
    for (const batch of batches(pending)) await applyBatch(conn, batch);
    return { applied: pending.map((m) => m.name), alreadyApplied: applied.length };
  } finally {
    await conn`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {});
    conn.release();
  }
}

/**
 * Polls for the lock rather than waiting inside pg_advisory_lock: a runner
 * blocked in that statement would hold a snapshot, which the holder's
 * `create index concurrently` waits for — a deadlock.
 */
async function takeLock(conn: Sql): Promise<void> {
  for (;;) {
    const [row] = await conn<{ ok: boolean }[]>`select pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) as ok`;
    if (row?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Consecutive transactional migrations share one transaction; each no-transaction one stands alone. */
function batches(pending: Migration[]): Migration[][] {
  const out: Migration[][] = [];
  for (const m of pending) {
    const last = out.at(-1);
    if (!isNoTransaction(m) && last && !isNoTransaction(last[0]!)) last.push(m);
    else out.push([m]);
  }
  return out;
}

function isNoTransaction(m: Migration): boolean {
  return NO_TRANSACTION_MARKER.test(m.sql.split('\n', 1)[0] ?? '');
}

async function applyBatch(conn: Sql, batch: Migration[]): Promise<void> {
  const record = (m: Migration) => conn`insert into schema_migrations (version, name, checksum) values (${m.version}, ${m.name}, ${m.checksum})`;
  if (isNoTransaction(batch[0]!)) {
    for (const statement of splitStatements(batch[0]!.sql)) await conn.unsafe(statement);
    await record(batch[0]!);
    return;
  }
  await conn.unsafe('begin');
  try {
    for (const m of batch) {
      await conn.unsafe(m.sql);
      await record(m);
    }
    await conn.unsafe('commit');
  } catch (error) {
    await conn.unsafe('rollback').catch(() => {});
    throw error;
  }
}

/** Statements of a no-transaction migration: split where `;` ends a line; comment-only pieces dropped. */
export function splitStatements(text: string): string[] {
  return text.split(/;[ \t]*(?:\r?\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--')));
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
