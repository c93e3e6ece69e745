// The variables that choose the database (DATABASE_URL, EMBEDDED_PG_PORT,
// NODE_ENV), read by the same EnvReader as each app's other settings so their
// problems are reported together with the rest, all at once: production without
// DATABASE_URL, a port that is not a port, a URL that is not Postgres's.
import { EnvReader } from '@wakeplan/runtime';

export const DEFAULT_EMBEDDED_PORT = 54329;

export interface DatabaseEnv {
  /** DATABASE_URL; undefined → the embedded development server. */
  url: string | undefined;
  embeddedPort: number;
}

export function readDatabaseEnv(r: EnvReader): DatabaseEnv {
  const url = r.string('DATABASE_URL');
  if (url !== undefined && !isPostgresUrl(url)) {
    r.problem('DATABASE_URL must be a postgres:// or postgresql:// URL (e.g. postgres://user:password@host:5432/db)');
  }
  if (url === undefined && r.string('NODE_ENV') === 'production') {
    r.problem('DATABASE_URL is required when NODE_ENV=production: production never falls back to an embedded database');
  }
  return { url, embeddedPort: r.int('EMBEDDED_PG_PORT', DEFAULT_EMBEDDED_PORT, { min: 1, max: 65535 }) };
}

/** The database variables alone, checked (throws a ConfigError listing every problem). */
export function loadDatabaseEnv(env: Record<string, string | undefined>): Readonly<DatabaseEnv> {
  const r = new EnvReader(env);
  const db = readDatabaseEnv(r);
  return r.finish(db);
}

function isPostgresUrl(url: string): boolean {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}
