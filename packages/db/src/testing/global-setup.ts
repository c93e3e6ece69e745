// Vitest global setup for every test that touches SQL: one Postgres server per
// run (DATABASE_URL's server when set, else a throwaway embedded one on a free
// port), and one migrated template database that each test file clones.
import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSql } from '../client.ts';
import { freePort, serverUrl, startEmbeddedPostgres } from '../embedded.ts';
import { migrate } from '../migrate.ts';
import { withDatabase } from '../database.ts';

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
    const root = mkdtempSync(join(tmpdir(), 'wakeplan-test-pg-'));
    chmodSync(root, 0o755); // as root, the server runs as the `postgres` user
    const server = await startEmbeddedPostgres({ port, dataDir: join(root, 'data'), ephemeral: true });
    adminUrl = serverUrl(port);
    stopServer = async () => {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    };
  }
  const template = `wakeplan_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const [version] = await admin<{ server_version: string }[]>`show server_version`;
  const serverVersion = version?.server_version ?? 'unknown';
  await admin.unsafe(`create database ${template}`);
  const tplUrl = withDatabase(adminUrl, template);
  const tplSql = createSql({ url: tplUrl, applicationName: 'wakeplan-test-template', idleTimeoutS: 1, max: 1 });
  await migrate(tplSql);
  await tplSql.end();
  project.provide('wakeplanDb', { adminUrl, template, serverVersion });
  return async () => {
    await admin.unsafe(`drop database if exists ${template} with (force)`);
    await admin.end();
    await stopServer();
  };
}
