// The one rule for which database Wakeplan uses, shared by `npm start`, each app's
// main.ts, the CLI and the tests:
//   DATABASE_URL set            → that database;
//   NODE_ENV=production, unset  → refuse (production never falls back to embedded);
//   otherwise                   → embedded Postgres on EMBEDDED_PG_PORT (54329), kept
//                                 across restarts, database `wakeplan`.
// And the helpers for other databases on the same server (tests, simulate,
// benchmarks): its URL, creating it, dropping it.
// A variable that is wrong is a ConfigError (database-env.ts, every problem at
// once); a database that cannot be set up is a DatabaseSetupError: one sentence,
// what failed and how to fix it, which every entry point prints alone.
import postgres from 'postgres';
import { loadDatabaseEnv } from './database-env.ts';
import { CHECKOUT_ROOT } from './package-paths.ts';
import { defaultDataDir, serverUrl, startEmbeddedPostgres } from './embedded.ts';

export { DatabaseSetupError } from './database-setup-error.ts';

export const EMBEDDED_DATABASE = 'wakeplan';
export { CHECKOUT_ROOT };

export interface ResolvedDatabase {
  url: string;
  /** Set when the embedded server is in use. */
  embedded: { port: number; dataDir: string; startedHere: boolean } | null;
  /** Stops the embedded server if this process started it; otherwise does nothing. */
  release(): Promise<void>;
}

type Env = Record<string, string | undefined>;

export async function resolveDatabase(env: Env, log: (line: string) => void = () => {}): Promise<ResolvedDatabase> {
  const { url, embeddedPort: port } = loadDatabaseEnv(env);
  if (url) return { url, embedded: null, release: async () => {} };
  const dataDir = defaultDataDir(CHECKOUT_ROOT);
  const server = await startEmbeddedPostgres({ port, dataDir, log });
  await ensureDatabase(server.adminUrl, EMBEDDED_DATABASE);
  log(server.owned
    ? `embedded Postgres started on 127.0.0.1:${port}, data in ${dataDir}`
    : `embedded Postgres already running on 127.0.0.1:${port}: reusing it (data in ${dataDir})`);
  return {
    url: serverUrl(port, EMBEDDED_DATABASE),
    embedded: { port, dataDir, startedHere: server.owned },
    release: () => server.stop(),
  };
}

/** The same server URL, pointing at another database on it. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates database `name` (a copy of `template` when given) on the server of `url`; returns the new database's URL. */
export async function createDatabase(url: string, name: string, template?: string): Promise<string> {
  const copy = template === undefined ? '' : ` template ${quoteIdentifier(template)}`;
  await onServer(url, (sql) => sql.unsafe(`create database ${quoteIdentifier(name)}${copy}`));
  return withDatabase(url, name);
}

/** Drops database `name` on the server of `url`, ending its connections; nothing when it does not exist. */
export async function dropDatabase(url: string, name: string): Promise<void> {
  await onServer(url, (sql) => sql.unsafe(`drop database if exists ${quoteIdentifier(name)} with (force)`));
}

/** Creates `name` on the server of `url` unless it exists. */
async function ensureDatabase(url: string, name: string): Promise<void> {
  await onServer(url, async (sql) => {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) await sql.unsafe(`create database ${quoteIdentifier(name)}`);
  });
}

/** Runs `fn` on a connection of its own, ended at once: create/drop database must run outside any transaction. */
async function onServer(url: string, fn: (sql: postgres.Sql) => Promise<unknown>): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await fn(sql);
  } finally {
    await sql.end();
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
