// The migration runner against a real, empty Postgres database: idempotence,
// edited files, gaps, missing files and concurrent runners.
import { afterAll, beforeEach, describe, expect, it, inject } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createSql, type Sql } from '../src/client.ts';
import { loadMigrations, migrate, MigrationError, splitStatements } from '../src/migrate.ts';
import { createDatabase, dropDatabase } from '../src/database.ts';

const { adminUrl } = inject('wakeplanDb');
const pools: Sql[] = [];
const names: string[] = [];

async function emptyDatabase(): Promise<{ url: string; sql: Sql }> {
  const name = `wakeplan_m_${randomBytes(5).toString('hex')}`;
  const url = await createDatabase(adminUrl, name);
  names.push(name);
  const sql = createSql({ url, applicationName: 'migrate-test', idleTimeoutS: 2, max: 2 });
  pools.push(sql);
  return { url, sql };
}

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wakeplan-migrations-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end({ timeout: 1 })));
  for (const name of names) await dropDatabase(adminUrl, name);
});

describe('migrate', () => {
  let db: { url: string; sql: Sql };
  beforeEach(async () => {
    db = await emptyDatabase();
  });

  it('applies the real migrations once; a second run changes nothing', async () => {
    const first = await migrate(db.sql);
    expect(first.applied).toEqual(loadMigrations().map((m) => m.name));
    const second = await migrate(db.sql);
    expect(second).toEqual({ applied: [], alreadyApplied: first.applied.length });
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from schema_migrations`;
    expect(row?.n).toBe(first.applied.length);
  });

  it('refuses a file edited after it was applied, and applies nothing', async () => {
    const dir = migrationsDir({ '001_a.sql': 'create table a (x int);' });
    await migrate(db.sql, dir);
    writeFileSync(join(dir, '001_a.sql'), 'create table a (x bigint);');
    writeFileSync(join(dir, '002_b.sql'), 'create table b (x int);');
    await expect(migrate(db.sql, dir)).rejects.toThrow(/001_a\.sql was edited/);
    const rows = await db.sql`select 1 from pg_tables where tablename = 'b'`;
    expect(rows).toHaveLength(0);
    rmSync(dir, { recursive: true });
  });

  it('refuses a gap in the numbering', () => {
    const dir = migrationsDir({ '001_a.sql': 'select 1;', '003_c.sql': 'select 1;' });
    expect(() => loadMigrations(dir)).toThrow(MigrationError);
    expect(() => loadMigrations(dir)).toThrow(/expected 2, found "003_c.sql"/);
  });

  it('refuses a badly named file', () => {
    const dir = migrationsDir({ '1-a.sql': 'select 1;' });
    expect(() => loadMigrations(dir)).toThrow(/001_name\.sql/);
  });

  it('refuses when an applied migration has lost its file', async () => {
    const dir = migrationsDir({ '001_a.sql': 'select 1;', '002_b.sql': 'select 1;' });
    await migrate(db.sql, dir);
    rmSync(join(dir, '002_b.sql'));
    await expect(migrate(db.sql, dir)).rejects.toThrow(/002_b\.sql was applied but its file is missing/);
  });

  it('rolls back a failing migration whole', async () => {
    const dir = migrationsDir({ '001_a.sql': 'create table a (x int);', '002_b.sql': 'create table b (x int); select nonsense;' });
    await expect(migrate(db.sql, dir)).rejects.toThrow();
    const rows = await db.sql`select 1 from pg_tables where tablename in ('a', 'b')`;
    expect(rows).toHaveLength(0);
  });

  it('serialises concurrent runners: each migration applied exactly once', async () => {
    const others = await Promise.all([1, 2, 3].map(() => createSql({ url: db.url, applicationName: 'migrate-race', idleTimeoutS: 2, max: 1 })));
    pools.push(...others);
    const dir = migrationsDir({ '001_a.sql': 'create table a (x int); select pg_sleep(0.2);', '002_b.sql': 'create table b (x int);' });
    const results = await Promise.all([db.sql, ...others].map((s) => migrate(s, dir)));
    const appliedCounts = results.map((r) => r.applied.length).sort();
    expect(appliedCounts).toEqual([0, 0, 0, 2]);
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from schema_migrations`;
    expect(row?.n).toBe(2);
  });

  it('runs a no-transaction migration statement by statement (create index concurrently), after committing the ones before', async () => {
    const dir = migrationsDir({
      '001_a.sql': 'create table a (x int);',
      '002_b.sql': '-- wakeplan:no-transaction\n-- an index built while writes go on\ndrop index concurrently if exists a_x;\ncreate index concurrently a_x on a (x);\n',
    });
    expect((await migrate(db.sql, dir)).applied).toEqual(['001_a.sql', '002_b.sql']);
    const [index] = await db.sql<{ valid: boolean }[]>`select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'a_x'`;
    expect(index?.valid).toBe(true);
    expect((await migrate(db.sql, dir)).applied).toEqual([]);
  });

  it('without the marker, create index concurrently fails inside the transaction and nothing is recorded', async () => {
    const dir = migrationsDir({ '001_a.sql': 'create table a (x int);', '002_b.sql': 'create index concurrently a_x on a (x);' });
    await migrate(db.sql, migrationsDir({ '001_a.sql': 'create table a (x int);' }));
    await expect(migrate(db.sql, dir)).rejects.toThrow(/cannot run inside a transaction block/);
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from schema_migrations`;
    expect(row?.n).toBe(1);
  });

  it('splits statements where a semicolon ends a line, dropping comment-only pieces', () => {
    expect(splitStatements('-- head\ndrop index a;\n-- note\ncreate index b\n  on t (x);\n')).toEqual(['-- head\ndrop index a', '-- note\ncreate index b\n  on t (x)']);
  });
});
