// Vitest global setup for every test that touches SQL: one Postgres server per
// run (DATABASE_URL's server when set, else a throwaway embedded one on a free
// port), and one migrated template database that each test file clones. An
// embedded server that cannot start ends the run at once with its one-sentence
// DatabaseSetupError and exit code 1: thrown, it would reach the reader wrapped
// in vitest's "Unhandled Error" and a misleading "No test files found".
import type { TestProject } from 'vitest/node';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSql } from '../client.ts';
import { freePort, serverUrl, startEmbeddedPostgres } from '../embedded.ts';
import { DatabaseSetupError } from '../database.ts';
import { createMigratedDatabase } from '../throwaway-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    wakeplanDb: { adminUrl: string; template: string; serverVersion: string };
  }
}

export default async function setup(project: TestProject) {
  let stopServer = async () => {};
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    const port = await freePort();
    const root = join(tmpdir(), `wakeplan-test-pg-${randomBytes(6).toString('hex')}`);
    const server = await startEmbeddedPostgres({ port, dataDir: join(root, 'data'), ephemeral: true }).catch((error: unknown) => {
      rmSync(root, { recursive: true, force: true });
      if (!(error instanceof DatabaseSetupError)) throw error;
      process.stderr.write(`\n[test setup] ${error.message}\n\n`);
      process.exit(1);
    });
    adminUrl = serverUrl(port);
    stopServer = async () => {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    };
  }
  const template = await createMigratedDatabase(adminUrl, 'wakeplan_tpl');
  const tplSql = createSql({ url: template.url, applicationName: 'wakeplan-test-template', idleTimeoutS: 1, max: 1 });
  const [version] = await tplSql<{ server_version: string }[]>`show server_version`;
  const serverVersion = version?.server_version ?? 'unknown';
  await tplSql.end();
  project.provide('wakeplanDb', { adminUrl, template: template.name, serverVersion });
  return async () => {
    await template.drop();
    await stopServer();
  };
}
